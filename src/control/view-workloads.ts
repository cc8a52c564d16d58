// The mesh view's workloads: one for each pod with an IP that has not finished, grouped by owner,
// with the node it runs on and the waypoint its namespace or labels bind it to.
import type { KubeObject, Labels, Pod } from '../k8s/types';
import { dataplaneMode } from './enrollment';
import { exactSize } from './exact-size';
import { EASTWEST_CONTROLLER, GATEWAY_MANAGED, GATEWAY_NAME, MESH_CONTROLLER, USE_WAYPOINT, USE_WAYPOINT_NAMESPACE } from './labels';
import type { ViewContext } from './mesh-view';
import type { Locality, NodeInfo, WorkloadInfo, WorkloadRole } from './model';
import { byName } from './pod-index';
import { resolveWaypoint, type Binding } from './waypoints';
import { MeshWorkload, NO_LABELS, WorkloadGroup, type GroupFacts } from './workload';

export interface WorkloadInputs extends ViewContext {
  network: string;
  /** The mesh's root namespace: its ztunnel pods serve the nodes. */
  systemNs: string;
  pods: readonly Pod[];
  replicaSets: readonly KubeObject[];
  nodes: ReadonlyMap<string, NodeInfo>;
  /** `ns/name` of each Gateway → its class. */
  gatewayClasses: ReadonlyMap<string, string>;
}

export interface ViewWorkloads {
  /** In the order the pods are listed. */
  workloads: WorkloadInfo[];
  /** Each pod's named container ports: only the view build resolves them, so workloads do not carry them. */
  namedPortsOf: Map<WorkloadInfo, Record<string, number>>;
  /** `ns/ownerName` → its pods, sorted by name. */
  workloadsByOwner: Map<string, WorkloadInfo[]>;
  /** The ztunnel pod serving each node. */
  ztunnelByNode: Map<string, WorkloadInfo>;
}

/** Of pods whose node is unknown; shared like every node's own locality. */
const NO_LOCALITY: Locality = Object.freeze({ region: '', zone: '', subzone: '' });

function podReady(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** ReplicaSet name → its owner's name, per namespace (nested so lookups build no key strings). */
type ReplicaSetOwners = Map<string, Map<string, string>>;

function replicaSetOwners(replicaSets: readonly KubeObject[]): ReplicaSetOwners {
  const owners: ReplicaSetOwners = new Map();
  for (const rs of replicaSets) {
    const ref = rs.metadata.ownerReferences?.[0];
    if (!ref) continue;
    const ns = rs.metadata.namespace ?? '';
    let byName = owners.get(ns);
    if (!byName) owners.set(ns, (byName = new Map()));
    byName.set(rs.metadata.name, ref.name);
  }
  return owners;
}

function ownerName(pod: Pod, owners: ReplicaSetOwners): string {
  const refs = pod.metadata.ownerReferences;
  if (!refs || refs.length === 0) return pod.metadata.name;
  const ref = refs.find((r) => r.controller !== false) ?? refs[0]!;
  if (ref.kind === 'ReplicaSet') return owners.get(pod.metadata.namespace ?? '')?.get(ref.name) ?? ref.name;
  return ref.name;
}

function roleOf(pod: Pod, systemNs: string, gatewayClasses: ReadonlyMap<string, string>): { role: WorkloadRole; gateway?: string } {
  const labels = pod.metadata.labels ?? NO_LABELS;
  const ns = pod.metadata.namespace ?? 'default';
  const gwName = labels[GATEWAY_NAME];
  if (gwName) {
    const cls = gatewayClasses.get(`${ns}/${gwName}`);
    const gateway = `${ns}/${gwName}`;
    if (cls === 'istio-waypoint' || labels[GATEWAY_MANAGED] === MESH_CONTROLLER) return { role: 'waypoint', gateway };
    if (cls === 'istio-east-west' || labels[GATEWAY_MANAGED] === EASTWEST_CONTROLLER) return { role: 'eastwest-gateway', gateway };
    return { role: 'ingress-gateway', gateway };
  }
  if (ns === systemNs && labels.app === 'ztunnel') return { role: 'ztunnel' };
  if (ns === systemNs || ns === 'kube-system') return { role: 'system' };
  return { role: 'app' };
}

export function viewWorkloads(inputs: WorkloadInputs): ViewWorkloads {
  const { interner, nodes, waypoints } = inputs;
  const owners = replicaSetOwners(inputs.replicaSets);
  // Bindings depend on the namespace and the pod's two waypoint labels alone: resolved once per
  // distinct value, so pods of one owner share one binding (and one workload group).
  const podBindings = new Map<string, Binding>();
  const podBinding = (ns: string, labels: Labels): Binding => {
    const own = labels[USE_WAYPOINT];
    const key = own === undefined ? ns : `${ns}\u0000${own}\u0000${labels[USE_WAYPOINT_NAMESPACE] ?? '\u0001'}`;
    let b = podBindings.get(key);
    if (!b) podBindings.set(key, (b = resolveWaypoint({ kind: 'Pod', namespace: ns, labels }, inputs.lookup)));
    return b;
  };
  // Pods on a node missing from the view get a stand-in place of the same name.
  const strayNodes = new Map<string, NodeInfo>();
  const placeOf = (node: string): NodeInfo => {
    let place = nodes.get(node) ?? strayNodes.get(node);
    if (!place) strayNodes.set(node, (place = { name: node, ip: '', locality: NO_LOCALITY }));
    return place;
  };

  const built: WorkloadInfo[] = [];
  const namedPortsOf = new Map<WorkloadInfo, Record<string, number>>();
  const workloadsByOwner = new Map<string, WorkloadInfo[]>();
  /** Groups by owner key (usually one per owner). */
  const groupsByOwner = new Map<string, WorkloadGroup[]>();
  const ztunnelByNode = new Map<string, WorkloadInfo>();
  for (const pod of inputs.pods) {
    const ip = pod.status?.podIP;
    const phase = pod.status?.phase;
    if (!ip || phase === 'Succeeded' || phase === 'Failed') continue;
    const ns = pod.metadata.namespace ?? 'default';
    const labels = pod.metadata.labels ?? NO_LABELS;
    const mode = dataplaneMode(pod, inputs.nsLabels(ns), inputs.systemNs);
    const sa = pod.spec?.serviceAccountName ?? pod.spec?.serviceAccount ?? 'default';
    const node = pod.spec?.nodeName ?? '';
    const { role, gateway } = roleOf(pod, inputs.systemNs, inputs.gatewayClasses);
    // A pod of a Gateway istiod knows as a waypoint (any class with status addresses: waypoint,
    // ingress or east-west) is one of its instances and never gets a waypoint (fetchWaypointForInstance).
    const gatewayName = labels[GATEWAY_NAME];
    const instance = role === 'waypoint' || (gatewayName !== undefined && waypoints.has(`${ns}/${gatewayName}`));
    const binding = instance ? undefined : podBinding(ns, labels);
    const workloadName = ownerName(pod, owners);
    const facts: GroupFacts = {
      cluster: inputs.cluster,
      network: inputs.network,
      namespace: ns,
      workloadName,
      serviceAccount: sa,
      identity: '',
      mode,
      role,
      gateway,
      waypoint: binding?.waypoint,
      waypointCondition: binding?.condition,
    };
    const ownerKey = `${ns}/${workloadName}`;
    let groups = groupsByOwner.get(ownerKey);
    if (!groups) groupsByOwner.set(ownerKey, (groups = []));
    let group = groups.find((g) => g.holds(facts));
    if (!group) {
      facts.identity = interner.identity(ns, sa);
      groups.push((group = new WorkloadGroup(facts)));
    }
    const w = new MeshWorkload(group, { ip, place: placeOf(node), healthy: podReady(pod), pod });
    built.push(w);
    namedPortsOf.set(w, interner.namedPorts(pod));
    const list = workloadsByOwner.get(ownerKey);
    if (list) list.push(w);
    else workloadsByOwner.set(ownerKey, [w]);
    if (role === 'ztunnel') ztunnelByNode.set(node, w);
  }
  for (const [key, list] of workloadsByOwner) workloadsByOwner.set(key, exactSize(list).sort(byName));
  return { workloads: exactSize(built), namedPortsOf, workloadsByOwner, ztunnelByNode };
}
