// The objects each owner's uid is named by (ownerReferences), held as the objects themselves: the
// runtime then needs no uid → object map entry per pod (about 90 bytes each at 10,000 pods) to
// find a ReplicaSet's pods. A child is known by its uid: a new version of it takes the old one's
// place, so iteration order is the order children were first added (see groups.ts).
import type { KubeObject } from '../k8s/types';
import { Groups } from './groups';

export class Children extends Groups<string, KubeObject> {
  constructor() {
    super((o) => o.metadata.uid ?? '');
  }
}
