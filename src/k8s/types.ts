// The shapes meshsim reads from Kubernetes, Istio and Gateway API objects.
// Field names follow the real APIs exactly so that users' manifests load unchanged.
// Validation (required fields, enums, Istio's rules) lives in ./schemas; these types are what
// the rest of the code reads once an object has been validated.

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  labels?: Labels;
  annotations?: Labels;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: OwnerReference[];
}

/** Any object the API server stores. Kinds meshsim does not model are kept as plain KubeObjects. */
export interface KubeObject<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
  [extra: string]: unknown;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

// ---------------------------------------------------------------- core/v1, apps/v1

export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface EnvVar {
  name: string;
  value?: string;
}

export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeName?: string;
  nodeSelector?: Labels;
  serviceAccountName?: string;
  serviceAccount?: string;
  hostNetwork?: boolean;
  terminationGracePeriodSeconds?: number;
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  podIP?: string;
  podIPs?: { ip: string }[];
  hostIP?: string;
  conditions?: Condition[];
  startTime?: string;
}

export type Pod = KubeObject<PodSpec, PodStatus>;

export interface PodTemplateSpec {
  metadata?: { labels?: Labels; annotations?: Labels; name?: string };
  spec: PodSpec;
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
}

export interface WorkloadStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

export type Deployment = KubeObject<DeploymentSpec, WorkloadStatus>;
export type ReplicaSet = KubeObject<DeploymentSpec, WorkloadStatus>;
export type StatefulSet = KubeObject<DeploymentSpec & { serviceName?: string }, WorkloadStatus>;
export type DaemonSet = KubeObject<Omit<DeploymentSpec, 'replicas'>, WorkloadStatus>;

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
  nodePort?: number;
}

export interface ServiceSpec {
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP?: string;
  clusterIPs?: string[];
  selector?: Labels;
  ports?: ServicePort[];
  externalName?: string;
  internalTrafficPolicy?: 'Cluster' | 'Local';
  trafficDistribution?: string;
  publishNotReadyAddresses?: boolean;
  sessionAffinity?: string;
}

export type Service = KubeObject<ServiceSpec, { conditions?: Condition[]; loadBalancer?: unknown }>;

export interface EndpointSliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  nodeName?: string;
  zone?: string;
  hostname?: string;
  targetRef?: { kind: string; name: string; namespace?: string; uid?: string };
}

export interface EndpointSlicePort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

/** EndpointSlice keeps its data at the top level, as the real API does. */
export interface EndpointSlice extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: EndpointSliceEndpoint[];
  ports?: EndpointSlicePort[];
}

export type Namespace = KubeObject<unknown, { phase?: string }>;
export type ServiceAccount = KubeObject;

export interface NodeStatus {
  addresses?: { type: string; address: string }[];
  conditions?: Condition[];
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export type Node = KubeObject<{ podCIDR?: string; podCIDRs?: string[]; unschedulable?: boolean; taints?: Taint[] }, NodeStatus>;

// ---------------------------------------------------------------- gateway.networking.k8s.io

export interface RouteNamespaces {
  from?: 'All' | 'Same' | 'Selector' | 'None';
  selector?: LabelSelector;
}

export interface Listener {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  allowedRoutes?: { namespaces?: RouteNamespaces; kinds?: { group?: string; kind: string }[] };
  tls?: { mode?: 'Terminate' | 'Passthrough'; options?: Labels; certificateRefs?: unknown[] };
}

export interface GatewayAddress {
  type?: 'IPAddress' | 'Hostname' | string;
  value: string;
}

export interface GatewaySpec {
  gatewayClassName: string;
  listeners: Listener[];
  addresses?: GatewayAddress[];
  infrastructure?: { labels?: Labels; annotations?: Labels };
}

export interface GatewayStatus {
  addresses?: GatewayAddress[];
  conditions?: Condition[];
  listeners?: { name: string; attachedRoutes: number; conditions?: Condition[]; supportedKinds?: unknown[] }[];
}

export type Gateway = KubeObject<GatewaySpec, GatewayStatus>;
export type GatewayClass = KubeObject<{ controllerName: string; description?: string }, { conditions?: Condition[] }>;

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPHeader {
  name: string;
  value: string;
}

export interface HTTPHeaderMatch {
  type?: 'Exact' | 'RegularExpression';
  name: string;
  value: string;
}

export interface HTTPPathMatch {
  type?: 'Exact' | 'PathPrefix' | 'RegularExpression';
  value?: string;
}

export interface HTTPRouteMatch {
  path?: HTTPPathMatch;
  headers?: HTTPHeaderMatch[];
  queryParams?: HTTPHeaderMatch[];
  method?: string;
}

export interface HTTPHeaderFilter {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}

export interface HTTPPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

export interface HTTPRouteFilter {
  type: string;
  requestHeaderModifier?: HTTPHeaderFilter;
  responseHeaderModifier?: HTTPHeaderFilter;
  requestRedirect?: {
    scheme?: string;
    hostname?: string;
    path?: HTTPPathModifier;
    port?: number;
    statusCode?: number;
  };
  urlRewrite?: { hostname?: string; path?: HTTPPathModifier };
  requestMirror?: { backendRef: BackendRef; percent?: number; fraction?: { numerator: number; denominator?: number } };
  extensionRef?: { group: string; kind: string; name: string };
  cors?: Record<string, unknown>;
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
  timeouts?: { request?: string; backendRequest?: string };
  retry?: { codes?: number[]; attempts?: number; backoff?: string };
  sessionPersistence?: Record<string, unknown>;
}

export interface RouteStatus {
  parents?: { parentRef: ParentReference; controllerName: string; conditions?: Condition[] }[];
}

export type HTTPRoute = KubeObject<{ parentRefs?: ParentReference[]; hostnames?: string[]; rules?: HTTPRouteRule[] }, RouteStatus>;

export interface GRPCMethodMatch {
  type?: 'Exact' | 'RegularExpression';
  service?: string;
  method?: string;
}

export interface GRPCRouteRule {
  name?: string;
  matches?: { method?: GRPCMethodMatch; headers?: HTTPHeaderMatch[] }[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
}

export type GRPCRoute = KubeObject<{ parentRefs?: ParentReference[]; hostnames?: string[]; rules?: GRPCRouteRule[] }, RouteStatus>;
export type TCPRoute = KubeObject<{ parentRefs?: ParentReference[]; rules?: { name?: string; backendRefs?: BackendRef[] }[] }, RouteStatus>;
export type TLSRoute = KubeObject<
  { parentRefs?: ParentReference[]; hostnames?: string[]; rules?: { name?: string; backendRefs?: BackendRef[] }[] },
  RouteStatus
>;
export type ReferenceGrant = KubeObject<{
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}>;

// ---------------------------------------------------------------- security.istio.io

export interface PolicyTargetReference {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface AuthzSource {
  principals?: string[];
  notPrincipals?: string[];
  requestPrincipals?: string[];
  notRequestPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  ipBlocks?: string[];
  notIpBlocks?: string[];
  remoteIpBlocks?: string[];
  notRemoteIpBlocks?: string[];
  serviceAccounts?: string[];
  notServiceAccounts?: string[];
  /** Enforced by waypoints; ztunnel's conversion silently drops them (reference/authz.md §4.4). */
  trustDomains?: string[];
  notTrustDomains?: string[];
}

export interface AuthzOperation {
  hosts?: string[];
  notHosts?: string[];
  ports?: string[];
  notPorts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
}

export interface AuthzCondition {
  key: string;
  values?: string[];
  notValues?: string[];
}

export interface AuthzRule {
  from?: { source?: AuthzSource }[];
  to?: { operation?: AuthzOperation }[];
  when?: AuthzCondition[];
}

export type AuthorizationAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

export interface AuthorizationPolicySpec {
  selector?: { matchLabels?: Labels };
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  action?: AuthorizationAction;
  provider?: { name: string };
  rules?: AuthzRule[];
}

export type AuthorizationPolicy = KubeObject<AuthorizationPolicySpec, { conditions?: Condition[]; validationMessages?: unknown[] }>;

export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export type PeerAuthentication = KubeObject<{
  selector?: { matchLabels?: Labels };
  mtls?: { mode?: MtlsMode };
  portLevelMtls?: Record<string, { mode?: MtlsMode }>;
}>;

export interface JWTRule {
  /** Optional in Istio when jwksUri is set. */
  issuer?: string;
  audiences?: string[];
  jwksUri?: string;
  jwks?: string;
  fromHeaders?: { name: string; prefix?: string }[];
  fromParams?: string[];
  fromCookies?: string[];
  outputPayloadToHeader?: string;
  forwardOriginalToken?: boolean;
  outputClaimToHeaders?: { header: string; claim: string }[];
  timeout?: string;
  spaceDelimitedClaims?: string[];
}

export type RequestAuthentication = KubeObject<{
  selector?: { matchLabels?: Labels };
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  jwtRules?: JWTRule[];
}>;

// ---------------------------------------------------------------- networking.istio.io

export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface VSMatch {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  port?: number;
  sourceLabels?: Labels;
  sourceNamespace?: string;
  gateways?: string[];
  ignoreUriCase?: boolean;
}

export interface VSDestination {
  host: string;
  subset?: string;
  port?: { number: number };
}

export interface VSHeaders {
  request?: { set?: Labels; add?: Labels; remove?: string[] };
  response?: { set?: Labels; add?: Labels; remove?: string[] };
}

export interface VSPercent {
  value?: number;
}

export interface VSHTTPRoute {
  name?: string;
  match?: VSMatch[];
  route?: { destination: VSDestination; weight?: number; headers?: VSHeaders }[];
  redirect?: { uri?: string; authority?: string; port?: number; scheme?: string; redirectCode?: number; derivePort?: 'FROM_REQUEST_PORT' | 'FROM_PROTOCOL_DEFAULT' };
  directResponse?: { status: number; body?: { string?: string } };
  rewrite?: { uri?: string; authority?: string; uriRegexRewrite?: { match: string; rewrite: string } };
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string; retryRemoteLocalities?: boolean };
  fault?: {
    delay?: { fixedDelay?: string; percentage?: VSPercent; percent?: number };
    abort?: { httpStatus?: number; grpcStatus?: string; percentage?: VSPercent };
  };
  mirror?: VSDestination;
  mirrorPercentage?: VSPercent;
  mirrors?: { destination: VSDestination; percentage?: VSPercent }[];
  headers?: VSHeaders;
  corsPolicy?: Record<string, unknown>;
}

export interface VSTCPRoute {
  match?: { port?: number; destinationSubnets?: string[]; sourceLabels?: Labels }[];
  route?: { destination: VSDestination; weight?: number }[];
}

export type VirtualService = KubeObject<{
  hosts?: string[];
  gateways?: string[];
  http?: VSHTTPRoute[];
  tcp?: VSTCPRoute[];
  tls?: unknown[];
  exportTo?: string[];
}>;

export interface LoadBalancerSettings {
  simple?: 'UNSPECIFIED' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST';
  consistentHash?: {
    httpHeaderName?: string;
    httpCookie?: { name: string; path?: string; ttl?: string };
    useSourceIp?: boolean;
    httpQueryParameterName?: string;
    ringHash?: { minimumRingSize?: number };
    maglev?: { tableSize?: number };
  };
  localityLbSetting?: LocalityLbSetting;
}

export interface LocalityLbSetting {
  enabled?: boolean;
  distribute?: { from?: string; to?: Record<string, number> }[];
  failover?: { from?: string; to?: string }[];
  failoverPriority?: string[];
}

export interface TrafficPolicy {
  loadBalancer?: LoadBalancerSettings;
  connectionPool?: {
    tcp?: { maxConnections?: number; connectTimeout?: string };
    http?: {
      http1MaxPendingRequests?: number;
      http2MaxRequests?: number;
      maxRequestsPerConnection?: number;
      maxRetries?: number;
      idleTimeout?: string;
    };
  };
  outlierDetection?: {
    consecutive5xxErrors?: number;
    consecutiveGatewayErrors?: number;
    interval?: string;
    baseEjectionTime?: string;
    maxEjectionPercent?: number;
    minHealthPercent?: number;
  };
  tls?: { mode?: string };
  portLevelSettings?: (Omit<TrafficPolicy, 'portLevelSettings'> & { port?: { number: number } })[];
}

export type DestinationRule = KubeObject<{
  host: string;
  subsets?: { name: string; labels?: Labels; trafficPolicy?: TrafficPolicy }[];
  trafficPolicy?: TrafficPolicy;
  exportTo?: string[];
  workloadSelector?: { matchLabels?: Labels };
}>;

export interface ServiceEntryPort {
  number: number;
  protocol?: string;
  name: string;
  targetPort?: number;
}

export interface WorkloadEntrySpec {
  address?: string;
  ports?: Record<string, number>;
  labels?: Labels;
  network?: string;
  locality?: string;
  weight?: number;
  serviceAccount?: string;
}

export type ServiceEntry = KubeObject<
  {
    hosts: string[];
    addresses?: string[];
    ports?: ServiceEntryPort[];
    location?: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
    resolution?: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS';
    endpoints?: WorkloadEntrySpec[];
    workloadSelector?: { labels?: Labels };
    exportTo?: string[];
  },
  { conditions?: Condition[]; addresses?: { value: string; host?: string }[] }
>;

export type WorkloadEntry = KubeObject<WorkloadEntrySpec, { conditions?: Condition[] }>;
export type Telemetry = KubeObject<Record<string, unknown>>;
