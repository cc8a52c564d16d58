// The RunResult format of CONTRACT §3: what `meshsim run -o json` prints and viz/ reads.
// Every layer that produces a part of a result (decisions, hops, summaries) uses these types.

export const RESULT_API_VERSION = 'meshsim.dev/v1alpha1';

/** `external`: a server outside the cluster that a ServiceEntry names (the last hop, like a pod). */
export type HopKind = 'pod' | 'ztunnel' | 'waypoint' | 'sidecar' | 'ingress-gateway' | 'eastwest-gateway' | 'egress-gateway' | 'external';

export type DecisionKind =
  | 'waypoint-binding'
  | 'route'
  | 'authz'
  | 'authn'
  | 'peer-authn'
  | 'load-balance'
  | 'fault'
  | 'retry'
  | 'timeout';

export type Outcome = 'response' | 'reset' | 'timeout' | 'refused' | 'dns-error';

/** One decision taken at one proxy: which rule decided and what identity it saw. */
export interface Decision {
  /** The proxy that decided, e.g. `ztunnel-c1-node-b` or `waypoint accounts/waypoint`. */
  at: string;
  kind: DecisionKind;
  /** e.g. ALLOW / DENY / AUDIT for authz, the chosen backend for load-balance, the status for fault. */
  result: string;
  /** `namespace/name` of the deciding object, or null when no object decided (a default). */
  policy?: string | null;
  /** Index of the rule inside the deciding object (or the rule's name for routes with named rules). */
  rule?: number | string | null;
  reason?: string;
  sourceIdentity?: string | null;
  /** Free-form detail for explain output (matched values, chosen endpoint, ...). */
  detail?: Record<string, unknown>;
}

export interface Hop {
  kind: HopKind;
  name: string;
  namespace?: string;
  pod?: string;
  node?: string;
  cluster?: string;
  protocol?: 'HBONE' | 'TCP' | 'HTTP' | 'double-HBONE';
  /** Simulated time (ms since the request started) at which the request reached this hop. */
  atMs?: number;
}

export interface Endpoint {
  cluster: string;
  namespace: string;
  pod: string;
  node: string;
  /** The pod's top-level owner (Deployment, StatefulSet...), or the pod name for bare pods. */
  workload?: string;
}

export interface RequestRecord {
  id: number;
  startMs: number;
  latencyMs: number;
  from: Endpoint & { identity: string | null; ip?: string };
  to: { host: string; port: number; service?: string };
  method: string;
  path: string;
  outcome: Outcome;
  status?: number;
  body?: string;
  backend?: Endpoint;
  hops: Hop[];
  decisions: Decision[];
  /** Headers as received by the destination app (after route filters). */
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
  /** Short human reason for failures, e.g. `UnknownWaypoint`, `RBAC: access denied`. */
  error?: string;
  /** Requests the answering app made while handling this one (productpage → reviews). */
  calls?: CallRecord[];
  /** Pods that received a mirrored copy of this request (RequestMirror); their answers were dropped. */
  mirroredTo?: Endpoint[];
}

/** A request made by an app while it handled another; `startMs` is relative to the parent request. */
export type CallRecord = Omit<RequestRecord, 'id' | 'from'>;

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean?: number;
}

export interface RequestSummary {
  count: number;
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
  latencyMs: LatencySummary;
  paths: { via: HopKind[]; count: number }[];
  backends: Record<string, number>;
  /** Requests by answering workload (`ns/workload`) and by answering cluster. */
  workloads?: Record<string, number>;
  clusters?: Record<string, number>;
  /** Mirrored copies received, by pod (`ns/pod`). */
  mirrored?: Record<string, number>;
  denies?: { at: string; policy: string | null; reason: string; count: number }[];
  /** Requests a proxy's connection pool (DestinationRule connectionPool) queued or turned away, by proxy and DestinationRule. */
  connectionPool?: { at: string; policy: string | null; result: 'queued' | 'overflow'; count: number }[];
  throughputRps?: number;
}

export type StepType = 'apply' | 'delete' | 'label' | 'request' | 'run' | 'wait' | 'parallel';

export interface StepResult {
  name: string;
  type: StepType;
  passed: boolean;
  failures: string[];
  startMs?: number;
  endMs?: number;
  summary?: RequestSummary;
  requests?: RequestRecord[];
  sampled?: boolean;
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** With `explain: true`: the per-hop walkthrough of the first failing request (else the first), as `meshsim request --explain -o json` prints it. */
  explain?: { request: RequestRecord; explain: unknown[] };
  /** What an apply/delete/label step changed, in kubectl's words (`deployment.apps/x created`). */
  changes?: string[];
  steps?: StepResult[];
}

// ---------------------------------------------------------------- topology (for the visual report)

export type Enrollment = 'ambient' | 'sidecar' | 'none';
export type PodRole = 'app' | 'waypoint' | 'ztunnel' | 'ingress-gateway' | 'eastwest-gateway' | 'egress-gateway';

export interface TopologyPod {
  name: string;
  namespace: string;
  /** The pod's top-level owner (Deployment, StatefulSet, Gateway...), or the pod name. */
  workload?: string;
  enrollment: Enrollment;
  role: PodRole;
  ip?: string;
  serviceAccount?: string;
}

export interface TopologyNode {
  name: string;
  region?: string;
  zone?: string;
  pods: TopologyPod[];
}

export interface TopologyCluster {
  name: string;
  network?: string;
  nodes: TopologyNode[];
}

/** A service whose traffic goes through a waypoint. */
export interface WaypointBinding {
  cluster: string;
  /** `namespace/name` of the Service. */
  service: string;
  /** `namespace/name` of the waypoint Gateway. */
  waypoint: string;
}

export interface Topology {
  clusters: TopologyCluster[];
  waypointBindings: WaypointBinding[];
}

export interface RunResult {
  apiVersion: typeof RESULT_API_VERSION;
  kind: 'RunResult';
  scenario: string;
  seed: number;
  passed: boolean;
  steps: StepResult[];
  /** Clusters, nodes and pods at the end of the run, with waypoint bindings. */
  topology?: Topology;
}
