// The objects each owner's uid is named by (ownerReferences), held as the objects themselves: the
// runtime then needs no uid → object map entry per pod (about 90 bytes each at 10,000 pods) to
// find a ReplicaSet's pods. Like the Groups index, a lone child is kept as itself, a few as an
// exact-size array and a larger group in a Map by uid. A child is known by its uid: a new version
// of it takes the old one's place, so iteration order is the order children were first added.
import type { KubeObject } from '../k8s/types';

type Members = KubeObject | readonly KubeObject[] | Map<string, KubeObject>;

/** Above this many children an owner's are held in a Map (array updates copy the array). */
const MAX_ARRAY = 16;

const NONE: readonly KubeObject[] = Object.freeze([]);

function uidOf(o: KubeObject): string | undefined {
  return o.metadata.uid;
}

export class Children {
  private readonly map = new Map<string, Members>();

  /** The owner's children in the order they were first added; not to be kept across writes. */
  get(owner: string): Iterable<KubeObject> {
    const m = this.map.get(owner);
    if (m === undefined) return NONE;
    if (m instanceof Map) return m.values();
    return Array.isArray(m) ? (m as readonly KubeObject[]) : [m as KubeObject];
  }

  /** Adds a child, or puts this version of it in the place of the one with the same uid. */
  add(owner: string, child: KubeObject): void {
    const uid = uidOf(child);
    const m = this.map.get(owner);
    if (m === undefined) this.map.set(owner, child);
    else if (m instanceof Map) m.set(uid!, child);
    else if (!Array.isArray(m)) this.map.set(owner, uidOf(m as KubeObject) === uid ? child : [m as KubeObject, child]);
    else {
      const arr = m as readonly KubeObject[];
      const i = arr.findIndex((c) => uidOf(c) === uid);
      if (i >= 0) {
        const copy = arr.slice();
        copy[i] = child;
        this.map.set(owner, copy);
      } else if (arr.length < MAX_ARRAY) this.map.set(owner, arr.concat([child]));
      else this.map.set(owner, new Map([...arr, child].map((c) => [uidOf(c)!, c])));
    }
  }

  /** Removes the child with this uid; an owner left without children is dropped. */
  delete(owner: string, uid: string): void {
    const m = this.map.get(owner);
    if (m === undefined) return;
    if (m instanceof Map) {
      if (m.delete(uid) && m.size === 0) this.map.delete(owner);
    } else if (!Array.isArray(m)) {
      if (uidOf(m as KubeObject) === uid) this.map.delete(owner);
    } else {
      const arr = m as readonly KubeObject[];
      const i = arr.findIndex((c) => uidOf(c) === uid);
      if (i >= 0) this.map.set(owner, arr.length === 2 ? arr[1 - i]! : arr.slice(0, i).concat(arr.slice(i + 1)));
    }
  }

  /** Drops an owner and all its children. */
  clear(owner: string): void {
    this.map.delete(owner);
  }
}
