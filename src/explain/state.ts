// The mesh state a request ran in, as explain needs it: each cluster's view and stored objects, and
// the authorization and route indexes compiled from them exactly as the data path compiles them.
import { compileAuthz, type AuthzIndex } from '../authz';
import type { MeshView, ObjectReader } from '../control/mesh-view';
import type {
  AuthorizationPolicy,
  DestinationRule,
  GRPCRoute,
  HTTPRoute,
  Namespace,
  PeerAuthentication,
  RequestAuthentication,
  Service,
  ServiceEntry,
  TCPRoute,
  TLSRoute,
  VirtualService,
} from '../k8s/types';
import { compileRoutes, type RouteIndex } from '../routing';

/** What `World` offers (`world.view(c)`, `world.cluster(c)`), so explain takes a World or a test double. */
export interface MeshState {
  view(cluster: string): MeshView;
  cluster(name: string): ObjectReader;
  /** Wall-clock epoch ms now (JWT exp/nbf); defaults to 2026-01-01. */
  nowMs?: number;
}

export interface ClusterIndexes {
  view: MeshView;
  objects: ObjectReader;
  authz: AuthzIndex;
  routes: RouteIndex;
  policies: AuthorizationPolicy[];
}

const cache = new WeakMap<MeshView, ClusterIndexes>();

/** The indexes of one cluster, compiled once per view (a view is rebuilt on every state change). */
export function indexesFor(state: MeshState, cluster: string): ClusterIndexes {
  const view = state.view(cluster);
  const hit = cache.get(view);
  if (hit) return hit;
  const objects = state.cluster(cluster);
  const list = <T>(kind: string) => objects.list(kind) as unknown as T[];
  const policies = list<AuthorizationPolicy>('AuthorizationPolicy');
  // Same inputs as the data path's compileEngines (src/dataplane/policy-engines.ts).
  const authz = compileAuthz({
    authorizationPolicies: policies,
    peerAuthentications: list<PeerAuthentication>('PeerAuthentication'),
    requestAuthentications: list<RequestAuthentication>('RequestAuthentication'),
    rootNamespace: view.config.rootNamespace,
    trustDomain: view.config.trustDomain,
    features: { autoAllowWaypointPolicy: view.config.features.autoAllowWaypointPolicy },
  });
  const serviceAt = (ns: string, name: string) => view.serviceByHost.get(`${name}.${ns}.svc.${view.config.domain}`);
  const routes = compileRoutes({
    httpRoutes: list<HTTPRoute>('HTTPRoute'),
    grpcRoutes: list<GRPCRoute>('GRPCRoute'),
    tcpRoutes: list<TCPRoute>('TCPRoute'),
    tlsRoutes: list<TLSRoute>('TLSRoute'),
    virtualServices: list<VirtualService>('VirtualService'),
    destinationRules: list<DestinationRule>('DestinationRule'),
    services: list<Service>('Service'),
    serviceEntries: list<ServiceEntry>('ServiceEntry'),
    namespaces: list<Namespace>('Namespace'),
    hasWaypoint: (kind, ns, name) => kind === 'Service' && serviceAt(ns, name)?.waypoint !== undefined,
    waypointNamespace: (kind, ns, name) => (kind === 'Service' ? serviceAt(ns, name)?.waypoint?.namespace : undefined),
    rootNamespace: view.config.rootNamespace,
    domain: view.config.domain,
  });
  const out = { view, objects, authz, routes, policies };
  cache.set(view, out);
  return out;
}

/** 2026-01-01T00:00:00Z, the scenario default start time. */
export const DEFAULT_NOW_MS = Date.UTC(2026, 0, 1);
