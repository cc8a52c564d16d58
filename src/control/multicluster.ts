// Multicluster ambient (reference/ambient.md §5): what the local istiod makes of Services that
// other clusters also have. Only global Services merge (`istio.io/global=true` in the ambient
// profile's serviceScopeConfigs); the local copy is the base and keeps its waypoint binding.
// Remote endpoints on the same network are added as they are; a remote network contributes one
// split-horizon endpoint weighted by its endpoint count, reached through its east-west gateway.
import { BoundedMap } from '../bounded-map';
import { NETWORK_LABEL } from './labels';
import { indexServices, type MeshView } from './mesh-view';
import type { ServiceEndpoint, ServiceInfo, WorkloadInfo } from './model';
import { standInsOf } from './workload';

/**
 * The east-west gateway pod of a cluster's network, if one is deployed and ready, and its Gateway
 * is one istiod accepts as the network's (remoteK8sGatewayToNetworkGateways): labelled
 * `topology.istio.io/network` with that network, with status addresses, and an HBONE listener
 * terminating TLS. Otherwise the network has no gateway and its endpoints are out of reach.
 */
function eastWestGateway(view: MeshView): WorkloadInfo | undefined {
  return view.workloads.find((w) => w.role === 'eastwest-gateway' && w.healthy && servesNetwork(view, w.gateway));
}

function servesNetwork(view: MeshView, gatewayKey: string | undefined): boolean {
  const gw = gatewayKey === undefined ? undefined : view.waypoints.get(gatewayKey)?.gateway;
  if (!gw || gw.metadata.labels?.[NETWORK_LABEL] !== view.network) return false;
  return (gw.spec?.listeners ?? []).some((l) => l.protocol === 'HBONE' && l.tls?.mode === 'Terminate');
}

function healthyCount(svc: ServiceInfo): number {
  let n = 0;
  for (const e of svc.endpoints) if (e.workload.healthy || svc.includeUnhealthy) n += e.capacity ?? 1;
  return n;
}

/** Split-horizon stand-ins by east-west gateway: one group and node record for all their Services. */
const standIns = new WeakMap<WorkloadInfo, (uid: string) => WorkloadInfo>();

/** A stand-in workload for a remote network: it has no IP of its own, only the gateway to reach it. */
function splitHorizonWorkload(remote: MeshView, gateway: WorkloadInfo, svc: ServiceInfo): WorkloadInfo {
  let make = standIns.get(gateway);
  if (!make) standIns.set(gateway, (make = standInsOf(gateway, { name: `split-horizon(${remote.cluster})`, healthy: true, waypoint: undefined })));
  // A flat string: a template would keep a chain of concatenation nodes per Service.
  return make([remote.network, 'SplitHorizonWorkload', gateway.namespace, gateway.gateway ?? gateway.name, gateway.ip, svc.namespace, svc.hostname].join('/'));
}

interface SplitHorizonEntry {
  gateway: WorkloadInfo;
  ports: string;
  endpoint: ServiceEndpoint;
}

/**
 * The endpoint standing for a remote copy of a Service, built once per copy and shared by every
 * cluster that merges it: with N clusters each Service would otherwise get N-1 of them N times.
 * Remote views are rebuilt, never changed, so a copy's endpoint only depends on the gateway and ports.
 */
const splitHorizonEndpoints = new WeakMap<ServiceInfo, SplitHorizonEntry>();

/**
 * Port maps that send every service port to itself, one per distinct port list (`80,443,`): every
 * remote copy of every Service with those ports shares it, as a view's endpoints share theirs
 * (intern.ts). Never changed by their readers; bounded like the other caches of shared values.
 */
const straightMaps = new BoundedMap<string, Map<number, number>>(1024);

function straightThrough(key: string, ports: readonly { port: number }[]): Map<number, number> {
  let map = straightMaps.get(key);
  if (map === undefined) {
    map = new Map();
    for (const p of ports) map.set(p.port, p.port);
    straightMaps.set(key, map);
  }
  return map;
}

function splitHorizonEndpoint(svc: ServiceInfo, copy: ServiceInfo, remote: MeshView, gateway: WorkloadInfo, capacity: number): ServiceEndpoint {
  let ports = '';
  for (const p of svc.ports) ports += `${p.port},`;
  const cached = splitHorizonEndpoints.get(copy);
  if (cached && cached.gateway === gateway && cached.ports === ports) return cached.endpoint;
  // Every service port maps straight through: the remote side resolves target ports itself.
  const targetPorts = straightThrough(ports, svc.ports);
  const endpoint: ServiceEndpoint = { workload: splitHorizonWorkload(remote, gateway, copy), targetPorts, capacity, remote: { cluster: copy.cluster, network: remote.network, gateway, service: copy } };
  splitHorizonEndpoints.set(copy, { gateway, ports, endpoint });
  return endpoint;
}

/**
 * The local view with remote clusters' global Services merged in. `multiNetwork` is
 * AMBIENT_ENABLE_MULTI_NETWORK: without it, remote networks are unreachable.
 */
export function mergeRemoteServices(local: MeshView, remotes: readonly MeshView[]): MeshView {
  if (remotes.length === 0) return local;
  const byName = new Map<string, ServiceInfo[]>();
  for (const r of remotes) {
    for (const s of r.services) {
      if (!s.global) continue; // remote non-global copies are dropped
      const key = `${s.namespace}/${s.name}`;
      const list = byName.get(key);
      if (list) list.push(s);
      else byName.set(key, [s]);
    }
  }
  const gateways = new Map(remotes.map((r) => [r.cluster, eastWestGateway(r)]));
  const remoteViews = new Map(remotes.map((r) => [r.cluster, r]));
  const services = local.services.map((svc) => {
    const copies = svc.global ? byName.get(`${svc.namespace}/${svc.name}`) : undefined;
    if (!copies) return svc;
    const endpoints: ServiceEndpoint[] = [...svc.endpoints];
    const vips = [...svc.vips];
    for (const copy of copies) {
      vips.push(...copy.vips);
      if (copy.endpoints.length === 0) continue;
      const remote = remoteViews.get(copy.cluster)!;
      if (remote.network === local.network) {
        endpoints.push(...copy.endpoints);
        continue;
      }
      const gateway = gateways.get(copy.cluster);
      const capacity = healthyCount(copy);
      if (!local.config.features.multiNetwork || !gateway || capacity === 0) continue;
      endpoints.push(splitHorizonEndpoint(svc, copy, remote, gateway, capacity));
    }
    return { ...svc, endpoints, vips };
  });
  const { serviceByVip, serviceByHost } = indexServices(services);
  const waypointServices = new Map([...local.waypointServices].map(([k, s]) => [k, serviceByHost.get(s.hostname) ?? s]));
  return { ...local, services, serviceByVip, serviceByHost, waypointServices };
}
