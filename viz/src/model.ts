// What the page reads: the RunResult of CONTRACT §3, plus the optional sections the page uses
// when a runner provides them (a topology from the mesh view, whole-run latency bins and a
// timeline). Everything optional is derived from the kept requests when absent.
import type { HopKind, RequestSummary, RunResult, StepResult, Topology } from '../../src/result/types';

export type { Enrollment, PodRole, Topology, TopologyCluster, TopologyNode, TopologyPod, WaypointBinding } from '../../src/result/types';

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
