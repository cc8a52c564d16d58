// What the API server itself does to an object on the way in: per-kind defaults, IP and port
// allocation, node registration. Runs for user applies and controller writes alike.
import { isClusterScoped } from '../k8s/object';
import type { Condition, KubeObject, Labels, Node, Pod, Service, ServicePort, ServiceSpec } from '../k8s/types';
import { cidrText } from './ip';
import { NOT_READY_TAINT, REGION_LABEL, ZONE_LABEL } from './nodes';
import { admitPod } from './pods';
import type { Runtime } from './runtime';

/** Defaults for a new object; `obj` is a private shallow copy the function may rebuild. */
export function admitCreate(rt: Runtime, obj: KubeObject, kind: string): KubeObject {
  const meta = obj.metadata;
  if (isClusterScoped(kind)) delete meta.namespace;
  else meta.namespace = meta.namespace || 'default';
  switch (kind) {
    case 'Namespace':
      return {
        ...obj,
        metadata: { ...meta, labels: { ...meta.labels, 'kubernetes.io/metadata.name': meta.name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      };
    case 'Node':
      return admitNode(rt, obj as Node);
    case 'Service':
      return admitService(rt, obj as Service, undefined);
    case 'Pod':
      return admitPod(rt, obj as Pod);
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet': {
      const spec = obj.spec as { replicas?: number };
      return spec.replicas === undefined ? { ...obj, spec: { ...spec, replicas: 1 } } : obj;
    }
    default:
      return obj;
  }
}

/** Defaults re-applied when an existing object is updated (allocated fields are kept). */
export function admitUpdate(rt: Runtime, old: KubeObject, next: KubeObject, kind: string): KubeObject {
  switch (kind) {
    case 'Service':
      return admitService(rt, next as Service, old as Service);
    case 'Node':
      return admitNode(rt, next as Node);
    case 'Namespace':
      return { ...next, metadata: { ...next.metadata, labels: { ...next.metadata.labels, 'kubernetes.io/metadata.name': next.metadata.name } } };
    default:
      return next;
  }
}

/** API-server validation that kubectl would report; undefined when the object is acceptable. */
export function validateWrite(rt: Runtime, obj: KubeObject, kind: string, old: KubeObject | undefined): string | undefined {
  const name = obj.metadata.name;
  if (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'StatefulSet' || kind === 'DaemonSet') {
    const spec = obj.spec as { selector?: { matchLabels?: Labels }; template?: { metadata?: { labels?: Labels } } } | undefined;
    const labels = spec?.template?.metadata?.labels ?? {};
    const sel = spec?.selector?.matchLabels;
    if (!sel || Object.keys(sel).length === 0) {
      return `The ${kind} "${name}" is invalid: spec.selector: Invalid value: "null": field is immutable or empty selector`;
    }
    for (const k in sel) {
      if (labels[k] !== sel[k]) {
        return `The ${kind} "${name}" is invalid: spec.template.metadata.labels: Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``;
      }
    }
  }
  if (kind === 'Service') return validateService(rt, obj as Service, old as Service | undefined);
  if (kind === 'Pod' && old && JSON.stringify(stripNode(old.spec)) !== JSON.stringify(stripNode(obj.spec))) {
    return `The Pod "${name}" is invalid: spec: Forbidden: pod updates may not change fields other than \`spec.containers[*].image\`,\`spec.initContainers[*].image\`,\`spec.activeDeadlineSeconds\`,\`spec.tolerations\` (only additions to existing tolerations),\`spec.terminationGracePeriodSeconds\` (allow it to be set to 1 if it was previously negative)`;
  }
  return undefined;
}

function stripNode(spec: unknown): unknown {
  const s = { ...(spec as Record<string, unknown>) };
  delete s.nodeName;
  delete s.serviceAccountName;
  delete s.serviceAccount;
  return s;
}

function goMap(labels: Labels): string {
  return `map[string]string{${Object.keys(labels).sort().map((k) => `"${k}":"${labels[k]}"`).join(', ')}}`;
}

function validateService(rt: Runtime, svc: Service, old: Service | undefined): string | undefined {
  const spec = svc.spec ?? {};
  const want = spec.clusterIP;
  const name = svc.metadata.name;
  if (!want || want === 'None' || spec.type === 'ExternalName') return undefined;
  const had = old?.spec?.clusterIP;
  if (had) {
    return had === want ? undefined : `The Service "${name}" is invalid: spec.clusterIPs[0]: Invalid value: []string{"${want}"}: may not change once set`;
  }
  const state = rt.serviceIpState(want);
  if (state === 'out-of-range') {
    return `The Service "${name}" is invalid: spec.clusterIPs: Invalid value: []string{"${want}"}: failed to allocate IP ${want}: the provided IP (${want}) is not in the valid range. The range of valid IPs is ${cidrText(rt.plan.services)}`;
  }
  if (state === 'taken') {
    return `The Service "${name}" is invalid: spec.clusterIPs: Invalid value: []string{"${want}"}: failed to allocate IP ${want}: provided IP is already allocated`;
  }
  return undefined;
}

/** The status of every Service without a load balancer, shared frozen. */
const NO_LOAD_BALANCER: Service['status'] = Object.freeze({ loadBalancer: Object.freeze({}) });

function admitService(rt: Runtime, svc: Service, old: Service | undefined): Service {
  const spec: ServiceSpec = { ...svc.spec };
  const type = spec.type ?? 'ClusterIP';
  spec.type = type;
  if (type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else {
    const had = old?.spec?.clusterIP;
    let ip = had ?? spec.clusterIP;
    if (!had) {
      if (ip && ip !== 'None') rt.serviceIps.reserve(ip);
      else if (!ip) ip = rt.serviceIps.allocateRandom(rt.rng) ?? 'None';
    }
    spec.clusterIP = ip!;
    spec.clusterIPs = [ip!];
    spec.sessionAffinity ??= 'None';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  const oldPorts = old?.spec?.ports ?? [];
  const wantNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  spec.ports = (spec.ports ?? []).map((p): ServicePort => {
    const port: ServicePort = { ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port };
    if (wantNodePorts) port.nodePort = p.nodePort ?? oldPorts.find((o) => o.port === p.port && o.nodePort)?.nodePort ?? allocateNodePort(rt);
    else delete port.nodePort;
    return port;
  });
  let status: Service['status'] = NO_LOAD_BALANCER;
  if (type === 'LoadBalancer') {
    // A cloud (or MetalLB) load balancer: one external IP from the cluster's pool, kept across updates.
    const prev = (old?.status?.loadBalancer as { ingress?: { ip: string }[] } | undefined)?.ingress?.[0]?.ip;
    const ip = prev ?? rt.lbIps.allocateFrom(1);
    if (ip) status = { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
  }
  return { ...svc, spec, status };
}

function allocateNodePort(rt: Runtime): number | undefined {
  const span = 32767 - 30000 + 1;
  const start = Math.floor(rt.rng() * span);
  for (let i = 0; i < span; i++) {
    const p = 30000 + ((start + i) % span);
    if (!rt.nodePorts.has(p)) {
      rt.nodePorts.add(p);
      return p;
    }
  }
  return undefined;
}

function admitNode(rt: Runtime, node: Node): Node {
  const name = node.metadata.name;
  const labels: Labels = {
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/os': 'linux',
    ...node.metadata.labels,
    'kubernetes.io/hostname': name,
  };
  const spec = node.spec ?? {};
  const slot = rt.nodes.upsert(name, labels, spec.unschedulable === true);
  const cidr = slot.ipam?.cidr;
  return {
    ...node,
    metadata: { ...node.metadata, labels },
    spec: cidr ? { ...withoutNotReadyTaint(spec), podCIDR: cidr, podCIDRs: [cidr] } : withNotReadyTaint(spec),
    status: {
      addresses: [
        { type: 'InternalIP', address: slot.ip },
        { type: 'Hostname', address: name },
      ],
      conditions: [cidr ? ready(rt) : notReady(rt)],
      capacity: { pods: String(rt.opts.maxPodsPerNode) },
      allocatable: { pods: String(rt.opts.maxPodsPerNode) },
    } as Node['status'],
  };
}

function ready(rt: Runtime): Condition {
  return { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastTransitionTime: rt.stamp() };
}

/**
 * A node kube-controller-manager found no pod CIDR for (the pod subnet is used up): the CNI
 * plugin never initialises, so the kubelet reports the network not ready and the node stays tainted.
 */
function notReady(rt: Runtime): Condition {
  const message = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
  return { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message, lastTransitionTime: rt.stamp() };
}

type NodeSpec = NonNullable<Node['spec']>;

function withNotReadyTaint(spec: NodeSpec): NodeSpec {
  const taints = spec.taints ?? [];
  if (taints.some((t) => t.key === NOT_READY_TAINT)) return spec;
  return { ...spec, taints: [...taints, { key: NOT_READY_TAINT, effect: 'NoSchedule' }] };
}

/** The node lifecycle controller lifts the taint once the node is Ready. */
function withoutNotReadyTaint(spec: NodeSpec): NodeSpec {
  if (!spec.taints?.some((t) => t.key === NOT_READY_TAINT)) return spec;
  const { taints, ...rest } = spec;
  const kept = taints.filter((t) => t.key !== NOT_READY_TAINT);
  return kept.length ? { ...rest, taints: kept } : rest;
}

/** Node labels from the scenario's node description. */
export function nodeLabels(region: string | undefined, zone: string | undefined, extra: Labels | undefined): Labels {
  return { ...(region ? { [REGION_LABEL]: region } : {}), ...(zone ? { [ZONE_LABEL]: zone } : {}), ...extra };
}
