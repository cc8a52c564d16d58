// The destination side of a hop: the pod's ztunnel (HBONE or plaintext) or sidecar authorizes the
// connection, then the app answers if it listens on the port.
import type { AppCallResult, AppContext } from '../apps/types';
import { BoundedMap } from '../bounded-map';
import type { WorkloadInfo } from '../control/model';
import type { DataplaneContext } from './context';
import { atDepth, contextFor, MAX_CALL_DEPTH } from './context';
import type { L7Request } from './engines';
import { deliverToGateway } from './ingress';
import { sendRequest } from './request';
import { podHop, type Trace, ztunnelHop, ztunnelName, type TraceResult } from './trace';

/** Envoy's body when the upstream connection fails (reset by the destination ztunnel, nothing listening). */
export const UPSTREAM_CONNECT_ERROR = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
/** The same answer after the router retried: the last attempt's reason. */
export const UPSTREAM_CONNECT_ERROR_RETRIED = 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection termination';

export type Delivery =
  | { ok: true; status: number; body: string; headers: Record<string, string>; delayMs?: number; backend: WorkloadInfo; requestHeaders: Record<string, string> }
  | { ok: false; reason: 'denied' | 'not-listening'; /** A sidecar's own HTTP answer to a denied request (403 RBAC). */ answer?: { status: number; body: string } };

/** HBONE arrival at a pod: its ztunnel (captured) or its sidecar terminates the tunnel and authorizes. */
export function arriveHbone(from: DataplaneContext, t: Trace, dst: WorkloadInfo, targetPort: number, req: L7Request): Delivery {
  const ctx = contextFor(from, dst.cluster);
  if (dst.mode === 'sidecar') return arriveAtSidecar(ctx, t, dst, targetPort, req, false);
  const at = ztunnelName(dst.node);
  t.hop(ztunnelHop(dst, 'HBONE'));
  const verdict = ctx.engines.ztunnelInbound(dst, { srcIdentity: req.srcIdentity, srcIp: req.srcIp, dstIp: dst.ip, dstPort: targetPort }, at);
  t.decide(verdict.decisions);
  if (!verdict.allowed) return { ok: false, reason: 'denied' };
  return deliver(ctx, t, dst, targetPort, req);
}

/** Plaintext arrival at a captured pod (:15006): authorized with no identity. */
export function arrivePlaintext(from: DataplaneContext, t: Trace, dst: WorkloadInfo, targetPort: number, req: L7Request): Delivery {
  const ctx = contextFor(from, dst.cluster);
  if (dst.mode === 'ambient') {
    const at = ztunnelName(dst.node);
    t.hop(ztunnelHop(dst, 'TCP'));
    const verdict = ctx.engines.ztunnelInbound(dst, { srcIdentity: null, srcIp: req.srcIp, dstIp: dst.ip, dstPort: targetPort }, at);
    t.decide(verdict.decisions);
    if (!verdict.allowed) return { ok: false, reason: 'denied' };
  } else if (dst.mode === 'sidecar') return arriveAtSidecar(ctx, t, dst, targetPort, req, true);
  return deliver(ctx, t, dst, targetPort, req);
}

/** A sidecar destination: plaintext only when its PeerAuthentication allows it, then its own RBAC with full L7. */
function arriveAtSidecar(ctx: DataplaneContext, t: Trace, dst: WorkloadInfo, targetPort: number, req: L7Request, plaintext: boolean): Delivery {
  t.hop({ kind: 'sidecar', name: dst.name, namespace: dst.namespace, pod: dst.name, node: dst.node, cluster: dst.cluster, protocol: plaintext ? 'TCP' : 'HBONE' });
  const verdict = ctx.engines.sidecarInbound(dst, { ...req, dstIp: dst.ip, dstPort: targetPort }, plaintext, `sidecar ${dst.namespace}/${dst.name}`, ctx.clock);
  t.decide(verdict.decisions);
  if (verdict.allowed) return deliver(ctx, t, dst, targetPort, req);
  return verdict.deny && verdict.deny !== 'close' && req.protocol === 'http' ? { ok: false, reason: 'denied', answer: verdict.deny } : { ok: false, reason: 'denied' };
}

/** Hand the request to the app, if it listens on the port. */
export function deliver(from: DataplaneContext, t: Trace, dst: WorkloadInfo, port: number, req: L7Request): Delivery {
  const ctx = contextFor(from, dst.cluster);
  if (dst.role === 'ingress-gateway' && dst.gateway) return deliverToGateway(ctx, t, dst, port, req);
  const app = ctx.appOf(dst);
  if (!app.listens(port)) return { ok: false, reason: 'not-listening' };
  t.hop(podHop(dst));
  const appCtx: AppContext = { call: (url, init) => callFromApp(ctx, t, dst, url, init) };
  const res = app.handle({ method: req.method, path: req.path, headers: req.headers, authority: req.authority, port, sourceIp: req.srcIp }, appCtx);
  return { ok: true, status: res.status, body: res.body, headers: res.headers, delayMs: res.delayMs, backend: dst, requestHeaders: req.headers };
}

/** How a failed delivery looks to the client: ztunnel resets, a waypoint answers 503. */
/** `client`: who reports a failed delivery — ztunnel resets the connection, an Envoy (waypoint, sidecar, gateway) answers 503. */
export function finish(t: Trace, d: Delivery, client: 'ztunnel' | 'envoy'): TraceResult {
  if (d.ok) {
    return t.end('response', { status: d.status, body: d.body, responseHeaders: d.headers, backend: d.backend, requestHeaders: d.requestHeaders, appDelayMs: d.delayMs });
  }
  if (d.answer) return t.respond(d.answer.status, d.answer.body, d.answer.body);
  if (client === 'envoy') {
    return t.respond(503, UPSTREAM_CONNECT_ERROR, d.reason === 'denied' ? 'upstream connection rejected by the destination ztunnel' : 'upstream connect error: nothing listening on the target port');
  }
  return t.reset(d.reason === 'denied' ? 'connection rejected by the destination ztunnel (RBAC)' : 'nothing listening on the target port (ztunnel CONNECT answered 503)');
}

/** Where an app's call goes, read from its URL; null for a URL that does not parse. */
interface CallTarget {
  host: string;
  port: number;
  path: string;
}

/**
 * Call targets by URL: an app calls the same few URLs over and over, and parsing one costs more
 * than the rest of the call's set-up. One parse also hands every call the same host string, whose
 * hash the name lookups then find already computed.
 */
const callTargets = new BoundedMap<string, CallTarget | null>(4096);

function callTarget(url: string): CallTarget | null {
  let target = callTargets.get(url);
  if (target !== undefined) return target;
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    target = { host: parsed.hostname, port, path: `${parsed.pathname}${parsed.search}` };
  } catch {
    target = null;
  }
  callTargets.set(url, target);
  return target;
}

/** An app calling another service from its own pod: a full request through the mesh, recorded as a call. */
function callFromApp(ctx: DataplaneContext, t: Trace, from: WorkloadInfo, url: string, init: { method?: string; headers?: Record<string, string> } = {}): AppCallResult {
  const depth = (ctx.depth ?? 0) + 1;
  const target = callTarget(url);
  if (target === null) return { body: '', headers: {} };
  if (depth > MAX_CALL_DEPTH) return { body: '', headers: {} };
  const headers: Record<string, string> = {};
  const given = init.headers;
  if (given !== undefined) for (const k of Object.keys(given)) headers[k.toLowerCase()] = given[k]!;
  const child = sendRequest(atDepth(ctx, depth), { client: from, dialHost: target.host, port: target.port, method: init.method ?? 'GET', path: target.path, headers });
  t.call(child);
  return child.outcome === 'response' ? { status: child.status, body: child.body ?? '', headers: child.responseHeaders ?? {} } : { body: '', headers: {} };
}
