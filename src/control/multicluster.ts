// Multicluster ambient (reference/ambient.md §5): what the local istiod makes of Services that
// other clusters also have. Only global Services merge (`istio.io/global=true` in the ambient
// profile's serviceScopeConfigs); the local copy is the base and keeps its waypoint binding.
// Remote endpoints on the same network are added as they are; a remote network contributes one
// split-horizon endpoint weighted by its endpoint count, reached through its east-west gateway.
import type { MeshView } from './mesh-view';
import type { ServiceEndpoint, ServiceInfo, WorkloadInfo } from './model';
import { derivedWorkload } from './workload';

/** The east-west gateway pod of a cluster's network, if one is deployed and ready. */
function eastWestGateway(view: MeshView): WorkloadInfo | undefined {
  return view.workloads.find((w) => w.role === 'eastwest-gateway' && w.healthy);
}

function healthyCount(svc: ServiceInfo): number {
  let n = 0;
  for (const e of svc.endpoints) if (e.workload.healthy || svc.includeUnhealthy) n += e.capacity ?? 1;
  return n;
}

/** A stand-in workload for a remote network: it has no IP of its own, only the gateway to reach it. */
function splitHorizonWorkload(remote: MeshView, gateway: WorkloadInfo, svc: ServiceInfo): WorkloadInfo {
  return derivedWorkload(gateway, {
    uid: `${remote.network}/SplitHorizonWorkload/${gateway.namespace}/${gateway.gateway ?? gateway.name}/${gateway.ip}/${svc.namespace}/${svc.hostname}`,
    name: `split-horizon(${remote.cluster})`,
    healthy: true,
    waypoint: undefined,
  });
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
      // Every service port maps straight through: the remote side resolves target ports itself.
      const targetPorts = new Map(svc.ports.map((p) => [p.port, p.port] as [number, number]));
      endpoints.push({ workload: splitHorizonWorkload(remote, gateway, copy), targetPorts, capacity, remote: { cluster: copy.cluster, network: remote.network, gateway, service: copy } });
    }
    return { ...svc, endpoints, vips };
  });
  const serviceByVip = new Map<string, ServiceInfo>();
  const serviceByHost = new Map<string, ServiceInfo>();
  for (const s of services) {
    for (const vip of s.vips) if (!serviceByVip.has(vip)) serviceByVip.set(vip, s);
    serviceByHost.set(s.hostname, s);
  }
  const waypointServices = new Map([...local.waypointServices].map(([k, s]) => [k, serviceByHost.get(s.hostname) ?? s]));
  return { ...local, services, serviceByVip, serviceByHost, waypointServices };
}
