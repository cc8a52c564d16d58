// Traffic through an ingress Gateway (class `istio`), from outside the cluster (`from: external`)
// or from a pod that calls the gateway's Service: the gateway routes with its HTTPRoutes, then dials
// the backend — straight to its pods over HBONE, or through the Service's waypoint when
// `istio.io/ingress-use-waypoint` is set (reference/ambient.md §2.6, P10).
import { pickIndex } from '../../sim/choice';
import type { MeshView } from '../control/mesh-view';
import type { Hop } from '../result/types';
import type { IngressDecision } from '../routing';
import type { WorkloadInfo } from '../control/model';
import type { DataplaneContext } from './context';
import type { L7Request } from './engines';
import type { Delivery } from './arrive';
import { forwardRoute, respondToRoute } from './envoy';
import { Trace, type TraceResult } from './trace';
import { throughWaypoint } from './waypoint';

/** Where external clients appear to come from (TEST-NET-3, never a cluster address). */
export const EXTERNAL_CLIENT_IP = '203.0.113.10';

/** The name the client outside the cluster goes by, in hops and records. */
export const EXTERNAL_CLIENT_NAME = 'external';

/** The client outside the cluster, shaped like a workload so records and timing treat it alike. */
export function externalClient(view: MeshView): WorkloadInfo {
  return {
    uid: `${view.cluster}/external`,
    cluster: view.cluster,
    network: view.network,
    namespace: '',
    name: EXTERNAL_CLIENT_NAME,
    workloadName: EXTERNAL_CLIENT_NAME,
    serviceAccount: '',
    identity: '',
    ip: EXTERNAL_CLIENT_IP,
    node: '',
    locality: { region: '', zone: '', subzone: '' },
    labels: {},
    mode: 'none',
    protocol: 'TCP',
    healthy: true,
    role: 'app',
    pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: EXTERNAL_CLIENT_NAME } },
  };
}

export interface ExternalRequest {
  /** The host the client dials: a gateway address or Service name, or any name when one gateway exists. */
  dialHost: string;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
}

/** The ingress gateway `dialHost` reaches, and its pods. */
function gatewayFor(ctx: DataplaneContext, dialHost: string): { key: string; pods: WorkloadInfo[] } | undefined {
  const byGateway = new Map<string, WorkloadInfo[]>();
  for (const w of ctx.view.workloads) {
    if (w.role !== 'ingress-gateway' || !w.gateway) continue;
    const list = byGateway.get(w.gateway);
    if (list) list.push(w);
    else byGateway.set(w.gateway, [w]);
  }
  const host = dialHost.toLowerCase();
  for (const [key, pods] of byGateway) {
    const [ns, name] = key.split('/') as [string, string];
    const addresses = ctx.view.waypoints.get(key)?.gateway.status?.addresses?.map((a) => a.value) ?? [];
    const svc = ctx.view.serviceByHost.get(`${name}-istio.${ns}.svc.${ctx.view.config.domain}`);
    if (addresses.includes(host) || svc?.vips.includes(host) || svc?.hostname === host || host === `${name}-istio.${ns}`) return { key, pods };
  }
  // With a single ingress gateway, any public name resolves to it (as $GATEWAY_URL does in the docs).
  if (byGateway.size === 1) {
    const [key, pods] = [...byGateway][0]!;
    return { key, pods };
  }
  return undefined;
}

export function sendExternal(ctx: DataplaneContext, req: ExternalRequest): TraceResult {
  const t = new Trace({ host: req.dialHost, port: req.port, method: req.method, path: req.path });
  t.hop({ kind: 'pod', name: EXTERNAL_CLIENT_NAME, node: '', cluster: ctx.view.cluster });
  const gw = gatewayFor(ctx, req.dialHost);
  if (!gw) return t.end('dns-error', { error: `Could not resolve host: ${req.dialHost} (no ingress gateway has that address)` });
  const ready = gw.pods.filter((p) => p.healthy);
  if (ready.length === 0) return t.end('refused', { error: `ingress gateway ${gw.key} has no ready pod` });
  const pod = ready[pickIndex(ctx.rng, ready.length)]!;
  const at = `ingress-gateway ${gw.key}`;
  t.hop(gatewayHop(pod, gw.key));
  const authority = req.headers.host ?? (req.port === 80 ? req.dialHost : `${req.dialHost}:${req.port}`);
  const l7: L7Request = { protocol: 'http', method: req.method, path: req.path, authority, headers: { ...req.headers, host: authority }, srcIdentity: null, srcIp: EXTERNAL_CLIENT_IP, dstIp: pod.ip, dstPort: req.port };
  const route = ctx.engines.ingress(gw.key, req.port, l7, ctx.rng, at);
  if (route.type === 'no-listener') {
    t.decide(route.decisions);
    return t.end('refused', { error: `ingress gateway ${gw.key} has no listener on port ${req.port}` });
  }
  return routeAtGateway(ctx, t, pod, at, l7, route);
}

function gatewayHop(pod: WorkloadInfo, key: string): Hop {
  const [ns, name] = key.split('/') as [string, string];
  return { kind: 'ingress-gateway', name, namespace: ns, pod: pod.name, node: pod.node, cluster: pod.cluster, protocol: 'HTTP' };
}

/** The gateway's listener routes the request with its HTTPRoutes and sends it on. */
function routeAtGateway(ctx: DataplaneContext, t: Trace, pod: WorkloadInfo, at: string, l7: L7Request, route: Exclude<IngressDecision, { type: 'no-listener' }>): TraceResult {
  t.decide(route.decisions);
  if (route.type !== 'forward') return respondToRoute(t, route);
  return forwardRoute(ctx, t, pod, at, l7, route, (target, forwarded) => {
    if (!target.waypoint || !target.ingressUseWaypoint) return undefined;
    t.decide({ at, kind: 'waypoint-binding', result: `${target.waypoint.namespace}/${target.waypoint.name}`, reason: `service ${target.namespace}/${target.name} has istio.io/ingress-use-waypoint`, sourceIdentity: pod.identity });
    return throughWaypoint(ctx, t, pod, target.waypoint, { ...forwarded, srcIdentity: pod.identity, srcIp: pod.ip }, target, undefined, 'envoy');
  });
}

/**
 * A request from inside the mesh that reaches an ingress gateway's pod (its Service, or the pod's
 * IP): the gateway's listener routes it as it routes outside traffic. What the gateway answered
 * comes back as its delivery; no listener on the port, or a route back into this same gateway, is
 * a connection nothing accepts.
 */
export function deliverToGateway(ctx: DataplaneContext, t: Trace, pod: WorkloadInfo, port: number, req: L7Request): Delivery {
  const key = pod.gateway!;
  if (req.protocol !== 'http' || t.hops.some((h) => h.kind === 'ingress-gateway' && h.pod === pod.name)) return { ok: false, reason: 'not-listening' };
  const at = `ingress-gateway ${key}`;
  // The gateway pod is outside ztunnel's capture: the request arrives in plaintext, with no peer identity.
  const seen: L7Request = { ...req, srcIdentity: null };
  const route = ctx.engines.ingress(key, port, seen, ctx.rng, at);
  if (route.type === 'no-listener') return { ok: false, reason: 'not-listening' };
  t.hop(gatewayHop(pod, key));
  const r = routeAtGateway(ctx, t, pod, at, seen, route);
  if (r.outcome !== 'response') return { ok: false, reason: 'not-listening' };
  return { ok: true, status: r.status ?? 503, body: r.body ?? '', headers: r.responseHeaders ?? {}, delayMs: r.appDelayMs, backend: r.backend ?? pod, requestHeaders: r.requestHeaders ?? req.headers };
}
