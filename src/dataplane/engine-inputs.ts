// What the authorization and routing engines are compiled from, read off one cluster's objects and
// its mesh view. The data path, explain and analyze all compile from exactly these inputs.
import type { AuthzInput } from '../authz';
import type { MeshView, ObjectReader } from '../control/mesh-view';
import { serviceNamed } from '../control/service-lookup';
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
import type { RouteInput } from '../routing';

function lister(objects: ObjectReader) {
  return <T>(kind: string) => objects.list(kind) as unknown as T[];
}

export function authzInputOf(objects: ObjectReader, view: MeshView): AuthzInput {
  const list = lister(objects);
  return {
    authorizationPolicies: list<AuthorizationPolicy>('AuthorizationPolicy'),
    peerAuthentications: list<PeerAuthentication>('PeerAuthentication'),
    requestAuthentications: list<RequestAuthentication>('RequestAuthentication'),
    rootNamespace: view.config.rootNamespace,
    trustDomain: view.config.trustDomain,
    features: { autoAllowWaypointPolicy: view.config.features.autoAllowWaypointPolicy },
  };
}

/** Routes apply only at a Service's waypoint; the view says which Services have one and where. */
export function routeInputOf(objects: ObjectReader, view: MeshView): RouteInput {
  const list = lister(objects);
  return {
    httpRoutes: list<HTTPRoute>('HTTPRoute'),
    grpcRoutes: list<GRPCRoute>('GRPCRoute'),
    tcpRoutes: list<TCPRoute>('TCPRoute'),
    tlsRoutes: list<TLSRoute>('TLSRoute'),
    virtualServices: list<VirtualService>('VirtualService'),
    destinationRules: list<DestinationRule>('DestinationRule'),
    services: list<Service>('Service'),
    serviceEntries: list<ServiceEntry>('ServiceEntry'),
    namespaces: list<Namespace>('Namespace'),
    hasWaypoint: (kind, ns, name) => serviceNamed(view, kind, ns, name)?.waypoint !== undefined,
    waypointNamespace: (kind, ns, name) => serviceNamed(view, kind, ns, name)?.waypoint?.namespace,
    rootNamespace: view.config.rootNamespace,
    domain: view.config.domain,
  };
}
