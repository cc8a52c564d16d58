// Which controllers wake up when an object changes (the informer event handlers of a real cluster).
import type { KubeObject } from '../k8s/types';
import { GATEWAY_NAME_LABEL } from './controllers/gatewayNames';
import { controllerRef, keyOfObject, objKey, type QueueName, type Runtime } from './runtime';

const WORKLOAD_QUEUE: Record<string, QueueName | undefined> = {
  ReplicaSet: 'replicaset',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
  Deployment: 'deployment',
};

export function watch(rt: Runtime, kind: string, key: string, old: KubeObject | undefined, next: KubeObject | undefined): void {
  const obj = (next ?? old)!;
  const specChanged = !old || !next || old.spec !== next.spec;
  switch (kind) {
    case 'Namespace':
      if (!old) rt.enqueue('namespace', key);
      break;
    case 'Node':
      // The range allocator retries nodes it had no /24 for once one is freed.
      if (!next) for (const s of rt.nodes.waitingForCidr()) rt.enqueue('nodeIpam', objKey('Node', '', s.name));
      for (const ds of rt.listAll('DaemonSet')) rt.enqueue('daemonset', keyOfObject(ds));
      for (const p of rt.pending) rt.enqueue('schedule', p);
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      if (next && specChanged) rt.enqueue(WORKLOAD_QUEUE[kind]!, key);
      if (next && !old?.status) rt.enqueue('status', key);
      break;
    case 'ReplicaSet':
      if (next && specChanged) rt.enqueue('replicaset', key);
      if (next) rt.enqueue('status', key);
      wakeOwner(rt, obj, !next || old?.status !== next.status);
      break;
    case 'Pod':
      wakeOwner(rt, obj, true);
      if (!next && rt.pending.size) for (const p of rt.pending) rt.enqueue('schedule', p);
      break;
    case 'Service':
      if (!next || specChanged || old?.metadata.labels !== next.metadata.labels) rt.enqueue('endpoints', key);
      wakeGatewayStatus(rt, obj);
      break;
    case 'EndpointSlice': {
      const svc = obj.metadata.labels?.['kubernetes.io/service-name'];
      const owner = svc ? rt.get('Service', obj.metadata.namespace!, svc) : undefined;
      if (owner) wakeGatewayStatus(rt, owner);
      break;
    }
    case 'Gateway':
      if (next && (specChanged || old?.metadata.labels !== next.metadata.labels || old?.metadata.annotations !== next.metadata.annotations)) {
        rt.enqueue('gatewayDeploy', key);
        rt.enqueue('gatewayStatus', key);
      }
      break;
    case 'ServiceEntry':
      if (next && (specChanged || old?.metadata.labels !== next.metadata.labels)) rt.enqueue('serviceEntryAddresses', key);
      break;
    case 'GatewayClass':
      rt.enqueue('gatewayClass', key);
      if (next && specChanged) {
        for (const gw of rt.listAll('Gateway')) {
          if ((gw.spec as { gatewayClassName?: string }).gatewayClassName !== obj.metadata.name) continue;
          rt.enqueue('gatewayDeploy', keyOfObject(gw));
          rt.enqueue('gatewayStatus', keyOfObject(gw));
        }
      }
      break;
  }
  // istiod re-renders a Gateway whose generated objects were deleted or edited.
  const refs = obj.metadata.ownerReferences ?? [];
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i]!;
    if (ref.kind !== 'Gateway' || !ref.uid) continue;
    const gw = rt.owner(ref, obj.metadata.namespace);
    if (gw && !old !== !next) rt.enqueue('gatewayDeploy', keyOfObject(gw));
  }
}

/** A child changed: its controller recounts (always) and recomputes status. */
function wakeOwner(rt: Runtime, child: KubeObject, recount: boolean): void {
  const owner = rt.owner(controllerRef(child), child.metadata.namespace);
  if (!owner) return;
  const key = keyOfObject(owner);
  rt.enqueue('status', key);
  const q = WORKLOAD_QUEUE[owner.kind];
  if (recount && q) rt.enqueue(q, key);
}

function wakeGatewayStatus(rt: Runtime, svc: KubeObject): void {
  const gw = svc.metadata.labels?.[GATEWAY_NAME_LABEL];
  if (gw) rt.enqueue('gatewayStatus', objKey('Gateway', svc.metadata.namespace!, gw));
}
