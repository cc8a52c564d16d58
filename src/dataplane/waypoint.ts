// The waypoint hop (reference/routing.md §0): authorization, L7 routing for service-addressed
// HTTP, a per-request endpoint pick with the route's retry policy, and a new HBONE connection
// upstream carrying the waypoint's own identity (reference/authz.md §5).
import type { ServiceInfo, WorkloadInfo } from '../control/model';
import type { WaypointInfo } from '../control/waypoints';
import { MESH_DEFAULT_RETRY } from '../routing';
import type { Hop } from '../result/types';
import { lbClient, type DataplaneContext } from './context';
import type { L7Request } from './engines';
import { forwardRoute, forwardUpstream, respondToRoute } from './envoy';
import { FAST_PATHS } from '../fast-paths';
import { pickEndpoint } from './load-balance';
import { servesPort } from './names';
import type { Trace, TraceResult } from './trace';

const waypointLabels = new WeakMap<WaypointInfo, string>();

export function waypointLabel(wp: WaypointInfo): string {
  if (!FAST_PATHS) return `waypoint ${wp.namespace}/${wp.name}`;
  let label = waypointLabels.get(wp);
  if (label === undefined) waypointLabels.set(wp, (label = `waypoint ${wp.namespace}/${wp.name}`));
  return label;
}

const portProtocols = new WeakMap<ServiceInfo, Map<number, 'http' | 'tcp'>>();

/** The service port's declared protocol; undeclared ports are sniffed, and meshsim's clients speak HTTP. */
export function portProtocol(svc: ServiceInfo | undefined, port: number): 'http' | 'tcp' {
  if (!FAST_PATHS || svc === undefined) return declaredProtocol(svc, port);
  let byPort = portProtocols.get(svc);
  if (byPort === undefined) portProtocols.set(svc, (byPort = new Map()));
  let p = byPort.get(port);
  if (p === undefined) byPort.set(port, (p = declaredProtocol(svc, port)));
  return p;
}

function declaredProtocol(svc: ServiceInfo | undefined, port: number): 'http' | 'tcp' {
  const p = svc?.ports.find((x) => x.port === port);
  if (!p) return 'http';
  const declared = (p.appProtocol ?? p.name?.split('-')[0] ?? '').toLowerCase();
  if (['tcp', 'tls', 'https', 'mongo', 'mysql', 'redis', 'kubernetes.io/tls'].includes(declared)) return 'tcp';
  return 'http';
}

const waypointHops = new WeakMap<WorkloadInfo, Hop>();

/** The hop of a waypoint pod, shared by the requests that pass it (hops are immutable). */
function waypointHop(wp: WaypointInfo, pod: WorkloadInfo): Hop {
  const cached = FAST_PATHS ? waypointHops.get(pod) : undefined;
  if (cached !== undefined && cached.name === wp.name && cached.namespace === wp.namespace) return cached;
  const hop: Hop = { kind: 'waypoint', name: wp.name, namespace: wp.namespace, pod: pod.name, node: pod.node, cluster: pod.cluster, protocol: 'HBONE' };
  if (FAST_PATHS) waypointHops.set(pod, hop);
  return hop;
}

/** By view: the Service in front of each waypoint. */
const waypointServices = new WeakMap<object, Map<WaypointInfo, ServiceInfo | undefined>>();

function waypointService(ctx: DataplaneContext, wp: WaypointInfo): ServiceInfo | undefined {
  if (!FAST_PATHS) return lookupWaypointService(ctx, wp);
  let byWp = waypointServices.get(ctx.view);
  if (byWp === undefined) waypointServices.set(ctx.view, (byWp = new Map()));
  if (byWp.has(wp)) return byWp.get(wp);
  const svc = lookupWaypointService(ctx, wp);
  byWp.set(wp, svc);
  return svc;
}

function lookupWaypointService(ctx: DataplaneContext, wp: WaypointInfo): ServiceInfo | undefined {
  const { view } = ctx;
  return view.waypointServices.get(`${wp.namespace}/${wp.name}`) ?? view.serviceByVip.get(wp.address.value) ?? view.serviceByHost.get(wp.address.value);
}

/**
 * Carries the request through the waypoint `wp`, for a Service (`svc`) or a workload-addressed pod.
 * `sender` is the proxy handing it over: with no waypoint pod to take it, ztunnel drops the
 * connection, while an Envoy (an ingress gateway, whose cluster then has no endpoint) answers 503.
 */
export function throughWaypoint(ctx: DataplaneContext, t: Trace, client: WorkloadInfo, wp: WaypointInfo, req: L7Request, svc: ServiceInfo | undefined, workload: WorkloadInfo | undefined, sender: 'ztunnel' | 'envoy' = 'ztunnel'): TraceResult {
  const wpSvc = waypointService(ctx, wp);
  const wpPick = wpSvc && pickEndpoint(wpSvc, 15008, lbClient(client), ctx.rng);
  if (!wpPick) {
    const why = `waypoint ${wp.namespace}/${wp.name} has no healthy endpoint`;
    return sender === 'envoy' ? t.respond(503, 'no healthy upstream', `no healthy upstream: ${why}`) : t.reset(`UnknownWaypoint: ${why}`);
  }
  const wpPod = wpPick.endpoint.workload;
  const at = waypointLabel(wp);
  t.hop(waypointHop(wp, wpPod));
  // The waypoint's filter chains match a Service's VIP only on its declared ports; no chain, no
  // HTTP: Envoy closes the tunnelled connection (istiod's buildWaypointInternal has no fallback).
  if (svc && !servesPort(svc, req.dstPort)) {
    return t.reset(`no filter chain matches ${req.dstIp}:${req.dstPort} at waypoint ${wp.namespace}/${wp.name}: service ${svc.namespace}/${svc.name} declares no port ${req.dstPort}`);
  }
  const protocol = portProtocol(svc, req.dstPort);
  const inbound: L7Request = { ...req, protocol };
  const authz = ctx.engines.waypoint(wp, svc, inbound, at, ctx.clock);
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
  return route.type === 'forward' ? forwardRoute(ctx, t, wpPod, at, inbound, route) : respondToRoute(t, route);
}

