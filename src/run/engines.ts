// Builds the policy engines a cluster's data plane uses from its current objects.
import type { Cluster } from '../cluster';
import type { MeshView } from '../control/mesh-view';
import { OPEN_ENGINES, type PolicyEngines } from '../dataplane/engines';

export function enginesFor(_cluster: Cluster, _view: MeshView): PolicyEngines {
  return OPEN_ENGINES;
}
