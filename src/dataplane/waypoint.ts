// The waypoint hop (reference/routing.md §0): authorization, L7 routing for service-addressed
// HTTP, a per-request endpoint pick with the route's retry policy, and a new HBONE connection
// upstream carrying the waypoint's own identity (reference/authz.md §5).
import type { RemoteNetwork, ServiceInfo, WorkloadInfo } from '../control/model';
import type { WaypointInfo } from '../control/waypoints';
import type { ForwardDecision, LbPolicy, RetryPolicy } from '../routing';
import { applyResponseHeaderOps, MESH_DEFAULT_RETRY, OutlierDetector } from '../routing';
import type { Hop } from '../result/types';
import { arriveHbone, deliver, finish, type Delivery } from './arrive';
import { viaEastWest } from './eastwest';
import { lbClient, type DataplaneContext } from './context';
import type { L7Request } from './engines';
import { pickEndpoint, type Picked } from './load-balance';
import type { Trace, TraceResult } from './trace';

export function waypointLabel(wp: WaypointInfo): string {
  return `waypoint ${wp.namespace}/${wp.name}`;
}

/** The service port's declared protocol; undeclared ports are sniffed, and meshsim's clients speak HTTP. */
export function portProtocol(svc: ServiceInfo | undefined, port: number): 'http' | 'tcp' {
  const p = svc?.ports.find((x) => x.port === port);
  if (!p) return 'http';
  const declared = (p.appProtocol ?? p.name?.split('-')[0] ?? '').toLowerCase();
  if (['tcp', 'tls', 'https', 'mongo', 'mysql', 'redis', 'kubernetes.io/tls'].includes(declared)) return 'tcp';
  return 'http';
}

function waypointService(ctx: DataplaneContext, wp: WaypointInfo): ServiceInfo | undefined {
  const { view } = ctx;
  return view.waypointServices.get(`${wp.namespace}/${wp.name}`) ?? view.serviceByVip.get(wp.address.value) ?? view.serviceByHost.get(wp.address.value);
}

function hashIndex(key: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % n;
}

/** Envoy's choice among equally ranked endpoints for the cluster's load-balancer policy. */
function chooser(ctx: DataplaneContext, clusterKey: string, lb: LbPolicy, hashKey: string | undefined): (n: number) => number {
  if (hashKey !== undefined && (lb.policy === 'RING_HASH' || lb.policy === 'MAGLEV')) return (n) => hashIndex(hashKey, n);
  if (lb.policy === 'ROUND_ROBIN') {
    return (n) => {
      const i = ctx.lbState.roundRobin.get(clusterKey) ?? 0;
      ctx.lbState.roundRobin.set(clusterKey, i + 1);
      return i % n;
    };
  }
  return (n) => Math.floor(ctx.rng() * n);
}

/** Whether the route's retry policy retries this attempt's result. */
function retriable(policy: RetryPolicy, d: Delivery): boolean {
  if (!d.ok) return policy.retryOn.includes('connect-failure');
  const s = d.status;
  if (policy.statusCodes.includes(s) && policy.retryOn.includes('retriable-status-codes')) return true;
  if (policy.retryOn.includes('5xx') && s >= 500) return true;
  return policy.retryOn.includes('gateway-error') && (s === 502 || s === 503 || s === 504);
}

interface Upstream {
  service?: ServiceInfo;
  workload?: WorkloadInfo;
  port: number;
  subset?: Record<string, string>;
  choose?: (n: number) => number;
  retry: RetryPolicy | null;
  /** This waypoint pod's outlier detector for the cluster, when a DestinationRule enables one. */
  outliers?: OutlierDetector;
}

function outlierDetector(ctx: DataplaneContext, wpPod: WorkloadInfo, route: ForwardDecision): OutlierDetector | undefined {
  const settings = route.cluster.outlierDetection;
  if (!settings) return undefined;
  const key = `${wpPod.uid}|${route.cluster.clusterKey}`;
  let d = ctx.lbState.outliers.get(key);
  if (!d) ctx.lbState.outliers.set(key, (d = new OutlierDetector(settings)));
  return d;
}

/**
 * Tries the upstream as the retry policy allows, preferring endpoints not tried yet (Envoy's
 * previous-host predicate). Failed attempts stay out of the path; each retry is a decision.
 */
function forwardUpstream(ctx: DataplaneContext, t: Trace, wpPod: WorkloadInfo, at: string, req: L7Request, up: Upstream): TraceResult {
  const upstreamReq: L7Request = { ...req, srcIdentity: wpPod.identity, srcIp: wpPod.ip };
  const tried = new Set<WorkloadInfo>();
  // Ejected hosts are skipped like tried ones; with every host ejected there is no healthy upstream (no panic mode).
  const ejected = new Set<WorkloadInfo>();
  if (up.outliers && up.service) {
    up.outliers.setHostCount(up.service.endpoints.length);
    for (const e of up.service.endpoints) if (up.outliers.isEjected(e.workload.uid, ctx.nowMs)) ejected.add(e.workload);
  }
  const maxTries = 1 + (up.retry?.attempts ?? 0);
  let last: Delivery | undefined;
  for (let attempt = 1; attempt <= maxTries; attempt++) {
    let dst: WorkloadInfo;
    let port = up.port;
    let remote: RemoteNetwork | undefined;
    if (up.service) {
      const svc = up.service;
      const pick = (exclude?: Set<WorkloadInfo>): Picked | undefined =>
        pickEndpoint(svc, up.port, lbClient(wpPod), ctx.rng, up.subset, svc.loadBalancing, up.choose, exclude);
      // Prefer a host neither tried nor ejected; a retry may fall back to a tried one, never to an ejected one.
      const fresh = tried.size || ejected.size ? pick(new Set([...tried, ...ejected])) : pick();
      const picked = fresh ?? (tried.size ? pick(ejected.size ? ejected : undefined) : undefined);
      if (!picked) return t.respond(503, 'no healthy upstream', 'no healthy upstream');
      dst = picked.endpoint.workload;
      port = picked.targetPort;
      remote = picked.endpoint.remote;
      t.decide({ at, kind: 'load-balance', result: remote ? `${remote.cluster} via east-west gateway` : `${dst.namespace}/${dst.name}`, reason: `${picked.candidates} candidate endpoint(s) of ${svc.namespace}/${svc.name}`, sourceIdentity: req.srcIdentity });
    } else dst = up.workload!;
    tried.add(dst);
    const hopCount = t.hops.length;
    const conn = { ...upstreamReq, dstIp: dst.ip, dstPort: port };
    if (remote) {
      const r = viaEastWest(ctx, t, wpPod, remote, conn);
      // A waypoint never hands its traffic to another waypoint, so the result is always a delivery.
      last = r.kind === 'delivery' ? r.delivery : { ok: false, reason: 'not-listening' };
    } else last = dst.protocol === 'HBONE' ? arriveHbone(ctx, t, dst, port, conn) : deliver(ctx, t, dst, port, conn);
    up.outliers?.onResponse(dst.uid, last.ok ? last.status : 503, ctx.nowMs);
    if (attempt === maxTries || !up.retry || !retriable(up.retry, last)) break;
    t.hops.length = hopCount;
    const what = last.ok ? `status ${last.status}` : `connect failure (${last.reason})`;
    t.decide({ at, kind: 'retry', result: `attempt ${attempt + 1} of ${maxTries}`, reason: `${what} from ${dst.namespace}/${dst.name}` });
  }
  return finish(t, last!, 'waypoint');
}

/** Carries the request through the waypoint `wp`, for a Service (`svc`) or a workload-addressed pod. */
export function throughWaypoint(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, wp: WaypointInfo, req: L7Request, svc: ServiceInfo | undefined, workload: WorkloadInfo | undefined): TraceResult {
  const wpSvc = waypointService(ctx, wp);
  const wpPick = wpSvc && pickEndpoint(wpSvc, 15008, lbClient(client), ctx.rng);
  if (!wpPick) return t.reset(`UnknownWaypoint: waypoint ${wp.namespace}/${wp.name} has no healthy endpoint`);
  const wpPod = wpPick.endpoint.workload;
  const at = waypointLabel(wp);
  const hop: Hop = { kind: 'waypoint', name: wp.name, namespace: wp.namespace, pod: wpPod.name, node: wpPod.node, cluster: wpPod.cluster, protocol: 'HBONE' };
  t.hop(hop);
  const protocol = portProtocol(svc, req.dstPort);
  const inbound: L7Request = { ...req, protocol };
  const authz = ctx.engines.waypoint(wp, svc, inbound, at, ctx.nowMs);
  t.decide(authz.decisions);
  if (!authz.allowed) {
    if (authz.deny === 'close' || protocol === 'tcp') return t.reset('connection closed by the waypoint (RBAC)');
    const deny = authz.deny ?? { status: 403, body: 'RBAC: access denied' };
    return t.respond(deny.status, deny.body, deny.body);
  }
  if (!svc) return forwardUpstream(ctx, t, wpPod, at, inbound, { workload, port: req.dstPort, retry: MESH_DEFAULT_RETRY });
  if (protocol === 'tcp') return forwardUpstream(ctx, t, wpPod, at, inbound, { service: svc, port: req.dstPort, retry: null });

  const route = ctx.engines.route(svc, req.dstPort, inbound, ctx.rng, at);
  t.decide(route.decisions);
  switch (route.type) {
    case 'redirect':
      return t.respond(route.status, '', undefined, applyResponseHeaderOps({ location: route.location }, route.responseHeaderOps));
    case 'direct':
      return t.respond(route.status, route.body, undefined, applyResponseHeaderOps({}, route.responseHeaderOps));
    case 'no-route':
      return t.respond(404, '', 'no route matched (Envoy NR)');
    case 'invalid-backend':
      return t.respond(route.status, '', route.reason);
    case 'forward':
      return forwardRoute(ctx, t, wpPod, at, inbound, route);
  }
}

function forwardRoute(ctx: DataplaneContext, t: Trace, wpPod: WorkloadInfo, at: string, req: L7Request, route: ForwardDecision): TraceResult {
  if (route.fault?.delayMs) t.delay(route.fault.delayMs);
  if (route.fault?.abortStatus !== undefined) return t.respond(route.fault.abortStatus, 'fault filter abort', 'fault filter abort');
  const { backend } = route;
  const target = backend.kind === 'Service' ? ctx.view.serviceByHost.get(`${backend.name}.${backend.namespace}.svc.${ctx.view.config.domain}`) : undefined;
  if (!target) return t.respond(503, 'no healthy upstream', `no endpoints known for ${backend.kind} ${backend.namespace}/${backend.name}`);
  if (route.timeouts.requestMs !== undefined) t.timeoutAt(route.timeouts.requestMs);
  const forwarded: L7Request = { ...req, headers: route.requestHeaders, path: route.path, authority: route.authority };
  const result = forwardUpstream(ctx, t, wpPod, at, forwarded, {
    service: target,
    port: backend.port,
    subset: route.cluster.subsetLabels,
    choose: chooser(ctx, route.cluster.clusterKey, route.cluster.lb, route.hashKey),
    retry: route.retry,
    outliers: outlierDetector(ctx, wpPod, route),
  });
  if (result.outcome === 'response' && route.responseHeaderOps) result.responseHeaders = applyResponseHeaderOps(result.responseHeaders ?? {}, route.responseHeaderOps);
  return result;
}
