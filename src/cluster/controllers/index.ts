// Runs the controllers until nothing is left to do, in queue order, like a cluster converging.
import { reschedule } from '../pods';
import { QUEUES, type QueueName, type Runtime, splitKey } from '../runtime';
import { expandPodChanges, reconcileEndpointSlices } from './endpointSlices';
import { reconcileGatewayClasses, reconcileGatewayDeployment, reconcileGatewayStatus } from './gateways';
import { reconcileNodeCidr } from './nodeIpam';
import { reconcileServiceEntryAddresses } from './serviceEntryAddresses';
import { reconcileDaemonSet, reconcileDeployment, reconcileReplicaSet, reconcileStatefulSet, reconcileWorkloadStatus } from './workloads';

/** Every namespace gets a `default` ServiceAccount. */
function reconcileNamespace(rt: Runtime, key: string): void {
  const [, , name] = splitKey(key);
  if (!rt.get('Namespace', '', name) || rt.get('ServiceAccount', name, 'default')) return;
  rt.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
}

const HANDLERS: Record<QueueName, (rt: Runtime, key: string) => void> = {
  namespace: reconcileNamespace,
  nodeIpam: reconcileNodeCidr,
  gatewayClass: (rt) => reconcileGatewayClasses(rt),
  gatewayDeploy: reconcileGatewayDeployment,
  deployment: reconcileDeployment,
  statefulset: reconcileStatefulSet,
  daemonset: reconcileDaemonSet,
  replicaset: reconcileReplicaSet,
  schedule: reschedule,
  status: reconcileWorkloadStatus,
  endpoints: reconcileEndpointSlices,
  gatewayStatus: reconcileGatewayStatus,
  serviceEntryAddresses: reconcileServiceEntryAddresses,
};

/** Upper bound on reconcile steps per operation; a correct controller set never gets near it. */
const MAX_STEPS = 10_000_000;

export function settle(rt: Runtime): void {
  for (let steps = 0; ; steps++) {
    if (steps > MAX_STEPS) throw new Error('cluster controllers did not converge');
    let ran = false;
    for (const q of QUEUES) {
      if (q === 'endpoints' && rt.changedPodLabels.size) expandPodChanges(rt);
      const key = rt.queues[q].take();
      if (key === undefined) continue;
      HANDLERS[q](rt, key);
      ran = true;
      break;
    }
    if (!ran) {
      rt.convergence.reset();
      return;
    }
  }
}

