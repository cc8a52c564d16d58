// What an Envoy proxy (a waypoint or an ingress gateway) does with a routed request: faults,
// timeouts, the endpoint pick by the cluster's load-balancer policy, retries that prefer untried
// hosts, outlier ejection, and a new HBONE connection upstream carrying the proxy's own identity.
import { pickIndex } from '../../sim/choice';
import type { LoadBalancingMode, RemoteNetwork, ServiceInfo, WorkloadInfo } from '../control/model';
import { externalServer } from '../control/service-entries';
import { serviceNamed } from '../control/service-lookup';
import type { BackendTarget, ClusterPolicy, DistributeRule, ForwardDecision, LbPolicy, RetryPolicy, RouteDecision } from '../routing';
import { applyResponseHeaderOps, ConnectionPool, DEFAULT_CONNECTION_POOL, DEFAULT_FAILOVER, OutlierDetector } from '../routing';
import { arriveHbone, deliver, finish, UPSTREAM_CONNECT_ERROR_RETRIED, type Delivery } from './arrive';
import { lbClient, type DataplaneContext } from './context';
import { viaEastWest } from './eastwest';
import type { L7Request } from './engines';
import { pickByLocalityWeight, pickByPriority, pickEndpoint, type EnvoyPick, type Picked } from './load-balance';
import { candidatesOf, refOf } from './names';
import { Trace, type TraceResult } from './trace';

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
  return (n) => pickIndex(ctx.rng, n);
}

/**
 * Whether the route's retry policy retries this attempt's result. A failure over HBONE reaches
 * Envoy's router as a reset after connecting (the tunnel goes through an internal listener, and
 * the destination ztunnel refuses the CONNECT): a connection termination, which `connect-failure`
 * does not cover. A plain TCP connection the pod refuses is a connect failure.
 */
function retriable(policy: RetryPolicy, d: Delivery, overHbone: boolean): boolean {
  if (!d.ok) {
    const on = policy.retryOn;
    if (on.includes('reset') || on.includes('5xx') || on.includes('gateway-error')) return true;
    return !overHbone && on.includes('connect-failure');
  }
  const s = d.status;
  if (policy.statusCodes.includes(s) && policy.retryOn.includes('retriable-status-codes')) return true;
  if (policy.retryOn.includes('5xx') && s >= 500) return true;
  return policy.retryOn.includes('gateway-error') && (s === 502 || s === 503 || s === 504);
}

/**
 * How many times a timed-out attempt is tried again: Envoy counts a per-try timeout as a reset it
 * retries under `5xx`, `gateway-error` or `reset`, not under the connection-level conditions an
 * HTTPRoute retry sets.
 */
function retriesOnTimeout(policy: RetryPolicy): number {
  return policy.retryOn.some((c) => c === '5xx' || c === 'gateway-error' || c === 'reset') ? policy.attempts : 0;
}

export interface Upstream {
  service?: ServiceInfo;
  workload?: WorkloadInfo;
  port: number;
  subset?: Record<string, string>;
  choose?: (n: number) => number;
  retry: RetryPolicy | null;
  /** This waypoint pod's outlier detector for the cluster, when a DestinationRule enables one. */
  outliers?: OutlierDetector;
  /** How endpoints rank by locality (default: the Service's own mode). */
  locality?: LoadBalancingMode;
  /** The DestinationRule's `localityLbSetting.distribute`: endpoints are picked by locality weight instead. */
  distribute?: readonly DistributeRule[];
}

const ANY_LOCALITY: LoadBalancingMode = Object.freeze({ mode: 'any' });
/** A mode that ranks endpoints by locality (here always failover). */
type FailoverMode = Extract<LoadBalancingMode, { preferences: unknown }>;
const DEFAULT_FAILOVER_MODE: LoadBalancingMode = { mode: 'failover', preferences: DEFAULT_FAILOVER };

/**
 * How the proxy ranks a cluster's endpoints by locality (endpoint_builder.go,
 * GetLocalityLbSetting): a DestinationRule's localityLbSetting wins, and `enabled: false` turns off
 * a Service's traffic distribution too; without one, the Service's traffic distribution forces
 * failover; otherwise the mesh default (enabled) fails over region, zone, subzone. Failover from a
 * DestinationRule or the mesh default needs outlier detection, without which Envoy never leaves
 * the first priority; Envoy spills part of the load to the next priority once fewer than 71% of a
 * priority's hosts are healthy (priority-load.ts). `distribute` puts every endpoint in one
 * priority and weighs localities instead (Upstream.distribute).
 */
function localityMode(svc: ServiceInfo, cluster: ClusterPolicy): LoadBalancingMode {
  const l = cluster.locality;
  if (l === undefined && svc.loadBalancing.mode !== 'any') return svc.loadBalancing;
  if (cluster.outlierDetection === null || l?.kind === 'off' || l?.kind === 'distribute') return ANY_LOCALITY;
  return l === undefined ? DEFAULT_FAILOVER_MODE : { mode: 'failover', preferences: l.levels, ...(l.regions ? { regionFailover: l.regions } : {}), ...(l.weighted ? { localityWeighted: true } : {}) };
}

function outlierDetector(ctx: DataplaneContext, wpPod: WorkloadInfo, route: ForwardDecision): OutlierDetector | undefined {
  const settings = route.cluster.outlierDetection;
  if (!settings) return undefined;
  const key = `${wpPod.uid}|${route.cluster.clusterKey}`;
  let d = ctx.lbState.outliers.get(key);
  if (!d) ctx.lbState.outliers.set(key, (d = new OutlierDetector(settings)));
  return d;
}

/** Prefers a host neither tried nor ejected; a retry may fall back to a tried one, never to an ejected one. */
function pickPreferringFresh(ctx: DataplaneContext, svc: ServiceInfo, wpPod: WorkloadInfo, up: Upstream, mode: LoadBalancingMode, ejected: ReadonlySet<WorkloadInfo>, tried: ReadonlySet<WorkloadInfo>): Picked | undefined {
  const pick = (exclude?: ReadonlySet<WorkloadInfo>): Picked | undefined => pickEndpoint(svc, up.port, lbClient(wpPod), ctx.rng, up.subset, mode, up.choose, exclude);
  const fresh = tried.size || ejected.size ? pick(new Set([...tried, ...ejected])) : pick();
  return fresh ?? (tried.size ? pick(ejected.size ? ejected : undefined) : undefined);
}

/**
 * Envoy's locality priorities: ejected hosts count against their priority's health, so load
 * spills to the next priority as the closest one loses hosts. The panic threshold is the
 * DestinationRule's outlierDetection.minHealthPercent (0 by default: no panic), and 0 for a
 * Service that publishes unready endpoints (cluster_traffic_policy.go applyOutlierDetection).
 * With `failover` or `failoverPriority` written out, Istio also turns on Envoy's locality-weighted
 * balancing, which weighs a priority's localities by their availability.
 */
function pickInPriorities(ctx: DataplaneContext, svc: ServiceInfo, wpPod: WorkloadInfo, up: Upstream, mode: FailoverMode, ejected: ReadonlySet<WorkloadInfo>, tried: ReadonlySet<WorkloadInfo>): Picked | undefined {
  // Every host healthy and none tried: the closest priority takes all the load, as pickEndpoint ranks.
  if (ejected.size === 0 && tried.size === 0) return pickEndpoint(svc, up.port, lbClient(wpPod), ctx.rng, up.subset, mode, up.choose);
  return pickByPriority(envoyPick(ctx, svc, up, ejected, tried), lbClient(wpPod), mode);
}

function envoyPick(ctx: DataplaneContext, svc: ServiceInfo, up: Upstream, unhealthy: ReadonlySet<WorkloadInfo>, tried: ReadonlySet<WorkloadInfo>): EnvoyPick {
  return {
    svc,
    port: up.port,
    rng: ctx.rng,
    subsetLabels: up.subset,
    // Without a policy of its own the cluster picks uniformly at random.
    choose: up.choose ?? ((n) => pickIndex(ctx.rng, n)),
    unhealthy,
    tried,
    panicThreshold: svc.includeUnhealthy ? 0 : (up.outliers?.settings.minHealthPercent ?? 0),
  };
}

/** The load-balance decision's reason; the priority load shows once some of it has left the closest priority. */
function pickReason(picked: Picked, svc: ServiceInfo): string {
  const base = candidatesOf(picked.candidates, svc);
  if (picked.locality) return `${base} in locality ${picked.locality.name} (${picked.locality.percent}% of the locality weight)`;
  const p = picked.priority;
  const spilled = p !== undefined && !p.load.includes(100) ? `in locality priority ${p.level} (priority load ${p.load.join('/')}%)` : undefined;
  const notes = [spilled, picked.panic ? 'in panic (ejected hosts too)' : undefined].filter((x) => x !== undefined);
  return notes.length ? `${base} ${notes.join(', ')}` : base;
}

/**
 * Tries the upstream as the retry policy allows, preferring endpoints not tried yet (Envoy's
 * previous-host predicate). Failed attempts leave the path but are kept as attempts of their own,
 * whose time the walk counts; each retry is a decision.
 */
export function forwardUpstream(ctx: DataplaneContext, t: Trace, wpPod: WorkloadInfo, at: string, req: L7Request, up: Upstream): TraceResult {
  const upstreamReq: L7Request = { ...req, srcIdentity: wpPod.identity, srcIp: wpPod.ip };
  const tried = new Set<WorkloadInfo>();
  // Ejected hosts are unhealthy: never picked, bar a locality priority in panic.
  const ejected = new Set<WorkloadInfo>();
  if (up.outliers && up.service) {
    up.outliers.setHostCount(up.service.endpoints.length);
    for (const e of up.service.endpoints) if (up.outliers.isEjected(e.workload.uid, ctx.clock())) ejected.add(e.workload);
  }
  const maxTries = 1 + (up.retry?.attempts ?? 0);
  let last: Delivery | undefined;
  let retried = false;
  for (let attempt = 1; attempt <= maxTries; attempt++) {
    let dst: WorkloadInfo;
    let port = up.port;
    let remote: RemoteNetwork | undefined;
    if (up.service) {
      const svc = up.service;
      const mode = up.locality ?? svc.loadBalancing;
      const picked = up.distribute
        ? pickByLocalityWeight(envoyPick(ctx, svc, up, ejected, tried), wpPod.locality, up.distribute)
        : mode.mode === 'failover'
          ? pickInPriorities(ctx, svc, wpPod, up, mode, ejected, tried)
          : pickPreferringFresh(ctx, svc, wpPod, up, mode, ejected, tried);
      if (!picked) return t.respond(503, 'no healthy upstream', 'no healthy upstream');
      dst = picked.endpoint.workload;
      port = picked.targetPort;
      remote = picked.endpoint.remote;
      t.decide({ at, kind: 'load-balance', result: remote ? `${remote.cluster} via east-west gateway` : refOf(dst), reason: pickReason(picked, svc), sourceIdentity: req.srcIdentity });
    } else dst = up.workload!;
    tried.add(dst);
    const hopCount = t.hops.length;
    const conn = { ...upstreamReq, dstIp: dst.ip, dstPort: port };
    if (remote) {
      const r = viaEastWest(ctx, t, wpPod, remote, conn);
      // A waypoint never hands its traffic to another waypoint, so the result is always a delivery.
      last = r.kind === 'delivery' ? r.delivery : { ok: false, reason: 'not-listening' };
    } else last = dst.protocol === 'HBONE' ? arriveHbone(ctx, t, dst, port, conn) : deliver(ctx, t, dst, port, conn);
    // An ejection reaches Envoy's workers long before a retry's backoff ends: the retry sees it.
    if (up.outliers?.onResponse(dst.uid, last.ok ? last.status : 503, ctx.clock())) ejected.add(dst);
    if (attempt === maxTries || !up.retry || !retriable(up.retry, last, remote !== undefined || dst.protocol === 'HBONE')) break;
    t.failedAttempt(hopCount - 1, last.ok ? { ok: true, status: last.status, backend: last.backend, delayMs: last.delayMs } : { ok: false }, { baseMs: up.retry.backoffBaseMs, maxMs: up.retry.backoffMaxMs });
    const what = last.ok ? `status ${last.status}` : `connect failure (${last.reason})`;
    t.decide({ at, kind: 'retry', result: `attempt ${attempt + 1} of ${maxTries}`, reason: `${what} from ${dst.namespace}/${dst.name}` });
    retried = true;
  }
  // Envoy's router says so when the connect error it reports followed retries (router.cc onUpstreamAbort).
  if (retried && !last!.ok && !last!.answer) return t.respond(503, UPSTREAM_CONNECT_ERROR_RETRIED, `${UPSTREAM_CONNECT_ERROR_RETRIED} (${last!.reason})`);
  return finish(t, last!, 'envoy');
}


/** This proxy's circuit breaker for the route's cluster, when a DestinationRule sets connectionPool limits. */
function poolFor(ctx: DataplaneContext, proxyPod: WorkloadInfo, route: ForwardDecision): ConnectionPool | undefined {
  if (!route.cluster.destinationRule) return undefined;
  const s = route.cluster.connectionPool;
  if (s.maxConnections >= DEFAULT_CONNECTION_POOL.maxConnections && s.http2MaxRequests >= DEFAULT_CONNECTION_POOL.http2MaxRequests && s.http1MaxPendingRequests >= DEFAULT_CONNECTION_POOL.http1MaxPendingRequests) return undefined;
  const key = `${proxyPod.uid}|${route.cluster.clusterKey}`;
  let pool = ctx.lbState.pools.get(key);
  if (!pool) ctx.lbState.pools.set(key, (pool = new ConnectionPool(s)));
  return pool;
}

/** Answers for a route decision that does not forward (redirect, direct response, no route, bad backend). */
export function respondToRoute(t: Trace, route: Exclude<RouteDecision, ForwardDecision>): TraceResult {
  switch (route.type) {
    case 'redirect':
      return t.respond(route.status, '', undefined, applyResponseHeaderOps({ location: route.location }, route.responseHeaderOps));
    case 'direct':
      return t.respond(route.status, route.body, undefined, applyResponseHeaderOps({}, route.responseHeaderOps));
    case 'no-route':
      return t.respond(404, '', 'no route matched (Envoy NR)');
    case 'invalid-backend':
      return t.respond(route.status, '', route.reason);
  }
}

/**
 * A forwarding route: fault, then the backend Service. `via` may take the request elsewhere first
 * (an ingress gateway hands it to the Service's waypoint); otherwise the proxy dials an endpoint.
 */
export function forwardRoute(
  ctx: DataplaneContext,
  t: Trace,
  proxyPod: WorkloadInfo,
  at: string,
  req: L7Request,
  route: ForwardDecision,
  via?: (target: ServiceInfo, forwarded: L7Request) => TraceResult | undefined,
): TraceResult {
  if (route.fault?.delayMs) t.delay(route.fault.delayMs);
  if (route.fault?.abortStatus !== undefined) return t.respond(route.fault.abortStatus, 'fault filter abort', 'fault filter abort');
  const { backend } = route;
  const target = serviceNamed(ctx.view, backend.kind, backend.namespace, backend.name, backend.host);
  if (!target) return t.respond(503, 'no healthy upstream', `no endpoints known for ${backend.kind} ${backend.namespace}/${backend.name}`);
  if (route.timeouts.requestMs !== undefined) t.timeoutAt(route.timeouts.requestMs);
  const perTry = route.timeouts.backendRequestMs;
  if (perTry !== undefined && route.retry) t.perTryTimeoutAt(perTry, retriesOnTimeout(route.retry), route.retry.backoffBaseMs, route.retry.backoffMaxMs);
  const pool = poolFor(ctx, proxyPod, route);
  if (pool) {
    const slot = pool.tryAcquire(ctx.clock());
    if (!slot.ok) {
      t.decide({ at, kind: 'route', result: 'overflow', policy: route.cluster.destinationRule, reason: `circuit breaker: ${slot.reason} (503, flag UO)` });
      return t.respond(503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow', 'circuit breaker overflow (Envoy UO)');
    }
    t.hold(pool);
    if (slot.queued) {
      t.queue(pool);
      const { maxConnections, http1MaxPendingRequests } = route.cluster.connectionPool;
      t.decide({ at, kind: 'route', result: 'queued', policy: route.cluster.destinationRule, reason: `connection pool: all ${maxConnections} connection(s) busy, waits for one (pending queue of ${http1MaxPendingRequests})` });
    }
  }
  const forwarded: L7Request = { ...req, headers: route.requestHeaders, path: route.path, authority: route.authority };
  // Copies leave alongside the request; the trace must know them before it ends.
  for (const m of route.mirrors) mirror(ctx, t, proxyPod, at, forwarded, m);
  const elsewhere = via?.(target, { ...forwarded, dstPort: backend.port }) ?? (target.dynamicDns ? viaDynamicDns(ctx, t, proxyPod, at, forwarded, target, route) : undefined);
  const result =
    elsewhere ??
    forwardUpstream(ctx, t, proxyPod, at, forwarded, {
      service: target,
      port: backend.port,
      subset: route.cluster.subsetLabels,
      choose: chooser(ctx, route.cluster.clusterKey, route.cluster.lb, route.hashKey),
      retry: route.retry,
      outliers: outlierDetector(ctx, proxyPod, route),
      locality: localityMode(target, route.cluster),
      ...(route.cluster.locality?.kind === 'distribute' ? { distribute: route.cluster.locality.rules } : {}),
    });
  if (result.outcome === 'response' && route.responseHeaderOps) result.responseHeaders = applyResponseHeaderOps(result.responseHeaders ?? {}, route.responseHeaderOps);
  return result;
}

/** Per view: the servers outside the cluster that a dynamic forward proxy reached, by host. */
const dynamicHosts = new WeakMap<object, Map<string, WorkloadInfo>>();

/**
 * A ServiceEntry of resolution DYNAMIC_DNS (istiod's buildDFPCluster): the proxy resolves the
 * host the request names, whichever host of the entry (a wildcard) it matched, and sends it there.
 */
function viaDynamicDns(ctx: DataplaneContext, t: Trace, proxyPod: WorkloadInfo, at: string, req: L7Request, target: ServiceInfo, route: ForwardDecision): TraceResult {
  const host = req.authority.replace(/:\d+$/, '');
  let known = dynamicHosts.get(ctx.view);
  if (!known) dynamicHosts.set(ctx.view, (known = new Map()));
  const server = externalServer({ cluster: ctx.view.cluster, network: ctx.view.network, externals: known }, target.namespace, host, {});
  t.decide({ at, kind: 'load-balance', result: host, reason: `dynamic forward proxy of ServiceEntry ${target.namespace}/${target.name}: resolves the request's host`, sourceIdentity: req.srcIdentity });
  return forwardUpstream(ctx, t, proxyPod, at, req, { workload: server, port: route.backend.port, retry: route.retry });
}

/**
 * RequestMirror: a copy goes to one endpoint of the mirror backend and its answer is dropped. It is
 * delivered through that pod's ztunnel like any upstream request, on a trace of its own so the
 * client's path and outcome are untouched; the pod that got it is recorded.
 */
function mirror(ctx: DataplaneContext, t: Trace, proxyPod: WorkloadInfo, at: string, req: L7Request, target: BackendTarget): void {
  const svc = serviceNamed(ctx.view, target.kind, target.namespace, target.name, target.host);
  const picked = svc && pickEndpoint(svc, target.port, lbClient(proxyPod), ctx.rng);
  if (!picked || picked.endpoint.remote) {
    t.decide({ at, kind: 'route', result: 'mirror', reason: `no endpoint of ${target.namespace}/${target.name}:${target.port} for the mirrored copy` });
    return;
  }
  const dst = picked.endpoint.workload;
  const copy = new Trace(t.request);
  const conn: L7Request = { ...req, srcIdentity: proxyPod.identity, srcIp: proxyPod.ip, dstIp: dst.ip, dstPort: picked.targetPort };
  const d = dst.protocol === 'HBONE' ? arriveHbone(ctx, copy, dst, picked.targetPort, conn) : deliver(ctx, copy, dst, picked.targetPort, conn);
  if (d.ok) t.mirror(dst);
  t.decide({ at, kind: 'route', result: 'mirror', reason: d.ok ? `copy delivered to ${dst.namespace}/${dst.name} (answer dropped)` : `copy to ${dst.namespace}/${dst.name} failed (${d.reason})` });
}
