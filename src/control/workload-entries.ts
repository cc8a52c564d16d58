// WorkloadEntries as istiod's ambient index builds them (workloads.go workloadEntryWorkloadBuilder):
// a workload of its own at the entry's address, which the Services and ServiceEntries of its
// namespace select by label like a pod (a Kubernetes Service too, PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES
// being on by default). Not a pod: it stays out of the pod indexes and the workload listings, and
// is reached as a selected endpoint or at its address.
import type { Labels, Pod, WorkloadEntry } from '../k8s/types';
import { matchLabels } from '../k8s/object';
import { isIPv4, isIPv6 } from '../k8s/schemas/common';
import type { Locality, NodeInfo, ServiceEndpoint, ServicePortInfo, WorkloadInfo } from './model';
import type { ViewInterner } from './intern';
import { resolveWaypoint, type WaypointLookup } from './waypoints';
import { MeshWorkload, WorkloadGroup } from './workload';

/** A WorkloadEntry's workload, with the port numbers its `ports` give by name and its weight. */
export interface EntryWorkloadEndpoint {
  workload: WorkloadInfo;
  ports: Readonly<Record<string, number>>;
  weight: number | undefined;
}

export interface WorkloadEntryInputs {
  cluster: string;
  network: string;
  interner: ViewInterner;
  lookup: WaypointLookup;
}

/**
 * The WorkloadEntries with an IP address on the cluster's network, by namespace. One given by
 * hostname, or on another network (reached through that network's gateway), is left out.
 */
export function workloadEntriesByNamespace(entries: readonly WorkloadEntry[], inputs: WorkloadEntryInputs): Map<string, EntryWorkloadEndpoint[]> {
  const out = new Map<string, EntryWorkloadEndpoint[]>();
  for (const we of entries) {
    const e = entryWorkload(we, inputs);
    if (!e) continue;
    const ns = e.workload.namespace;
    const list = out.get(ns);
    if (list) list.push(e);
    else out.set(ns, [e]);
  }
  return out;
}

/** The uid istiod gives a WorkloadEntry's workload (generateWorkloadEntryUID). */
function entryUid(cluster: string, ns: string, name: string): string {
  return `${cluster}/networking.istio.io/WorkloadEntry/${ns}/${name}`;
}

/** The workload's uid as ztunnel knows it: a WorkloadEntry's own, `<cluster>//Pod/<ns>/<name>` for a pod. */
export function ztunnelUid(w: WorkloadInfo): string {
  return w.uid === entryUid(w.cluster, w.namespace, w.name) ? w.uid : `${w.cluster}//Pod/${w.namespace}/${w.name}`;
}

function entryWorkload(we: WorkloadEntry, inputs: WorkloadEntryInputs): EntryWorkloadEndpoint | undefined {
  const spec = we.spec ?? {};
  const address = spec.address ?? '';
  if (!isIPv4(address) && !isIPv6(address)) return undefined;
  if (spec.network && spec.network !== inputs.network) return undefined;
  const ns = we.metadata.namespace ?? 'default';
  const name = we.metadata.name;
  // ConvertClientWorkloadEntry: spec and metadata labels merged, metadata's winning.
  const labels: Labels = spec.labels ? { ...spec.labels, ...(we.metadata.labels ?? {}) } : (we.metadata.labels ?? {});
  const serviceAccount = spec.serviceAccount ?? '';
  const binding = resolveWaypoint({ kind: 'WorkloadEntry', namespace: ns, labels }, inputs.lookup);
  const group = new WorkloadGroup({
    cluster: inputs.cluster,
    network: inputs.network,
    namespace: ns,
    workloadName: labels['service.istio.io/workload-name'] ?? name,
    serviceAccount,
    identity: inputs.interner.identity(ns, serviceAccount),
    // Without a ztunnel of its own (no tunnel label or redirection annotation) it is sent plain TCP.
    mode: 'none',
    role: 'app',
    gateway: undefined,
    waypoint: binding.waypoint,
    waypointCondition: binding.condition,
  });
  const place: NodeInfo = { name: '', ip: '', locality: localityOf(spec.locality) };
  // A stand-in pod: the workload's name, namespace and labels, no containers (any app answers).
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [] } };
  const workload = new MeshWorkload(group, { ip: address, place, healthy: true, pod, uid: entryUid(inputs.cluster, ns, name) });
  return { workload, ports: spec.ports ?? {}, weight: spec.weight !== undefined && spec.weight > 0 ? spec.weight : undefined };
}

/** `region/zone/subzone` (labelutil.SplitLocalityLabel); missing parts empty. */
function localityOf(locality: string | undefined): Locality {
  const [region = '', zone = '', subzone = ''] = (locality ?? '').split('/');
  return { region, zone, subzone };
}

/**
 * The entries of `ns` a Service selects, with the target ports of constructServicesFromWorkloadEntry:
 * a named targetPort must be one of the entry's ports (else the port is left out); a numeric one
 * gives way to the entry's port of the Service port's name.
 */
export function selectedEntries(
  byNs: Map<string, EntryWorkloadEndpoint[]>,
  ns: string,
  selector: Labels,
  ports: readonly ServicePortInfo[],
  interner: ViewInterner,
  source: 'Service' | 'ServiceEntry',
): ServiceEndpoint[] {
  const out: ServiceEndpoint[] = [];
  for (const e of byNs.get(ns) ?? []) {
    if (!matchLabels(selector, e.workload.labels)) continue;
    const pairs: [number, number][] = [];
    for (const p of ports) {
      const target = targetPortOf(p, e.ports, source);
      if (target !== undefined) pairs.push([p.port, target]);
    }
    out.push({ workload: e.workload, targetPorts: interner.targetPorts(pairs), ...(e.weight !== undefined ? { capacity: e.weight } : {}) });
  }
  return out;
}

function targetPortOf(p: ServicePortInfo, ports: Readonly<Record<string, number>>, source: 'Service' | 'ServiceEntry'): number | undefined {
  if (typeof p.targetPort === 'string') return source === 'Service' ? ports[p.targetPort] : (ports[p.name ?? ''] ?? p.port);
  return ports[p.name ?? ''] ?? (p.targetPort || p.port);
}
