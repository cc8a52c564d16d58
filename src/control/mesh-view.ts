// Builds the mesh view (the WDS-like state istiod pushes) from a cluster's objects: its nodes,
// namespaces and waypoints here, its workloads (view-workloads.ts), Services (view-services.ts),
// WorkloadEntries and ServiceEntries.
import type { Gateway, GatewayClass, KubeObject, Labels, Namespace, Node, Pod, ServiceEntry, WorkloadEntry } from '../k8s/types';
import type { MeshConfig } from './config';
import { exactSize } from './exact-size';
import { ViewInterner } from './intern';
import { IpIndex } from './ip-index';
import { REGION_LABEL, SUBZONE_LABEL, ZONE_LABEL } from './labels';
import type { Locality, NodeInfo, ServiceInfo, WorkloadInfo } from './model';
import { PodIndex } from './pod-index';
import { entryWorkloads, serviceEntryServices, type EntryWorkload } from './service-entries';
import { ingressUseWaypoint, viewServices } from './view-services';
import { viewWorkloads } from './view-workloads';
import { waypointFromGateway, type WaypointInfo, type WaypointLookup } from './waypoints';
import { NO_LABELS } from './workload';
import { workloadEntriesByNamespace } from './workload-entries';

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

/** What the view's parts are built with: the cluster, the interner they share, and how waypoints are found. */
export interface ViewContext {
  cluster: string;
  interner: ViewInterner;
  nsLabels: (ns: string) => Labels;
  /** `ns/name` → waypoint (Gateways with status addresses). */
  waypoints: ReadonlyMap<string, WaypointInfo>;
  lookup: WaypointLookup;
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

function nodeLocality(node: Node): Locality {
  const l = node.metadata.labels ?? NO_LABELS;
  return { region: l[REGION_LABEL] ?? '', zone: l[ZONE_LABEL] ?? '', subzone: l[SUBZONE_LABEL] ?? '' };
}

export function buildMeshView(input: ClusterInput, config: MeshConfig): MeshView {
  const { objects } = input;
  const interner = new ViewInterner(config.trustDomain);

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

  const context: ViewContext = { cluster: input.name, interner, nsLabels, waypoints, lookup };
  const { workloads, namedPortsOf, workloadsByOwner, ztunnelByNode } = viewWorkloads({
    ...context,
    network: input.network,
    systemNs: config.rootNamespace,
    pods: objects.list('Pod') as Pod[],
    replicaSets: objects.list('ReplicaSet'),
    nodes,
    gatewayClasses,
  });
  const workloadEntries = workloadEntriesByNamespace(objects.list('WorkloadEntry') as WorkloadEntry[], { cluster: input.name, network: input.network, interner, lookup });
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

  const { services, waypointServices } = viewServices({ ...context, domain: config.domain, objects, podsByNs, workloadByPod, namedPortsOf, workloadEntries, nsAnnotations });
  const externals = new Map<string, WorkloadInfo>();
  const entryInputs = { cluster: input.name, network: input.network, externals, podsByNs, workloadEntries, namedPortsOf, workloadByIp, lookup, interner, ingressUseWaypoint: (l: Labels, ns: string) => ingressUseWaypoint(l, nsLabels(ns)) };
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
