// Builds the mesh view (the WDS-like state istiod pushes) from a cluster's objects.
import { matchLabels } from '../k8s/object';
import type { EndpointSlice, Gateway, GatewayClass, KubeObject, Labels, Namespace, Node, Pod, Service, ServiceEntry, WorkloadEntry } from '../k8s/types';
import type { MeshConfig } from './config';
import { dataplaneMode } from './enrollment';
import { resolveTargetPort, serviceHostname, ViewInterner } from './intern';
import { IpIndex } from './ip-index';
import {
  EASTWEST_CONTROLLER,
  GATEWAY_MANAGED,
  GATEWAY_NAME,
  GLOBAL_SERVICE,
  INGRESS_USE_WAYPOINT,
  MESH_CONTROLLER,
  REGION_LABEL,
  SERVICE_NAME,
  SUBZONE_LABEL,
  TRAFFIC_DISTRIBUTION_ANNOTATION,
  USE_WAYPOINT,
  USE_WAYPOINT_NAMESPACE,
  ZONE_LABEL,
} from './labels';
import type { LoadBalancingMode, Locality, NodeInfo, ServiceEndpoint, ServiceInfo, WorkloadInfo, WorkloadRole } from './model';
import { byName, PodIndex } from './pod-index';
import { entryWorkloads, serviceEntryServices, type EntryWorkload } from './service-entries';
import { resolveWaypoint, waypointFromGateway, type Binding, type WaypointInfo, type WaypointLookup } from './waypoints';
import { MeshWorkload, NO_LABELS, WorkloadGroup, type GroupFacts } from './workload';
import { selectedEntries, workloadEntriesByNamespace } from './workload-entries';

/** Read access to one cluster's stored objects. */
export interface ObjectReader {
  list(kind: string, namespace?: string): readonly KubeObject[];
}

export interface ClusterInput {
  name: string;
  network: string;
  objects: ObjectReader;
  version: number;
}

export interface MeshView {
  cluster: string;
  network: string;
  version: number;
  config: MeshConfig;
  nodes: Map<string, NodeInfo>;
  namespaces: Map<string, Labels>;
  workloads: WorkloadInfo[];
  workloadByIp: IpIndex;
  /** Host-network pods by their node's IP: ztunnel keeps them out of its address index (passthrough finds them). */
  hostNetworkByIp: Map<string, WorkloadInfo[]>;
  /** `ns/podName` → workload. */
  workloadByPod: PodIndex;
  /** `ns/ownerName` → its pods, sorted by name. */
  workloadsByOwner: Map<string, WorkloadInfo[]>;
  /** The ztunnel pod serving each node. */
  ztunnelByNode: Map<string, WorkloadInfo>;
  services: ServiceInfo[];
  serviceByVip: Map<string, ServiceInfo>;
  serviceByHost: Map<string, ServiceInfo>;
  /** `ns/name` of a ServiceEntry → its services, one per host (service-lookup.ts). */
  serviceEntries: Map<string, ServiceInfo[]>;
  /** Servers outside the cluster that ServiceEntries name, by address (IP or DNS name). */
  externals: Map<string, WorkloadInfo>;
  /** The workloads istiod builds for ServiceEntries' endpoints, as `istioctl ztunnel-config workload` lists them. */
  entryWorkloads: EntryWorkload[];
  /** The WorkloadEntries' workloads (workload-entries.ts): not pods: reached as endpoints and at their addresses. */
  workloadEntries: WorkloadInfo[];
  /** `ns/name` → waypoint (Gateways with status addresses). */
  waypoints: Map<string, WaypointInfo>;
  /** `ns/name` of a waypoint → the Service deployed for it. */
  waypointServices: Map<string, ServiceInfo>;
}

/**
 * The services by VIP and by hostname, the first listed keeping an address or a host they share:
 * Services come before ServiceEntries, so a Service keeps its hostname, and among ServiceEntries
 * the first listed keeps a host.
 */
export function indexServices(services: readonly ServiceInfo[]): { serviceByVip: Map<string, ServiceInfo>; serviceByHost: Map<string, ServiceInfo> } {
  const serviceByVip = new Map<string, ServiceInfo>();
  const serviceByHost = new Map<string, ServiceInfo>();
  for (const s of services) {
    for (const vip of s.vips) if (!serviceByVip.has(vip)) serviceByVip.set(vip, s);
    if (!serviceByHost.has(s.hostname)) serviceByHost.set(s.hostname, s);
  }
  return { serviceByVip, serviceByHost };
}

/** Of pods whose node is unknown; shared like every node's own locality. */
const NO_LOCALITY: Locality = Object.freeze({ region: '', zone: '', subzone: '' });

function nodeLocality(node: Node): Locality {
  const l = node.metadata.labels ?? NO_LABELS;
  return { region: l[REGION_LABEL] ?? '', zone: l[ZONE_LABEL] ?? '', subzone: l[SUBZONE_LABEL] ?? '' };
}

function podReady(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** ReplicaSet name → its owner's name, per namespace (nested so lookups build no key strings). */
type ReplicaSetOwners = Map<string, Map<string, string>>;

function ownerName(pod: Pod, replicaSetOwners: ReplicaSetOwners): string {
  const refs = pod.metadata.ownerReferences;
  if (!refs || refs.length === 0) return pod.metadata.name;
  const ref = refs.find((r) => r.controller !== false) ?? refs[0]!;
  if (ref.kind === 'ReplicaSet') return replicaSetOwners.get(pod.metadata.namespace ?? '')?.get(ref.name) ?? ref.name;
  return ref.name;
}

function roleOf(pod: Pod, systemNs: string, gatewayClasses: Map<string, string>): { role: WorkloadRole; gateway?: string } {
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

/** Service spec > Service annotation > Namespace annotation; internalTrafficPolicy Local wins (§3.4). */
function loadBalancingOf(svc: Service, nsAnnotations: Labels): LoadBalancingMode {
  if (svc.spec?.internalTrafficPolicy === 'Local') return { mode: 'strict', preferences: ['node'] };
  const td =
    svc.spec?.trafficDistribution ??
    svc.metadata.annotations?.[TRAFFIC_DISTRIBUTION_ANNOTATION] ??
    nsAnnotations[TRAFFIC_DISTRIBUTION_ANNOTATION];
  if (td === 'PreferClose' || td === 'PreferSameZone') return { mode: 'failover', preferences: ['network', 'region', 'zone'] };
  if (td === 'PreferSameNode') return { mode: 'failover', preferences: ['network', 'region', 'zone', 'subzone', 'node'] };
  return { mode: 'any' };
}

/**
 * The same elements in an array without spare capacity: a list grown by push keeps up to half its
 * length (and at least 16 slots) unused, which per pod adds up across the view's lists.
 */
function exactSize<T>(list: T[]): T[] {
  return list.slice();
}

/**
 * Whether an ingress gateway sends to the Service's waypoint (istiod 1.28's ingressUseWaypoint):
 * the Service's own label when it has one, else its namespace's; only `true`, in any case, is true.
 */
function ingressUseWaypoint(svcLabels: Labels, nsLabels: Labels): boolean {
  return (svcLabels[INGRESS_USE_WAYPOINT] ?? nsLabels[INGRESS_USE_WAYPOINT])?.toLowerCase() === 'true';
}

export function buildMeshView(input: ClusterInput, config: MeshConfig): MeshView {
  const { objects } = input;
  const systemNs = config.rootNamespace;
  const shared = new ViewInterner(config.trustDomain);

  const namespaces = new Map<string, Labels>();
  const nsAnnotations = new Map<string, Labels>();
  for (const ns of objects.list('Namespace') as Namespace[]) {
    namespaces.set(ns.metadata.name, ns.metadata.labels ?? NO_LABELS);
    nsAnnotations.set(ns.metadata.name, ns.metadata.annotations ?? NO_LABELS);
  }
  const nsLabels = (ns: string): Labels => namespaces.get(ns) ?? NO_LABELS;

  const nodes = new Map<string, NodeInfo>();
  for (const n of objects.list('Node') as Node[]) {
    const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    nodes.set(n.metadata.name, { name: n.metadata.name, ip, locality: nodeLocality(n) });
  }

  // Waypoints: every Gateway with status addresses.
  const classLabels = new Map<string, Labels>();
  for (const gc of objects.list('GatewayClass') as GatewayClass[]) classLabels.set(gc.metadata.name, gc.metadata.labels ?? NO_LABELS);
  const gatewayClasses = new Map<string, string>();
  const waypoints = new Map<string, WaypointInfo>();
  for (const gw of objects.list('Gateway') as Gateway[]) {
    const key = `${gw.metadata.namespace}/${gw.metadata.name}`;
    gatewayClasses.set(key, gw.spec?.gatewayClassName ?? '');
    const wp = waypointFromGateway(gw, classLabels.get(gw.spec?.gatewayClassName ?? ''));
    if (wp) waypoints.set(key, wp);
  }
  const lookup: WaypointLookup = {
    waypoint: (ns, name) => waypoints.get(`${ns}/${name}`),
    namespaceLabels: nsLabels,
  };

  const rsOwners: ReplicaSetOwners = new Map();
  for (const rs of objects.list('ReplicaSet')) {
    const ref = rs.metadata.ownerReferences?.[0];
    if (!ref) continue;
    const ns = rs.metadata.namespace ?? '';
    let byName = rsOwners.get(ns);
    if (!byName) rsOwners.set(ns, (byName = new Map()));
    byName.set(rs.metadata.name, ref.name);
  }
  // Bindings depend on the namespace and the pod's two waypoint labels alone: resolved once per
  // distinct value, so pods of one owner share one binding (and one workload group).
  const podBindings = new Map<string, Binding>();
  const podBinding = (ns: string, labels: Labels): Binding => {
    const own = labels[USE_WAYPOINT];
    const key = own === undefined ? ns : `${ns}\u0000${own}\u0000${labels[USE_WAYPOINT_NAMESPACE] ?? '\u0001'}`;
    let b = podBindings.get(key);
    if (!b) podBindings.set(key, (b = resolveWaypoint({ kind: 'Pod', namespace: ns, labels }, lookup)));
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
  // Only the view build resolves named ports, so workloads do not carry them.
  const namedPortsOf = new Map<WorkloadInfo, Record<string, number>>();
  const workloadsByOwner = new Map<string, WorkloadInfo[]>();
  /** Groups by owner key (usually one per owner). */
  const groupsByOwner = new Map<string, WorkloadGroup[]>();
  const ztunnelByNode = new Map<string, WorkloadInfo>();
  for (const pod of objects.list('Pod') as Pod[]) {
    const ip = pod.status?.podIP;
    const phase = pod.status?.phase;
    if (!ip || phase === 'Succeeded' || phase === 'Failed') continue;
    const ns = pod.metadata.namespace ?? 'default';
    const labels = pod.metadata.labels ?? NO_LABELS;
    const mode = dataplaneMode(pod, nsLabels(ns), systemNs);
    const sa = pod.spec?.serviceAccountName ?? pod.spec?.serviceAccount ?? 'default';
    const node = pod.spec?.nodeName ?? '';
    const { role, gateway } = roleOf(pod, systemNs, gatewayClasses);
    // A pod of a Gateway istiod knows as a waypoint (any class with status addresses: waypoint,
    // ingress or east-west) is one of its instances and never gets a waypoint (fetchWaypointForInstance).
    const gatewayName = labels[GATEWAY_NAME];
    const instance = role === 'waypoint' || (gatewayName !== undefined && waypoints.has(`${ns}/${gatewayName}`));
    const binding = instance ? undefined : podBinding(ns, labels);
    const workloadName = ownerName(pod, rsOwners);
    const facts: GroupFacts = {
      cluster: input.name,
      network: input.network,
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
      facts.identity = shared.identity(ns, sa);
      groups.push((group = new WorkloadGroup(facts)));
    }
    const w = new MeshWorkload(group, { ip, place: placeOf(node), healthy: podReady(pod), pod });
    built.push(w);
    namedPortsOf.set(w, shared.namedPorts(pod));
    const list = workloadsByOwner.get(ownerKey);
    if (list) list.push(w);
    else workloadsByOwner.set(ownerKey, [w]);
    if (role === 'ztunnel') ztunnelByNode.set(node, w);
  }
  for (const [key, list] of workloadsByOwner) workloadsByOwner.set(key, exactSize(list).sort(byName));
  const workloads = exactSize(built);
  const workloadEntries = workloadEntriesByNamespace(objects.list('WorkloadEntry') as WorkloadEntry[], { cluster: input.name, network: input.network, interner: shared, lookup });
  const entryList = [...workloadEntries.values()].flatMap((list) => list.map((e) => e.workload));
  // Host-network pods share their node's IP: they are not found by it. A pod and a WorkloadEntry
  // of one IP: the pod (the later wins).
  const workloadByIp = new IpIndex(entryList.length ? [...entryList, ...workloads] : workloads, (w) => !w.pod.spec?.hostNetwork);
  const hostNetworkByIp = new Map<string, WorkloadInfo[]>();
  for (const w of workloads) {
    if (!w.pod.spec?.hostNetwork) continue;
    const list = hostNetworkByIp.get(w.ip);
    if (list) list.push(w);
    else hostNetworkByIp.set(w.ip, [w]);
  }

  // Pods per namespace, for selector matching and lookups by pod name.
  const podsByNs = new Map<string, WorkloadInfo[]>();
  for (const w of workloads) {
    const list = podsByNs.get(w.namespace);
    if (list) list.push(w);
    else podsByNs.set(w.namespace, [w]);
  }
  for (const [ns, list] of podsByNs) podsByNs.set(ns, exactSize(list));
  const workloadByPod = new PodIndex(podsByNs);

  // Selector-less Services: the pods their EndpointSlices name by targetRef (istiod's
  // matchingServicesWithoutSelectors), each port taken from the slice port of the same name.
  // Indexed on first use: most meshes have no selector-less Service but the API server's.
  let slicesByService: Map<string, EndpointSlice[]> | undefined;
  const slicesOf = (key: string): EndpointSlice[] => {
    if (slicesByService === undefined) {
      slicesByService = new Map();
      for (const o of objects.list('EndpointSlice') as EndpointSlice[]) {
        const owner = o.metadata.labels?.[SERVICE_NAME];
        if (owner === undefined) continue;
        const k = `${o.metadata.namespace ?? 'default'}/${owner}`;
        const list = slicesByService.get(k);
        if (list) list.push(o);
        else slicesByService.set(k, [o]);
      }
    }
    return slicesByService.get(key) ?? [];
  };
  const sliceEndpoints = (name: string, ns: string, ports: readonly { name?: string; port: number }[]): ServiceEndpoint[] => {
    const out: ServiceEndpoint[] = [];
    for (const slice of slicesOf(`${ns}/${name}`)) {
      const pairs: [number, number][] = [];
      for (const p of ports) {
        const sp = (slice.ports ?? []).find((x) => (x.name ?? '') === (p.name ?? ''));
        if (sp?.port !== undefined) pairs.push([p.port, sp.port]);
      }
      const targetPorts = shared.targetPorts(pairs);
      for (const e of slice.endpoints ?? []) {
        const ref = e.targetRef;
        if (ref?.kind !== 'Pod') continue;
        const w = workloadByPod.get(`${ref.namespace ?? ns}/${ref.name}`);
        if (w) out.push({ workload: w, targetPorts });
      }
    }
    return out;
  };

  const services: ServiceInfo[] = [];
  const waypointServices = new Map<string, ServiceInfo>();
  for (const svc of objects.list('Service') as Service[]) {
    if (svc.spec?.type === 'ExternalName') continue;
    const ns = svc.metadata.namespace ?? 'default';
    const labels = svc.metadata.labels ?? NO_LABELS;
    const headless = svc.spec?.clusterIP === 'None';
    const vips = headless ? [] : (svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []));
    const ports = (svc.spec?.ports ?? []).map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      protocol: p.protocol ?? 'TCP',
      appProtocol: p.appProtocol,
    }));
    const endpoints: ServiceEndpoint[] = [];
    const selector = svc.spec?.selector;
    if (selector && Object.keys(selector).length > 0) {
      // Pods with the same named ports share one table, so resolve once per table.
      const byNamedPorts = new Map<Record<string, number>, Map<number, number>>();
      for (const w of podsByNs.get(ns) ?? []) {
        if (!matchLabels(selector, w.labels)) continue;
        const namedPorts = namedPortsOf.get(w)!;
        let targetPorts = byNamedPorts.get(namedPorts);
        if (!targetPorts) {
          const pairs: [number, number][] = [];
          for (const p of ports) {
            const tp = resolveTargetPort(p.targetPort, namedPorts);
            if (tp !== undefined) pairs.push([p.port, tp]);
          }
          byNamedPorts.set(namedPorts, (targetPorts = shared.targetPorts(pairs)));
        }
        endpoints.push({ workload: w, targetPorts });
      }
      for (const e of selectedEntries(workloadEntries, ns, selector, ports, shared, 'Service')) endpoints.push(e);
    } else {
      for (const e of sliceEndpoints(svc.metadata.name, ns, ports)) endpoints.push(e);
    }
    const managed = labels[GATEWAY_MANAGED];
    const info: ServiceInfo = {
      cluster: input.name,
      namespace: ns,
      name: svc.metadata.name,
      hostname: serviceHostname(svc.metadata.name, ns, config.domain),
      vips,
      headless,
      ports,
      endpoints: exactSize(endpoints),
      labels,
      ingressUseWaypoint: ingressUseWaypoint(labels, nsLabels(ns)),
      loadBalancing: loadBalancingOf(svc, nsAnnotations.get(ns) ?? NO_LABELS),
      includeUnhealthy: svc.spec?.publishNotReadyAddresses === true,
      global: labels[GLOBAL_SERVICE] === 'true',
      source: { kind: 'Service', spec: svc.spec ?? {} },
    };
    // Services of waypoints and east-west gateways are never bound (fetchWaypointForService).
    if (managed !== MESH_CONTROLLER && managed !== EASTWEST_CONTROLLER) {
      const b = resolveWaypoint({ kind: 'Service', namespace: ns, labels }, lookup);
      info.waypoint = b.waypoint;
      info.waypointCondition = b.condition;
      if (b.waypoint && b.condition) {
        // The condition speaks of the Service's own label only (istiod's GetConditions).
        const own = labels[INGRESS_USE_WAYPOINT];
        if (own?.toLowerCase() === 'true') b.condition.message += '. Ingress traffic will traverse the waypoint';
        else if (own !== undefined)
          b.condition.message += '. Ingress traffic is not using the waypoint, set the istio.io/ingress-use-waypoint label to true if desired.';
      }
    }
    services.push(info);
    const wpKey = `${ns}/${svc.metadata.name}`;
    if (waypoints.has(wpKey) && managed !== undefined) waypointServices.set(wpKey, info);
  }
  const externals = new Map<string, WorkloadInfo>();
  const entryInputs = { cluster: input.name, network: input.network, externals, podsByNs, workloadEntries, namedPortsOf, workloadByIp, lookup, interner: shared, ingressUseWaypoint: (l: Labels, ns: string) => ingressUseWaypoint(l, nsLabels(ns)) };
  const serviceEntries = new Map<string, ServiceInfo[]>();
  const entryWorkloadList: EntryWorkload[] = [];
  for (const se of objects.list('ServiceEntry') as ServiceEntry[]) {
    entryWorkloadList.push(...entryWorkloads(se));
    const infos = serviceEntryServices(se, entryInputs);
    if (infos.length) serviceEntries.set(`${infos[0]!.namespace}/${se.metadata.name}`, infos);
    services.push(...infos);
  }
  const { serviceByVip, serviceByHost } = indexServices(services);

  return {
    cluster: input.name,
    network: input.network,
    version: input.version,
    config,
    nodes,
    namespaces,
    workloads,
    workloadByIp,
    hostNetworkByIp,
    workloadByPod,
    workloadsByOwner,
    ztunnelByNode,
    services,
    serviceByVip,
    serviceByHost,
    serviceEntries,
    externals,
    entryWorkloads: entryWorkloadList,
    workloadEntries: entryList,
    waypoints,
    waypointServices,
  };
}
