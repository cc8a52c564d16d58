// The loaded scenario: every default filled in, every duration in milliseconds, every expression
// parsed, and every part able to say where in the user's file it came from.
import type { Cidr } from '../cluster/ip';
import type { DecisionKind, HopKind, Outcome } from '../result/types';
import type { SourcePos } from './diagnostics';
import type { Comparator } from './expressions';
import type { LoadedResource, RejectedObject } from './manifests';
import type { Path } from './yaml-source';

export const SCENARIO_API_VERSION = 'meshsim.dev/v1alpha1';

/** Something read from a file: `pos` is where it starts, `at(path)` where a path inside it is. */
export interface Located {
  pos: SourcePos;
  at(path: Path): SourcePos;
}

export interface Scenario extends Located {
  /** The scenario file as the user named it. `at` paths start at the document root (`['spec','seed']`). */
  file: string;
  name: string;
  description?: string;
  labels: Record<string, string>;
  seed: number;
  /** Wall-clock time at simulated time 0, epoch milliseconds. */
  startTime: number;
  clusters: ClusterSpec[];
  istio: IstioSpec;
  env: Record<string, string>;
  /** `spec.resources`, loaded and flattened in order; each has `clusters` set. */
  resources: LoadedResource[];
  apps: AppSpec[];
  /** `spec.latency` as written; interpreted by the latency model. */
  latency: RawSection;
  steps: Step[];
}

export interface ClusterSpec {
  name: string;
  network: string;
  nodes: NodeSpec[];
  /** Where node pod /24s come from; absent: 10.(244+index).0.0/16. */
  podSubnet?: Cidr;
}

export interface NodeSpec {
  name: string;
  region: string;
  zone: string;
  labels: Record<string, string>;
}

export interface IstioSpec {
  rootNamespace: string;
  trustDomain: string;
  revision?: string;
  meshConfig: Record<string, unknown>;
  features: Record<string, boolean | string | number>;
}

/** A section kept as written, with positions for the layer that interprets it. */
export interface RawSection extends Located {
  value: Record<string, unknown>;
}

export interface WorkloadRef {
  namespace: string;
  name: string;
}

export type ServiceTime =
  | { distribution: 'constant'; valueMs: number }
  | { distribution: 'exponential'; meanMs: number }
  | { distribution: 'uniform'; minMs: number; maxMs: number }
  | { distribution: 'normal'; meanMs: number; stddevMs: number }
  | { distribution: 'lognormal'; meanMs: number; stddevMs: number };

export interface AppCall {
  url: string;
  method: string;
  headers: Record<string, string>;
}

/** `spec.apps[]`: overrides of what a workload answers. */
export interface AppSpec extends Located {
  workload: WorkloadRef;
  status?: number;
  body?: string;
  serviceTime?: ServiceTime;
  headers?: Record<string, string>;
  calls: AppCall[];
  ports?: number[];
}

// ---------------------------------------------------------------- steps

export type StepKind = 'apply' | 'delete' | 'label' | 'annotate' | 'request' | 'run' | 'wait' | 'parallel';

/** `at` paths of a step start at the step itself: `step.at(['request','from'])`, `step.at(['expect','status'])`. */
export interface StepBase extends Located {
  name: string;
  description?: string;
}

export interface ErrorExpect {
  /** The step is expected to fail with an error containing this text. */
  error?: string;
}

export interface ApplyStep extends StepBase {
  type: 'apply';
  source: { file: string } | { inline: string };
  clusters: string[];
  /** The objects to apply; each has `clusters` set. */
  resources: LoadedResource[];
  /** Objects that failed validation; only non-empty when `expect.error` is set (otherwise they are load errors). */
  rejected: RejectedObject[];
  expect: ErrorExpect;
}

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface DeleteStep extends StepBase {
  type: 'delete';
  target: ObjectRef;
  clusters: string[];
  expect: ErrorExpect;
}

/** `label:` and `annotate:` steps; `null` values remove the key. */
export interface LabelStep extends StepBase {
  type: 'label';
  target: ObjectRef;
  field: 'labels' | 'annotations';
  clusters: string[];
  changes: Record<string, string | null>;
  expect: ErrorExpect;
}

export type RequestSource = { kind: 'workload'; namespace: string; name: string } | { kind: 'external' };

export type RequestTarget =
  | { kind: 'url'; url: string }
  /** The pod IP of the workload's first pod. */
  | { kind: 'pod'; namespace: string; name: string; port?: number; path: string };

export interface Rate {
  perSecond: number;
  arrival: 'poisson' | 'constant';
}

export type LatencyStat = 'p50' | 'p90' | 'p99' | 'max' | 'mean';

export interface DecisionExpect {
  kind: DecisionKind;
  result?: string;
  policy?: string | null;
  at?: string;
  rule?: number | string;
  reason?: string;
}

export interface RequestExpect {
  status?: number;
  /** Status code → fraction of requests. */
  statuses?: Record<string, Comparator>;
  body?: string;
  bodyContains?: string[];
  via?: HopKind[];
  outcome?: Outcome;
  latency?: Partial<Record<LatencyStat, Comparator>>;
  decision?: DecisionExpect[];
  throughput?: Comparator;
  /** Backend (as the summary names it) → fraction of requests. */
  backends?: Record<string, Comparator>;
}

export interface RequestStep extends StepBase {
  type: 'request';
  cluster: string;
  from: RequestSource;
  target: RequestTarget;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Number of requests; 1 unless `duration` is given without a count. */
  count?: number;
  rate?: Rate;
  concurrency?: number;
  durationMs?: number;
  timeoutMs?: number;
  explain: boolean;
  expect: RequestExpect;
}

export interface RunExpect {
  exitCode?: number;
  stdout?: string;
  stdoutContains?: string[];
  stderr?: string;
  stderrContains?: string[];
}

export interface RunStep extends StepBase {
  type: 'run';
  script: string;
  /** The default kubectl context. */
  cluster: string;
  expect: RunExpect;
}

export interface WaitStep extends StepBase {
  type: 'wait';
  durationMs: number;
}

export interface ParallelStep extends StepBase {
  type: 'parallel';
  steps: Step[];
}

export type Step = ApplyStep | DeleteStep | LabelStep | RequestStep | RunStep | WaitStep | ParallelStep;
