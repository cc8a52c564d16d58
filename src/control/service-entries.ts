// ServiceEntries as istiod's ambient index hands them to ztunnel (services.go
// constructServiceEntries, workloads.go): one service per host, named after the ServiceEntry, with
// the host as its hostname; its VIPs are spec.addresses or else the host's auto-allocated
// addresses (status.addresses); its endpoints are the pods its workloadSelector picks in its own
// namespace, or what its inline endpoints address: a pod, or a server outside the cluster. An entry
// of resolution DNS with neither names its hosts themselves, each resolved by ztunnel when it
// connects. Servers outside the cluster answer as an unknown image does (a short body naming them).
import { matchLabels } from '../k8s/object';
import type { Labels, Pod, ServiceEntry } from '../k8s/types';
import type { ViewInterner } from './intern';
import type { IpIndex } from './ip-index';
import type { Locality, ServiceEndpoint, ServiceInfo, ServicePortInfo, WorkloadInfo } from './model';
import { resolveWaypoint, type WaypointLookup } from './waypoints';
import { selectedEntries, type EntryWorkloadEndpoint } from './workload-entries';

export interface ServiceEntryInputs extends ExternalPlace {
  podsByNs: Map<string, WorkloadInfo[]>;
  workloadEntries: Map<string, EntryWorkloadEndpoint[]>;
  namedPortsOf: Map<WorkloadInfo, Record<string, number>>;
  workloadByIp: IpIndex;
  lookup: WaypointLookup;
  interner: ViewInterner;
  ingressUseWaypoint: (labels: Labels, ns: string) => boolean;
}

const NOWHERE: Locality = Object.freeze({ region: '', zone: '', subzone: '' });

/** Where servers outside the cluster are kept: made once per address and view. */
export interface ExternalPlace {
  cluster: string;
  network: string;
  externals: Map<string, WorkloadInfo>;
}

/** The server at `address` (an IP or a DNS name) outside the cluster. */
export function externalServer(inputs: ExternalPlace, ns: string, address: string, labels: Labels): WorkloadInfo {
  let w = inputs.externals.get(address);
  if (w) return w;
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: address, namespace: ns }, spec: { containers: [] } };
  w = {
    uid: `${inputs.cluster}/external/${address}`,
    cluster: inputs.cluster,
    network: inputs.network,
    namespace: ns,
    name: address,
    workloadName: address,
    serviceAccount: '',
    identity: '',
    ip: address,
    node: '',
    locality: NOWHERE,
    labels,
    mode: 'none',
    protocol: 'TCP',
    healthy: true,
    role: 'app',
    external: true,
    pod,
  };
  inputs.externals.set(address, w);
  return w;
}

/** A single address of spec.addresses: an IP or a one-address CIDR; undefined for a wider CIDR. */
function singleAddress(a: string): string | undefined {
  const slash = a.indexOf('/');
  if (slash < 0) return a;
  const bits = a.slice(slash + 1);
  const ip = a.slice(0, slash);
  return bits === (ip.includes(':') ? '128' : '32') ? ip : undefined;
}

/** The SE port the way a Service port reads: protocol as the app protocol, so sniffing and TCP-only ports follow it. */
function portsOf(se: ServiceEntry): ServicePortInfo[] {
  return (se.spec?.ports ?? []).map((p) => ({
    name: p.name,
    port: p.number,
    targetPort: p.targetPort || p.number,
    protocol: 'TCP',
    appProtocol: p.protocol?.toLowerCase(),
  }));
}

/** Resolution DNS with neither endpoints nor a selector: each host is its own endpoint (workloads.go implicitEndpoints). */
function hostsAreEndpoints(se: ServiceEntry): boolean {
  const spec = se.spec;
  return (spec?.resolution === 'DNS' || spec?.resolution === 'DNS_ROUND_ROBIN') && !spec.endpoints?.length && !spec.workloadSelector;
}

export function serviceEntryServices(se: ServiceEntry, inputs: ServiceEntryInputs): ServiceInfo[] {
  const spec = se.spec;
  if (!spec) return [];
  const ns = se.metadata.namespace ?? 'default';
  const labels = se.metadata.labels ?? {};
  const explicit = (spec.addresses ?? []).map(singleAddress);
  // One address range wider than a single IP and istiod builds nothing for the whole entry.
  if (explicit.some((a) => a === undefined)) return [];
  const ports = portsOf(se);
  const endpoints = endpointsOf(se, ns, ports, inputs);
  const implicit = hostsAreEndpoints(se);
  const binding = resolveWaypoint({ kind: 'ServiceEntry', namespace: ns, labels }, inputs.lookup);
  const out: ServiceInfo[] = [];
  for (const host of new Set(spec.hosts ?? [])) {
    const vips = explicit.length ? (explicit as string[]) : (se.status?.addresses ?? []).filter((a) => a.host === host).map((a) => a.value);
    out.push({
      cluster: inputs.cluster,
      namespace: ns,
      name: se.metadata.name,
      hostname: host,
      vips,
      headless: false,
      ports,
      endpoints: implicit && !host.startsWith('*') ? [{ workload: externalServer(inputs, ns, host, {}), targetPorts: targetPortsOf(ports, {}, inputs) }] : endpoints,
      labels,
      waypoint: binding.waypoint,
      waypointCondition: binding.condition,
      ingressUseWaypoint: inputs.ingressUseWaypoint(labels, ns),
      loadBalancing: { mode: 'any' },
      // resolution NONE: ztunnel passes the connection on to the address dialled (LB mode PASSTHROUGH, every endpoint allowed).
      passthrough: spec.resolution === 'NONE',
      ...(spec.resolution === 'DYNAMIC_DNS' ? { dynamicDns: true } : {}),
      includeUnhealthy: spec.resolution === 'NONE',
      global: false,
      source: { kind: 'ServiceEntry', spec: {} },
    });
  }
  return out;
}

/** Service port → the endpoint's port of the SE port's name, else the SE port's target port. */
function targetPortsOf(ports: ServicePortInfo[], byName: Record<string, number>, inputs: ServiceEntryInputs): Map<number, number> {
  return inputs.interner.targetPorts(ports.map((p) => [p.port, byName[p.name ?? ''] ?? (p.targetPort as number)]));
}

/** The selected pods (their container ports by name) and WorkloadEntries, or the inline endpoints: pods by IP, other addresses outside the cluster. */
function endpointsOf(se: ServiceEntry, ns: string, ports: ServicePortInfo[], inputs: ServiceEntryInputs): ServiceEndpoint[] {
  const spec = se.spec!;
  const out: ServiceEndpoint[] = [];
  const selector = spec.workloadSelector?.labels;
  if (selector && Object.keys(selector).length > 0) {
    for (const w of inputs.podsByNs.get(ns) ?? []) {
      if (matchLabels(selector, w.labels)) out.push({ workload: w, targetPorts: targetPortsOf(ports, inputs.namedPortsOf.get(w) ?? {}, inputs) });
    }
    out.push(...selectedEntries(inputs.workloadEntries, ns, selector, ports, inputs.interner, 'ServiceEntry'));
    return out;
  }
  for (const e of spec.endpoints ?? []) {
    if (!e.address) continue;
    const w = inputs.workloadByIp.get(e.address) ?? externalServer(inputs, ns, e.address, e.labels ?? {});
    out.push({ workload: w, targetPorts: targetPortsOf(ports, e.ports ?? {}, inputs), ...(e.weight ? { capacity: e.weight } : {}) });
  }
  return out;
}

/**
 * A workload istiod builds from a ServiceEntry (workloads.go serviceEntryWorkloadBuilder): one per
 * inline endpoint, pods' IPs included, or, for resolution DNS with neither endpoints nor selector,
 * one per host; named after the entry, addressed by IP or by hostname, on no node.
 */
export interface EntryWorkload {
  namespace: string;
  name: string;
  /** An IP, or a DNS name ztunnel resolves when it connects. */
  address: string;
  serviceAccount: string;
  /** The entry's labels (canonical name and revision). */
  labels: Labels;
}

export function entryWorkloads(se: ServiceEntry): EntryWorkload[] {
  const spec = se.spec;
  if (!spec) return [];
  const ns = se.metadata.namespace ?? 'default';
  const labels = se.metadata.labels ?? {};
  const eps = hostsAreEndpoints(se) ? [...new Set(spec.hosts ?? [])].map((h) => ({ address: h, serviceAccount: '' })) : (spec.endpoints ?? []);
  return eps.map((e) => ({ namespace: ns, name: se.metadata.name, address: e.address ?? '', serviceAccount: e.serviceAccount ?? '', labels }));
}
