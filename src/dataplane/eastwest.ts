// Double HBONE through a remote network's east-west gateway (reference/ambient.md §5): the outer
// tunnel ends at the gateway, which forwards the inner stream to a backend of the Service in its
// cluster — through that cluster's waypoint when the Service has one there and the request did
// not already come from a waypoint.
import type { RemoteNetwork, WorkloadInfo } from '../control/model';
import { arriveHbone, deliver, type Delivery } from './arrive';
import { contextFor, type DataplaneContext } from './context';
import type { L7Request } from './engines';
import { pickEndpoint } from './load-balance';
import type { Trace, TraceResult } from './trace';
import { throughWaypoint } from './waypoint';

export type EastWestResult = { kind: 'delivery'; delivery: Delivery } | { kind: 'result'; result: TraceResult };

export function viaEastWest(ctx: DataplaneContext, t: Trace, from: WorkloadInfo, remote: RemoteNetwork, req: L7Request): EastWestResult {
  const gw = remote.gateway;
  t.hop({ kind: 'eastwest-gateway', name: gw.gateway?.split('/')[1] ?? gw.workloadName, namespace: gw.namespace, pod: gw.name, node: gw.node, cluster: gw.cluster, protocol: 'double-HBONE' });
  const remoteCtx = contextFor(ctx, remote.cluster);
  // The gateway forwards only to its own cluster's endpoints (the copy before any merge).
  const svc = remote.service;
  if (svc.waypoint && from.role !== 'waypoint') {
    return { kind: 'result', result: throughWaypoint(remoteCtx, t, gw, svc.waypoint, req, svc, undefined) };
  }
  const picked = pickEndpoint(svc, req.dstPort, { network: gw.network, node: gw.node, locality: gw.locality }, ctx.rng, undefined, { mode: 'any' });
  if (!picked) return { kind: 'delivery', delivery: { ok: false, reason: 'not-listening' } };
  const dst = picked.endpoint.workload;
  // The inner tunnel keeps the caller's identity; the TCP peer is the gateway.
  const conn: L7Request = { ...req, srcIp: gw.ip, dstIp: dst.ip, dstPort: picked.targetPort };
  const delivery = dst.protocol === 'HBONE' ? arriveHbone(remoteCtx, t, dst, picked.targetPort, conn) : deliver(remoteCtx, t, dst, picked.targetPort, conn);
  return { kind: 'delivery', delivery };
}
