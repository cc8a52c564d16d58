// What each hop knew, rebuilt from the record and the mesh state: who the peer was (the client, or
// the waypoint / east-west gateway that opened the connection), which address and port it saw.
import type { MeshView } from '../control/mesh-view';
import type { ServiceInfo, WorkloadInfo } from '../control/model';
import type { Decision, Hop, RequestRecord } from '../result/types';
import type { Observed } from './types';

/** The party that opened the connection a hop receives. */
export interface Sender {
  identity: string | null;
  ip: string;
  /** Set when the sender is a waypoint pod: the destination ztunnel then sees its identity. */
  waypoint?: WorkloadInfo;
}

export function podOf(view: MeshView, hop: Hop): WorkloadInfo | undefined {
  const pod = hop.pod ?? hop.name;
  return hop.namespace ? view.workloadByPod.get(`${hop.namespace}/${pod}`) : undefined;
}

/** The Service the client addressed, as the given cluster knows it. */
export function addressedService(view: MeshView, r: RequestRecord): ServiceInfo | undefined {
  if (!r.to.service) return undefined;
  const [ns, name] = r.to.service.split('/');
  return view.serviceByHost.get(`${name}.${ns}.svc.${view.config.domain}`);
}

/** The pod a destination ztunnel served: the next hop, the endpoint picked, or the Service's endpoint on that node. */
export function destinationOf(view: MeshView, r: RequestRecord, hop: Hop, next: Hop | undefined, picks: readonly Decision[]): WorkloadInfo | undefined {
  if (next?.kind === 'pod') return podOf(view, next);
  const onNode = (w: WorkloadInfo | undefined) => (w && w.node === hop.node ? w : undefined);
  for (let i = picks.length - 1; i >= 0; i--) {
    const w = onNode(view.workloadByPod.get(picks[i]!.result));
    if (w) return w;
  }
  const byIp = onNode(view.workloadByIp.get(r.to.host));
  if (byIp) return byIp;
  return addressedService(view, r)?.endpoints.find((e) => !e.remote && e.workload.node === hop.node)?.workload;
}

/**
 * The target port a destination pod receives for the addressed service port. A pod the addressed
 * Service does not hold was reached through an ingress gateway's route to another Service: when
 * every Service port that leads to the pod leads to one target port, that is it.
 */
export function targetPortOf(view: MeshView, r: RequestRecord, dst: WorkloadInfo): number {
  const svc = addressedService(view, r);
  const own = svc?.endpoints.find((e) => e.workload === dst);
  if (own) return own.targetPorts.get(r.to.port) ?? r.to.port;
  const ports = new Set<number>();
  for (const s of view.services) for (const e of s.endpoints) if (e.workload === dst) for (const p of e.targetPorts.values()) ports.add(p);
  return ports.size === 1 ? [...ports][0]! : r.to.port;
}

export function observedAtWaypoint(view: MeshView, r: RequestRecord, sender: Sender, authz: Decision | undefined): Observed {
  const svc = addressedService(view, r);
  return {
    sourceIdentity: authz?.sourceIdentity !== undefined ? authz.sourceIdentity : sender.identity,
    sourceIp: sender.ip,
    destination: svc?.vips[0] ?? r.to.host,
    port: r.to.port,
    ...(r.to.service ? { service: r.to.service } : {}),
  };
}
