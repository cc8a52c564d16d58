// ServiceEntries as istiod's ambient index hands them to ztunnel (services.go
// constructServiceEntries, workloads.go): one service per host, named after the ServiceEntry, with
// the host as its hostname; its VIPs are spec.addresses or else the host's auto-allocated
// addresses (status.addresses); its endpoints are the pods its workloadSelector picks in its own
// namespace, or the pods its inline endpoints address.
import { matchLabels } from '../k8s/object';
import type { Labels, ServiceEntry } from '../k8s/types';
import type { ViewInterner } from './intern';
import type { IpIndex } from './ip-index';
import type { ServiceEndpoint, ServiceInfo, ServicePortInfo, WorkloadInfo } from './model';
import { resolveWaypoint, type WaypointLookup } from './waypoints';

export interface ServiceEntryInputs {
  cluster: string;
  podsByNs: Map<string, WorkloadInfo[]>;
  namedPortsOf: Map<WorkloadInfo, Record<string, number>>;
  workloadByIp: IpIndex;
  lookup: WaypointLookup;
  interner: ViewInterner;
  ingressUseWaypoint: (labels: Labels, ns: string) => boolean;
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
      endpoints,
      labels,
      waypoint: binding.waypoint,
      waypointCondition: binding.condition,
      ingressUseWaypoint: inputs.ingressUseWaypoint(labels, ns),
      loadBalancing: { mode: 'any' },
      // resolution NONE: ztunnel passes the connection on to the address dialled (LB mode PASSTHROUGH, every endpoint allowed).
      passthrough: spec.resolution === 'NONE',
      includeUnhealthy: spec.resolution === 'NONE',
      global: false,
      source: { kind: 'ServiceEntry', spec: {} },
    });
  }
  return out;
}

/** Pods as endpoints: a port maps to the pod's container port of the SE port's name, else to its target port. */
function endpointsOf(se: ServiceEntry, ns: string, ports: ServicePortInfo[], inputs: ServiceEntryInputs): ServiceEndpoint[] {
  const spec = se.spec!;
  const out: ServiceEndpoint[] = [];
  const selector = spec.workloadSelector?.labels;
  if (selector && Object.keys(selector).length > 0) {
    for (const w of inputs.podsByNs.get(ns) ?? []) {
      if (!matchLabels(selector, w.labels)) continue;
      const named = inputs.namedPortsOf.get(w) ?? {};
      out.push({ workload: w, targetPorts: inputs.interner.targetPorts(ports.map((p) => [p.port, named[p.name ?? ''] ?? (p.targetPort as number)])) });
    }
    return out;
  }
  for (const e of spec.endpoints ?? []) {
    const w = e.address === undefined ? undefined : inputs.workloadByIp.get(e.address);
    if (!w) continue;
    out.push({ workload: w, targetPorts: inputs.interner.targetPorts(ports.map((p) => [p.port, e.ports?.[p.name ?? ''] ?? (p.targetPort as number)])), ...(e.weight ? { capacity: e.weight } : {}) });
  }
  return out;
}
