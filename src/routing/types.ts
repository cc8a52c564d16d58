// Public shapes of the routing engine: what compileRoutes takes, what routeHttp/routeTcp return.
import type {
  DestinationRule,
  GRPCRoute,
  HTTPRoute,
  Labels,
  Namespace,
  ReferenceGrant,
  Service,
  ServiceEntry,
  TCPRoute,
  TLSRoute,
  VirtualService,
} from '../k8s/types';
import type { LocalityLevel } from '../control/model';
import type { Decision } from '../result/types';

export type ServiceKind = 'Service' | 'ServiceEntry';

export interface RouteInput {
  httpRoutes: HTTPRoute[];
  grpcRoutes: GRPCRoute[];
  tcpRoutes: TCPRoute[];
  tlsRoutes: TLSRoute[];
  virtualServices: VirtualService[];
  destinationRules: DestinationRule[];
  services: Service[];
  serviceEntries?: ServiceEntry[];
  /** Accepted for completeness: mesh (Service-parent) routes never check ReferenceGrants in Istio. */
  referenceGrants?: ReferenceGrant[];
  /** Used for the `istio.io/use-waypoint` namespace label in the ResolvedWaypoints condition. */
  namespaces?: Namespace[];
  /** Whether traffic to this service is captured by a waypoint (routes only apply then). */
  hasWaypoint: (kind: ServiceKind, ns: string, name: string) => boolean;
  /** Namespace of the waypoint serving the service; defaults to the service's namespace. */
  waypointNamespace?: (kind: ServiceKind, ns: string, name: string) => string | undefined;
  rootNamespace: string;
  domain: string;
}

export interface RouteTarget {
  namespace: string;
  service: string;
  port: number;
}

export interface HttpRequest {
  method: string;
  /** Path with its query string. */
  path: string;
  authority: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  srcIp?: string;
  /** Defaults to http (plaintext inside the HBONE tunnel). */
  scheme?: string;
}

export interface RouteOptions {
  /** Name of the deciding proxy for Decision.at (default `waypoint`). */
  at?: string;
  /** Add a decision per earlier route explaining why it did not match (slower). */
  explain?: boolean;
}

export interface BackendTarget {
  kind: ServiceKind;
  namespace: string;
  name: string;
  port: number;
  subset?: string;
  /** The host Envoy names the cluster after (service FQDN or ServiceEntry host). */
  host: string;
}

export interface HeaderOps {
  set?: [string, string][];
  add?: [string, string][];
  remove?: string[];
}

export interface RetryPolicy {
  /** Number of retries (so at most attempts + 1 tries). */
  attempts: number;
  /** Envoy retry_on conditions (connect-failure, refused-stream, 5xx, gateway-error, ...). */
  retryOn: string[];
  /** Status codes retried through `retriable-status-codes`. */
  statusCodes: number[];
  perTryTimeoutMs?: number;
  backoffBaseMs: number;
  /** Envoy's cap on the exponential backoff: 10 × base. */
  backoffMaxMs: number;
}

export type LbPolicyName = 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM' | 'PASSTHROUGH' | 'RING_HASH' | 'MAGLEV';

export interface LbPolicy {
  policy: LbPolicyName;
  /** How a consistent-hash key is taken from the request (absent for the simple policies). */
  hashOn?: { header: string } | { cookie: string } | { sourceIp: true } | { queryParam: string };
}

export interface ConnectionPoolSettings {
  maxConnections: number;
  http1MaxPendingRequests: number;
  http2MaxRequests: number;
  maxRequestsPerConnection: number;
  maxRetries: number;
}

export interface OutlierSettings {
  consecutive5xxErrors: number;
  consecutiveGatewayErrors: number;
  intervalMs: number;
  baseEjectionTimeMs: number;
  maxEjectionTimeMs: number;
  maxEjectionPercent: number;
  minHealthPercent: number;
}

/** Levels of locality failover, as Envoy priorities rank endpoints against the proxy. */
export type { LocalityLevel };

/** One `distribute` entry: from the proxy's locality pattern, weights for the endpoints' locality patterns (in the order written). */
export interface DistributeRule {
  from: string;
  to: { locality: string; weight: number }[];
}

export type LocalityLb =
  | { kind: 'off' }
  | { kind: 'distribute'; rules: DistributeRule[] }
  /**
   * `regions`: the DR's `failover` entries, which put the other regions after the `to` region;
   * `weighted`: `failover` or `failoverPriority` is written out, so Istio sets LocalityWeightedLbConfig.
   */
  | { kind: 'failover'; levels: LocalityLevel[]; regions?: { from: string; to: string }[]; weighted?: true };

/** The DestinationRule policy in force for one backend cluster, resolved at compile time. */
export interface ClusterPolicy {
  /** Envoy-style cluster name, stable per (host, port, subset): key for pools and detectors. */
  clusterKey: string;
  /** `namespace/name` of the DestinationRule, or null. */
  destinationRule: string | null;
  lb: LbPolicy;
  connectionPool: ConnectionPoolSettings;
  /** Null when the DR has no outlierDetection block (detection off). */
  outlierDetection: OutlierSettings | null;
  /**
   * The DR's localityLbSetting, when it has one: off (`enabled: false`, which also turns off a
   * Service's traffic distribution), weights by locality (`distribute`), or failover
   * in the order of these locality levels (active only with outlier detection).
   */
  locality?: LocalityLb;
  /** SIMPLE/MUTUAL: the waypoint originates TLS to the backend. */
  tlsOrigination: boolean;
  /** Endpoint label filter of the subset (the caller applies it). */
  subsetLabels?: Labels;
}

export interface ForwardDecision {
  type: 'forward';
  /** `HTTPRoute ns/name`, `GRPCRoute ns/name`, `VirtualService ns/name`, or null for the default route. */
  route: string | null;
  rule: number | string | null;
  backend: BackendTarget;
  cluster: ClusterPolicy;
  /** Consistent-hash key from the request, when the LB policy hashes. */
  hashKey?: string;
  /** Headers after modifiers (the request's own object when nothing changed). */
  requestHeaders: Record<string, string>;
  path: string;
  authority: string;
  responseHeaderOps: HeaderOps | null;
  /** Mirror targets already sampled by their percentage. */
  mirrors: BackendTarget[];
  timeouts: { requestMs?: number; backendRequestMs?: number };
  retry: RetryPolicy | null;
  /** Sampled fault. With abortStatus the caller answers at once without contacting the backend. */
  fault?: { delayMs?: number; abortStatus?: number; abortGrpcStatus?: string };
  decisions: Decision[];
}

export interface RedirectDecision {
  type: 'redirect';
  route: string;
  rule: number | string;
  status: number;
  location: string;
  responseHeaderOps: HeaderOps | null;
  decisions: Decision[];
}

export interface DirectDecision {
  type: 'direct';
  route: string;
  rule: number | string;
  status: number;
  body: string;
  responseHeaderOps: HeaderOps | null;
  decisions: Decision[];
}

export interface NoRouteDecision {
  type: 'no-route';
  status: 404;
  decisions: Decision[];
}

export interface InvalidBackendDecision {
  type: 'invalid-backend';
  route: string;
  rule: number | string;
  /** 500 for Gateway API routes, 503 (missing cluster) for VirtualService routes. */
  status: 500 | 503;
  reason: string;
  decisions: Decision[];
}

export type RouteDecision = ForwardDecision | RedirectDecision | DirectDecision | NoRouteDecision | InvalidBackendDecision;

export interface TcpConnection {
  /** Accepted but unused: the waypoint does not inspect SNI. */
  sni?: string;
  srcIp?: string;
}

export type TcpDecision =
  | {
      type: 'forward';
      route: string | null;
      backend: BackendTarget;
      cluster: ClusterPolicy;
      hashKey?: string;
      decisions: Decision[];
    }
  | {
      /** The connection is closed by the waypoint (unknown backend, all weights zero). */
      type: 'reject';
      route: string;
      reason: string;
      decisions: Decision[];
    };
