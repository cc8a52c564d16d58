// Builders for routing tests: the Gateway API mesh conformance topology and short route literals.
import type { DestinationRule, GRPCRoute, HTTPRoute, HTTPRouteRule, Namespace, ParentReference, Service, TCPRoute, TLSRoute, VirtualService } from '../../src/k8s/types';
import { compileRoutes, routeHttp, type HttpRequest, type RouteDecision, type RouteIndex, type RouteInput } from '../../src/routing';

export const MESH = 'gateway-conformance-mesh';
export const CONSUMER = 'gateway-conformance-mesh-consumer';

export function service(namespace: string, name: string, ports: number[], labels: Record<string, string> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { ports: ports.map((port) => ({ port })) } };
}

export function namespace(name: string, labels: Record<string, string> = {}): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

const CONFORMANCE_PORTS = [80, 8080, 443, 9090, 7070];

/** conformance/mesh/manifests.yaml: echo, echo-v1, echo-v2 in the mesh namespace, echo-v1 in the consumer one. */
export function meshServices(): Service[] {
  return [
    service(MESH, 'echo', CONFORMANCE_PORTS),
    service(MESH, 'echo-v1', CONFORMANCE_PORTS),
    service(MESH, 'echo-v2', CONFORMANCE_PORTS),
    service(CONSUMER, 'echo-v1', CONFORMANCE_PORTS),
  ];
}

export function svcParent(name: string, port?: number, ns?: string): ParentReference {
  return { group: '', kind: 'Service', name, ...(port !== undefined ? { port } : {}), ...(ns ? { namespace: ns } : {}) };
}

let clock = 0;
/** Creation timestamps increase with each object built unless one is given. */
function stamp(ts?: string): string {
  return ts ?? new Date(Date.UTC(2026, 0, 1) + 1000 * clock++).toISOString();
}

export function httpRoute(name: string, parentRefs: ParentReference[], rules: HTTPRouteRule[], opts: { ns?: string; created?: string } = {}): HTTPRoute {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: opts.ns ?? MESH, creationTimestamp: stamp(opts.created) }, spec: { parentRefs, rules } };
}

export function grpcRoute(name: string, parentRefs: ParentReference[], rules: NonNullable<GRPCRoute['spec']>['rules'], opts: { ns?: string; created?: string } = {}): GRPCRoute {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name, namespace: opts.ns ?? MESH, creationTimestamp: stamp(opts.created) }, spec: { parentRefs, ...(rules ? { rules } : {}) } };
}

export function tcpRoute(name: string, parentRefs: ParentReference[], backendRefs: NonNullable<TCPRoute['spec']>['rules'], ns = MESH): TCPRoute {
  return { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name, namespace: ns, creationTimestamp: stamp() }, spec: { parentRefs, ...(backendRefs ? { rules: backendRefs } : {}) } };
}

export function tlsRoute(name: string, parentRefs: ParentReference[], hostnames: string[] | undefined, rules: NonNullable<TLSRoute['spec']>['rules'], ns = MESH): TLSRoute {
  return { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', metadata: { name, namespace: ns, creationTimestamp: stamp() }, spec: { parentRefs, ...(hostnames ? { hostnames } : {}), ...(rules ? { rules } : {}) } };
}

export function virtualService(name: string, spec: NonNullable<VirtualService['spec']>, opts: { ns?: string; created?: string } = {}): VirtualService {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: opts.ns ?? MESH, creationTimestamp: stamp(opts.created) }, spec };
}

export function destinationRule(name: string, spec: NonNullable<DestinationRule['spec']>, ns = MESH): DestinationRule {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: ns, creationTimestamp: stamp() }, spec };
}

/** A routing input with nothing in it but the mesh's services and namespaces, then `objs`. */
export function routeInput(objs: Partial<RouteInput> = {}): RouteInput {
  return {
    httpRoutes: [],
    grpcRoutes: [],
    tcpRoutes: [],
    tlsRoutes: [],
    virtualServices: [],
    destinationRules: [],
    services: meshServices(),
    namespaces: [namespace(MESH, { 'istio.io/use-waypoint': 'waypoint' }), namespace(CONSUMER, { 'istio.io/use-waypoint': 'waypoint' })],
    hasWaypoint: () => true,
    rootNamespace: 'istio-system',
    domain: 'cluster.local',
    ...objs,
  };
}

export function meshIndex(objs: Partial<RouteInput> = {}): RouteIndex {
  return compileRoutes(routeInput(objs));
}

export interface Req {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  host?: string;
}

export function request(r: Req, service: string): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  return { method: r.method ?? 'GET', path: r.path ?? '/', authority: r.host ?? service, headers };
}

export function send(index: RouteIndex, service: string, port: number, r: Req = {}, rng: () => number = () => 0, ns = MESH): RouteDecision {
  return routeHttp(index, { namespace: ns, service, port }, request(r, service), rng);
}

/** What a conformance check observes: the backend name, or the status the waypoint answered. */
export function outcome(d: RouteDecision): string {
  switch (d.type) {
    case 'forward':
      return d.fault?.abortStatus !== undefined ? String(d.fault.abortStatus) : d.backend.name;
    case 'redirect':
      return `${d.status} ${d.location}`;
    default:
      return String(d.status);
  }
}
