// One request from a client pod through the ambient data plane, hop by hop
// (reference/ambient.md §3): ztunnel outbound, waypoint, ztunnel inbound, the app.
import { pickIndex } from '../../sim/choice';
import type { WorkloadInfo } from '../control/model';
import { arriveHbone, arrivePlaintext, deliver, finish } from './arrive';
import { lbClient, type DataplaneContext } from './context';
import { resolveHost } from './dns';
import type { L7Request } from './engines';
import { pickEndpoint } from './load-balance';
import { refOf, serviceBindingReason, servesPort } from './names';
import { podHop, Trace, ztunnelHop, ztunnelName, type TraceResult } from './trace';
import { viaEastWest } from './eastwest';
import { throughWaypoint } from './waypoint';

export type { DataplaneContext } from './context';

export interface ClientRequest {
  client: WorkloadInfo;
  /** Host the client dials (URL host): a name, a VIP or a pod IP. */
  dialHost: string;
  port: number;
  method: string;
  path: string;
  /** Lowercase names. `host` overrides the authority, not where the client dials. */
  headers: Record<string, string>;
  body?: string;
}

export function sendRequest(ctx: DataplaneContext, req: ClientRequest): TraceResult {
  const t = new Trace({ host: req.dialHost, port: req.port, method: req.method, path: req.path });
  const { client } = req;
  t.hop(podHop(client));
  const resolved = resolveHost(ctx.view, req.dialHost, client);
  if (!resolved) return t.end('dns-error', { error: `Could not resolve host: ${req.dialHost}` });
  const dstIp = resolved.kind === 'headless' ? resolved.ips[pickIndex(ctx.rng, resolved.ips.length)]! : resolved.ip;
  if (resolved.service) t.service = resolved.service;
  const authority = req.headers.host ?? (req.port === 80 ? req.dialHost : `${req.dialHost}:${req.port}`);
  const l7: L7Request = {
    protocol: 'http',
    method: req.method,
    path: req.path,
    authority,
    headers: { ...req.headers, host: authority },
    srcIdentity: client.mode === 'none' ? null : client.identity,
    srcIp: client.ip,
    dstIp,
    dstPort: req.port,
  };
  // A pod calling its own IP is not redirected (ambient.md §1.2).
  if (dstIp === client.ip) return finish(t, deliver(ctx, t, client, req.port, l7), 'ztunnel');
  switch (client.mode) {
    case 'ambient':
      return ztunnelOutbound(ctx, t, client, dstIp, l7);
    case 'sidecar':
      return sidecarOutbound(ctx, t, client, dstIp, l7);
    default:
      return plainOutbound(ctx, t, client, dstIp, l7);
  }
}

/** §3.1: the client's ztunnel decides between waypoint, direct HBONE and plain TCP. */
function ztunnelOutbound(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, dstIp: string, req: L7Request): TraceResult {
  const { view } = ctx;
  const at = ztunnelName(client.node);
  // HBONE until the destination turns out to take plain TCP (ztunnel's OutboundProtocol).
  const self = t.hops.length;
  t.hop(ztunnelHop(client, 'HBONE'));
  const dstWorkload = view.workloadByIp.get(dstIp);
  const found = dstWorkload ? undefined : view.serviceByVip.get(dstIp);
  // A ServiceEntry of resolution NONE is passed through to the address dialled, unless bound to a waypoint.
  const svc = found?.passthrough && !found.waypoint ? undefined : found;
  if (svc) {
    t.service = svc;
    if (svc.waypoint) {
      t.decide({ at, kind: 'waypoint-binding', result: refOf(svc.waypoint), reason: serviceBindingReason(svc), sourceIdentity: client.identity });
      return throughWaypoint(ctx, t, client, svc.waypoint, req, svc, undefined);
    }
    if (!servesPort(svc, req.dstPort)) return t.reset(`NoHealthyUpstream: service ${svc.namespace}/${svc.name} has no port ${req.dstPort}`);
    const picked = pickEndpoint(svc, req.dstPort, lbClient(client), ctx.rng);
    if (!picked) return t.reset(`NoHealthyUpstream: no healthy endpoint of ${svc.namespace}/${svc.name} serves port ${req.dstPort}`);
    const dst = picked.endpoint.workload;
    const remote = picked.endpoint.remote;
    t.decide({ at, kind: 'load-balance', result: remote ? `${remote.cluster} via east-west gateway` : `${dst.namespace}/${dst.name}`, reason: `${picked.candidates} candidate endpoint(s)`, sourceIdentity: client.identity });
    if (remote) {
      const r = viaEastWest(ctx, t, client, remote, req);
      return r.kind === 'result' ? r.result : finish(t, r.delivery, 'ztunnel');
    }
    return ztunnelToDestination(ctx, t, client, self, dst, picked.targetPort, req);
  }
  if (!dstWorkload) {
    t.hops[self] = ztunnelHop(client, 'TCP');
    const reached = passedThroughTo(ctx, dstIp, req.dstPort);
    if (reached) return finish(t, deliver(ctx, t, reached, req.dstPort, req), 'ztunnel');
    const why = found ? `ServiceEntry ${found.namespace}/${found.name} (resolution NONE) passes the connection through to ${dstIp}, and nothing in the cluster has that address` : `no workload or service has IP ${dstIp}; ztunnel passes the connection through and nothing answers`;
    return t.end('timeout', { error: why });
  }
  // Workload-addressed: the workload's own waypoint, unless the client is that waypoint (§3.1 step 5).
  const wp = dstWorkload.waypoint;
  if (wp && !(client.role === 'waypoint' && client.gateway === `${wp.namespace}/${wp.name}`)) {
    t.decide({ at, kind: 'waypoint-binding', result: `${wp.namespace}/${wp.name}`, reason: `workload ${dstWorkload.namespace}/${dstWorkload.name} is bound to this waypoint`, sourceIdentity: client.identity });
    return throughWaypoint(ctx, t, client, wp, req, undefined, dstWorkload);
  }
  return ztunnelToDestination(ctx, t, client, self, dstWorkload, req.dstPort, req);
}

/** Direct from the client's ztunnel (hop `self`): HBONE to a captured or sidecar pod, plain TCP otherwise. */
function ztunnelToDestination(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, self: number, dst: WorkloadInfo, targetPort: number, req: L7Request): TraceResult {
  const conn = { ...req, dstIp: dst.ip, dstPort: targetPort };
  if (dst.protocol !== 'HBONE') {
    t.hops[self] = ztunnelHop(client, 'TCP');
    return finish(t, deliver(ctx, t, dst, targetPort, conn), 'ztunnel');
  }
  const delivery = arriveHbone(ctx, t, dst, targetPort, conn);
  return finish(t, delivery, 'ztunnel');
}

/**
 * §3.5: sidecars bypass waypoints and send HBONE straight to HBONE-capable pods behind a Service.
 * A pod IP matches no Service's cluster: Envoy's route falls through to PassthroughCluster
 * (ORIGINAL_DST, no transport socket: cluster_builder.go buildDefaultPassthroughCluster), so the
 * connection leaves in plaintext and the destination's ztunnel or sidecar sees no peer identity.
 */
function sidecarOutbound(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, dstIp: string, req: L7Request): TraceResult {
  t.hop({ kind: 'sidecar', name: client.name, namespace: client.namespace, pod: client.name, node: client.node, cluster: client.cluster, protocol: 'HTTP' });
  const direct = directTarget(ctx, t, client, dstIp, req);
  if ('outcome' in direct) return direct;
  const conn = { ...req, dstIp: direct.dst.ip, dstPort: direct.port };
  const podAddressed = ctx.view.workloadByIp.has(dstIp);
  if (podAddressed && direct.dst.protocol === 'HBONE') t.decide({ at: `sidecar ${client.namespace}/${client.name}`, kind: 'route', result: 'PassthroughCluster', reason: `pod IP ${dstIp} is no Service's: sent in plaintext, without mTLS or HBONE` });
  const d = direct.dst.protocol === 'HBONE' && !podAddressed ? arriveHbone(ctx, t, direct.dst, direct.port, conn) : arrivePlaintext(ctx, t, direct.dst, direct.port, conn);
  return finish(t, d, 'envoy');
}

/** Uncaptured clients: kube-proxy picks an endpoint for a VIP; the destination may still be captured. */
function plainOutbound(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, dstIp: string, req: L7Request): TraceResult {
  const direct = directTarget(ctx, t, client, dstIp, req);
  if ('outcome' in direct) return direct;
  const d = arrivePlaintext(ctx, t, direct.dst, direct.port, { ...req, dstIp: direct.dst.ip, dstPort: direct.port });
  return finish(t, d, 'ztunnel');
}

/**
 * What answers a connection to an address no workload or service has, passed through as it is: a
 * server outside the cluster that a ServiceEntry names, or a node's address. ztunnel knows a
 * node's host-network pods but never picks one by that IP; whatever listens on the node's port
 * answers (the pod whose app does).
 */
function passedThroughTo(ctx: DataplaneContext, ip: string, port: number): WorkloadInfo | undefined {
  return ctx.view.externals.get(ip) ?? ctx.view.hostNetworkByIp.get(ip)?.find((w) => ctx.appOf(w).listens(port));
}

/** Endpoint choice without ztunnel: a VIP goes to any ready endpoint (kube-proxy / Envoy), a pod IP to that pod. */
function directTarget(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, dstIp: string, req: L7Request): { dst: WorkloadInfo; port: number } | TraceResult {
  const { view } = ctx;
  const w = view.workloadByIp.get(dstIp);
  if (w) return { dst: w, port: req.dstPort };
  const found = view.serviceByVip.get(dstIp);
  // kube-proxy knows no ServiceEntry address; a sidecar's Envoy does.
  const svc = found?.source.kind === 'ServiceEntry' && client.mode !== 'sidecar' ? undefined : found;
  if (!svc) {
    const reached = passedThroughTo(ctx, dstIp, req.dstPort);
    return reached ? { dst: reached, port: req.dstPort } : t.end('timeout', { error: `no workload or service has IP ${dstIp}` });
  }
  t.service = svc;
  const picked = pickEndpoint(svc, req.dstPort, lbClient(client), ctx.rng, undefined, { mode: 'any' });
  if (!picked) return t.end('refused', { error: `service ${svc.namespace}/${svc.name} has no ready endpoint for port ${req.dstPort}` });
  return { dst: picked.endpoint.workload, port: picked.targetPort };
}

