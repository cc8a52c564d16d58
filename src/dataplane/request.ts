// One request from a client pod through the ambient data plane, hop by hop
// (reference/ambient.md §3): ztunnel outbound, waypoint, ztunnel inbound, the app.
import type { App } from '../apps/types';
import type { MeshView } from '../control/mesh-view';
import type { ServiceInfo, WorkloadInfo } from '../control/model';
import type { WaypointInfo } from '../control/waypoints';
import type { Hop } from '../result/types';
import { resolveHost } from './dns';
import type { L7Request, PolicyEngines } from './engines';
import { pickEndpoint, type LbClient } from './load-balance';
import { podHop, Trace, ztunnelHop, ztunnelName, type TraceResult } from './trace';

export interface DataplaneContext {
  view: MeshView;
  engines: PolicyEngines;
  appOf(w: WorkloadInfo): App;
  rng: () => number;
}

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

/** Envoy's body when the upstream connection fails (reset by the destination ztunnel, nothing listening). */
export const UPSTREAM_CONNECT_ERROR = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
/** The mesh default retry policy retries connect failures twice (reference/routing.md §3.9). */
const DEFAULT_CONNECT_RETRIES = 2;

type Delivery =
  | { ok: true; status: number; body: string; headers: Record<string, string>; delayMs?: number; backend: WorkloadInfo; requestHeaders: Record<string, string> }
  | { ok: false; reason: 'denied' | 'not-listening'; decisionsAdded: boolean };

function waypointLabel(wp: WaypointInfo): string {
  return `waypoint ${wp.namespace}/${wp.name}`;
}

function lbClient(w: WorkloadInfo): LbClient {
  return { network: w.network, node: w.node, locality: w.locality };
}

/** The service port's declared protocol; undeclared ports are sniffed, and meshsim's clients speak HTTP. */
export function portProtocol(svc: ServiceInfo | undefined, port: number): 'http' | 'tcp' {
  const p = svc?.ports.find((x) => x.port === port);
  if (!p) return 'http';
  const declared = (p.appProtocol ?? p.name?.split('-')[0] ?? '').toLowerCase();
  if (['tcp', 'tls', 'https', 'mongo', 'mysql', 'redis', 'kubernetes.io/tls'].includes(declared)) return 'tcp';
  return 'http';
}

export function sendRequest(ctx: DataplaneContext, req: ClientRequest): TraceResult {
  const t = new Trace();
  const { client } = req;
  t.hop(podHop(client));
  const resolved = resolveHost(ctx.view, req.dialHost, client.namespace);
  if (!resolved) return t.end('dns-error', { error: `Could not resolve host: ${req.dialHost}` });
  const dstIp = resolved.kind === 'headless' ? resolved.ips[Math.floor(ctx.rng() * resolved.ips.length)]! : resolved.ip;
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
  if (dstIp === client.ip) return finish(t, deliver(ctx, t, client, req.port, l7), 'direct');
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
  t.hop(ztunnelHop(client, 'HBONE'));
  const dstWorkload = view.workloadByIp.get(dstIp);
  const svc = dstWorkload ? undefined : view.serviceByVip.get(dstIp);
  if (svc) {
    t.service = svc;
    if (svc.waypoint) {
      t.decide({ at, kind: 'waypoint-binding', result: `${svc.waypoint.namespace}/${svc.waypoint.name}`, reason: `service ${svc.namespace}/${svc.name} is bound to this waypoint`, sourceIdentity: client.identity });
      return toWaypoint(ctx, t, client, svc.waypoint, req, svc, undefined);
    }
    if (!svc.ports.some((p) => p.port === req.dstPort)) return t.reset(`NoHealthyUpstream: service ${svc.namespace}/${svc.name} has no port ${req.dstPort}`);
    const picked = pickEndpoint(svc, req.dstPort, lbClient(client), ctx.rng);
    if (!picked) return t.reset(`NoHealthyUpstream: no healthy endpoint of ${svc.namespace}/${svc.name} serves port ${req.dstPort}`);
    const dst = picked.endpoint.workload;
    t.decide({ at, kind: 'load-balance', result: `${dst.namespace}/${dst.name}`, reason: `${picked.candidates} candidate endpoint(s)`, sourceIdentity: client.identity });
    return ztunnelToDestination(ctx, t, client, dst, picked.targetPort, req);
  }
  if (!dstWorkload) return t.end('timeout', { error: `no workload or service has IP ${dstIp}; ztunnel passes the connection through and nothing answers` });
  // Workload-addressed: the workload's own waypoint, unless the client is that waypoint (§3.1 step 5).
  const wp = dstWorkload.waypoint;
  if (wp && !(client.role === 'waypoint' && client.gateway === `${wp.namespace}/${wp.name}`)) {
    t.decide({ at, kind: 'waypoint-binding', result: `${wp.namespace}/${wp.name}`, reason: `workload ${dstWorkload.namespace}/${dstWorkload.name} is bound to this waypoint`, sourceIdentity: client.identity });
    return toWaypoint(ctx, t, client, wp, req, undefined, dstWorkload);
  }
  return ztunnelToDestination(ctx, t, client, dstWorkload, req.dstPort, req);
}

/** Direct from the client's ztunnel: HBONE to a captured or sidecar pod, plain TCP otherwise. */
function ztunnelToDestination(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, dst: WorkloadInfo, targetPort: number, req: L7Request): TraceResult {
  const conn = { ...req, dstIp: dst.ip, dstPort: targetPort };
  if (dst.protocol !== 'HBONE') return finish(t, deliver(ctx, t, dst, targetPort, conn), 'direct');
  const delivery = arriveHbone(ctx, t, dst, targetPort, conn);
  return finish(t, delivery, 'direct');
}

/** HBONE arrival at a pod: its ztunnel (captured) or its sidecar terminates the tunnel and authorizes. */
function arriveHbone(ctx: DataplaneContext, t: Trace, dst: WorkloadInfo, targetPort: number, req: L7Request): Delivery {
  if (dst.mode === 'sidecar') {
    t.hop({ kind: 'sidecar', name: dst.name, namespace: dst.namespace, pod: dst.name, node: dst.node, cluster: dst.cluster, protocol: 'HBONE' });
    return deliver(ctx, t, dst, targetPort, req);
  }
  const at = ztunnelName(dst.node);
  t.hop(ztunnelHop(dst, 'HBONE'));
  const verdict = ctx.engines.ztunnelInbound(ctx.view, dst, { srcIdentity: req.srcIdentity, srcIp: req.srcIp, dstIp: dst.ip, dstPort: targetPort }, at);
  t.decide(verdict.decisions);
  if (!verdict.allowed) return { ok: false, reason: 'denied', decisionsAdded: true };
  return deliver(ctx, t, dst, targetPort, req);
}

/** Plaintext arrival at a captured pod (:15006): authorized with no identity. */
function arrivePlaintext(ctx: DataplaneContext, t: Trace, dst: WorkloadInfo, targetPort: number, req: L7Request): Delivery {
  if (dst.mode === 'ambient') {
    const at = ztunnelName(dst.node);
    t.hop(ztunnelHop(dst, 'TCP'));
    const verdict = ctx.engines.ztunnelInbound(ctx.view, dst, { srcIdentity: null, srcIp: req.srcIp, dstIp: dst.ip, dstPort: targetPort }, at);
    t.decide(verdict.decisions);
    if (!verdict.allowed) return { ok: false, reason: 'denied', decisionsAdded: true };
  } else if (dst.mode === 'sidecar') {
    t.hop({ kind: 'sidecar', name: dst.name, namespace: dst.namespace, pod: dst.name, node: dst.node, cluster: dst.cluster, protocol: 'TCP' });
  }
  return deliver(ctx, t, dst, targetPort, req);
}

/** Hand the request to the app, if it listens on the port. */
function deliver(ctx: DataplaneContext, t: Trace, dst: WorkloadInfo, port: number, req: L7Request): Delivery {
  const app = ctx.appOf(dst);
  if (!app.listens(port)) return { ok: false, reason: 'not-listening', decisionsAdded: false };
  t.hop(podHop(dst));
  const res = app.handle({ method: req.method, path: req.path, headers: req.headers, authority: req.authority, port, sourceIp: req.srcIp });
  return { ok: true, status: res.status, body: res.body, headers: res.headers, delayMs: res.delayMs, backend: dst, requestHeaders: req.headers };
}

/** How a failed delivery looks to the client: ztunnel resets, a waypoint answers 503. */
function finish(t: Trace, d: Delivery, via: 'direct' | 'waypoint'): TraceResult {
  if (d.ok) {
    return t.end('response', { status: d.status, body: d.body, responseHeaders: d.headers, backend: d.backend, requestHeaders: d.requestHeaders, appDelayMs: d.delayMs });
  }
  if (via === 'waypoint') return t.respond(503, UPSTREAM_CONNECT_ERROR, d.reason === 'denied' ? 'upstream connection rejected by the destination ztunnel' : 'upstream connect error: nothing listening on the target port');
  return t.reset(d.reason === 'denied' ? 'connection rejected by the destination ztunnel (RBAC)' : 'nothing listening on the target port (ztunnel CONNECT answered 503)');
}

function waypointEndpoint(view: MeshView, wp: WaypointInfo): ServiceInfo | undefined {
  return (
    view.waypointServices.get(`${wp.namespace}/${wp.name}`) ??
    view.serviceByVip.get(wp.address.value) ??
    view.serviceByHost.get(wp.address.value)
  );
}

/**
 * Through a waypoint: authorization, routing (service-addressed only), then a per-request pick of
 * the backend and a new HBONE connection with the waypoint's own identity.
 */
function toWaypoint(
  ctx: DataplaneContext,
  t: Trace,
  client: WorkloadInfo,
  wp: WaypointInfo,
  req: L7Request,
  svc: ServiceInfo | undefined,
  workload: WorkloadInfo | undefined,
): TraceResult {
  const { view } = ctx;
  const wpSvc = waypointEndpoint(view, wp);
  const wpPick = wpSvc && pickEndpoint(wpSvc, 15008, lbClient(client), ctx.rng);
  if (!wpPick) return t.reset(`UnknownWaypoint: waypoint ${wp.namespace}/${wp.name} has no healthy endpoint`);
  const wpPod = wpPick.endpoint.workload;
  const at = waypointLabel(wp);
  const hop: Hop = { kind: 'waypoint', name: wp.name, namespace: wp.namespace, pod: wpPod.name, node: wpPod.node, cluster: wpPod.cluster, protocol: 'HBONE' };
  t.hop(hop);
  const protocol = portProtocol(svc, req.dstPort);
  const inbound: L7Request = { ...req, protocol };
  const authz = ctx.engines.waypoint(view, wp, svc, inbound, at);
  t.decide(authz.decisions);
  if (!authz.allowed) {
    if (protocol === 'tcp') return t.reset('connection closed by the waypoint (RBAC)');
    return t.respond(authz.status ?? 403, authz.body ?? 'RBAC: access denied', authz.body ?? 'RBAC: access denied');
  }

  let target: ServiceInfo | undefined;
  let targetPort = req.dstPort;
  let forwarded = inbound;
  let subset: Record<string, string> | undefined;
  let responseHeaders: Record<string, string> = {};
  if (svc) {
    const route = ctx.engines.route(view, wp, svc, req.dstPort, inbound, ctx.rng, at);
    t.decide(route.decisions);
    if (route.type === 'respond') return t.respond(route.status, route.body, undefined, route.headers);
    target = route.service;
    targetPort = route.port;
    forwarded = route.request;
    subset = route.subsetLabels;
    responseHeaders = route.responseHeaders?.set ?? {};
  }

  // The waypoint dials the backend with its own identity and IP (reference/authz.md §5).
  const upstreamReq: L7Request = { ...forwarded, srcIdentity: wpPod.identity, srcIp: wpPod.ip };
  const tried = new Set<WorkloadInfo>();
  let last: Delivery | undefined;
  for (let attempt = 0; attempt <= DEFAULT_CONNECT_RETRIES; attempt++) {
    let dst: WorkloadInfo;
    let dstPort: number;
    if (target) {
      const picked = pickWithoutPrevious(target, targetPort, wpPod, ctx.rng, subset, tried);
      if (!picked) return t.respond(503, 'no healthy upstream', 'no healthy upstream');
      dst = picked.endpoint.workload;
      dstPort = picked.targetPort;
      t.decide({ at, kind: 'load-balance', result: `${dst.namespace}/${dst.name}`, reason: `${picked.candidates} candidate endpoint(s) of ${target.namespace}/${target.name}`, sourceIdentity: req.srcIdentity });
    } else {
      dst = workload!;
      dstPort = req.dstPort;
    }
    tried.add(dst);
    const conn = { ...upstreamReq, dstIp: dst.ip, dstPort };
    const hopCount = t.hops.length;
    last = dst.protocol === 'HBONE' ? arriveHbone(ctx, t, dst, dstPort, conn) : deliver(ctx, t, dst, dstPort, conn);
    if (last.ok) break;
    // A connect failure is retried by the mesh default policy; the failed hops stay out of the path.
    if (attempt < DEFAULT_CONNECT_RETRIES) {
      t.hops.length = hopCount;
      t.decide({ at, kind: 'retry', result: `attempt ${attempt + 2}`, reason: `connect failure to ${dst.namespace}/${dst.name} (${last.reason})` });
    }
  }
  const result = finish(t, last!, 'waypoint');
  if (result.outcome === 'response' && Object.keys(responseHeaders).length) result.responseHeaders = { ...result.responseHeaders, ...responseHeaders };
  return result;
}

/** Envoy's previous-host retry predicate: prefer an endpoint not tried yet. */
function pickWithoutPrevious(svc: ServiceInfo, port: number, from: WorkloadInfo, rng: () => number, subset: Record<string, string> | undefined, tried: Set<WorkloadInfo>) {
  if (tried.size === 0) return pickEndpoint(svc, port, lbClient(from), rng, subset);
  const fresh: ServiceInfo = { ...svc, endpoints: svc.endpoints.filter((e) => !tried.has(e.workload)) };
  return pickEndpoint(fresh, port, lbClient(from), rng, subset) ?? pickEndpoint(svc, port, lbClient(from), rng, subset);
}

/** §3.5: sidecars bypass waypoints and send HBONE straight to HBONE-capable pods. */
function sidecarOutbound(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, dstIp: string, req: L7Request): TraceResult {
  t.hop({ kind: 'sidecar', name: client.name, namespace: client.namespace, pod: client.name, node: client.node, cluster: client.cluster, protocol: 'HTTP' });
  const direct = directTarget(ctx, t, client, dstIp, req);
  if ('outcome' in direct) return direct;
  const conn = { ...req, dstIp: direct.dst.ip, dstPort: direct.port };
  const d = direct.dst.protocol === 'HBONE' ? arriveHbone(ctx, t, direct.dst, direct.port, conn) : deliver(ctx, t, direct.dst, direct.port, conn);
  if (!d.ok) return t.respond(503, UPSTREAM_CONNECT_ERROR, d.reason);
  return finish(t, d, 'direct');
}

/** Uncaptured clients: kube-proxy picks an endpoint for a VIP; the destination may still be captured. */
function plainOutbound(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, dstIp: string, req: L7Request): TraceResult {
  const direct = directTarget(ctx, t, client, dstIp, req);
  if ('outcome' in direct) return direct;
  const d = arrivePlaintext(ctx, t, direct.dst, direct.port, { ...req, dstIp: direct.dst.ip, dstPort: direct.port });
  return finish(t, d, 'direct');
}

/** Endpoint choice without ztunnel: a VIP goes to any ready endpoint (kube-proxy / Envoy), a pod IP to that pod. */
function directTarget(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, dstIp: string, req: L7Request): { dst: WorkloadInfo; port: number } | TraceResult {
  const { view } = ctx;
  const w = view.workloadByIp.get(dstIp);
  if (w) return { dst: w, port: req.dstPort };
  const svc = view.serviceByVip.get(dstIp);
  if (!svc) return t.end('timeout', { error: `no workload or service has IP ${dstIp}` });
  t.service = svc;
  const picked = pickEndpoint(svc, req.dstPort, lbClient(client), ctx.rng, undefined, { mode: 'any' });
  if (!picked) return t.end('refused', { error: `service ${svc.namespace}/${svc.name} has no ready endpoint for port ${req.dstPort}` });
  return { dst: picked.endpoint.workload, port: picked.targetPort };
}
