// What the page reads: the RunResult of CONTRACT §3, plus the optional sections the page uses
// when a runner provides them (a topology from the mesh view, whole-run latency bins and a
// timeline). Everything optional is derived from the kept requests when absent.
import type { HopKind, RequestSummary, RunResult, StepResult } from '../../src/result/types';

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

/** A service (or a whole namespace) whose traffic goes through a waypoint. */
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

/** Latency counts in fixed bins over the whole step (all requests, not only the kept ones). */
export interface LatencyBins {
  /** Bin edges in ms, length = counts.length + 1. */
  edgesMs: number[];
  counts: number[];
}

/** One slice of simulated time in a long step. */
export interface TimelineBucket {
  startMs: number;
  count: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface ViewSummary extends RequestSummary {
  latencyBins?: LatencyBins;
  timeline?: TimelineBucket[];
}

export interface ViewStep extends Omit<StepResult, 'summary' | 'steps'> {
  summary?: ViewSummary;
  steps?: ViewStep[];
}

export interface ViewResult extends Omit<RunResult, 'topology' | 'steps'> {
  steps: ViewStep[];
  topology?: Topology;
}

export type { HopKind };
