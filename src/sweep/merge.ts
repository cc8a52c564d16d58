// Merges the replications of each parameter combination, step by step: totals, pooled latency
// percentiles (the merged LatencyStats of every seed), and means with 95% intervals across seeds.
import { LatencyStats } from '../../sim';
import type { StepType } from '../result/types';
import { meanCI, type MeanCI } from './confidence';
import type { Replication, RunLatency, StepStats } from './replicate';
import type { Combination } from './spec';

export interface SweepStep {
  name: string;
  type: StepType;
  runs: number;
  passed: number;
  /** A `run:` step no replication executed (--no-exec). */
  skipped?: boolean;
  /** The seeds whose run of the step failed, and why the first of them did. */
  failedSeeds?: number[];
  firstFailure?: { seed: number; message: string };
  /** Request steps, and run steps whose scripts sent requests. */
  requests?: number;
  statuses?: Record<string, number>;
  outcomes?: Record<string, number>;
  /** Per status: the fraction of a run's requests that got it, across runs. */
  statusFractions?: Record<string, MeanCI>;
  /** Per-run percentiles and means, across runs. */
  latencyMs?: { p50: MeanCI; p90: MeanCI; p99: MeanCI; mean: MeanCI };
  /** Percentiles of every request of every run together. */
  pooledLatencyMs?: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export interface SweepCombination {
  label: string[];
  set: Record<string, unknown>;
  runs: number;
  passed: number;
  steps: SweepStep[];
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

function add(into: Record<string, number>, from: Record<string, number> | undefined): void {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
}

function sorted(m: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k]!;
  return out;
}

/** `runs[i]` is the step as seed `seeds[i]` played it. */
function mergeStep(runs: readonly StepStats[], seeds: readonly number[]): SweepStep {
  const first = runs[0]!;
  const step: SweepStep = { name: first.name, type: first.type, runs: runs.length, passed: runs.filter((r) => r.passed).length };
  if (runs.every((r) => r.skipped)) step.skipped = true;
  const failed = runs.flatMap((r, i) => (r.passed ? [] : [i]));
  if (failed.length) {
    step.failedSeeds = failed.map((i) => seeds[i]!);
    const i = failed[0]!;
    step.firstFailure = { seed: seeds[i]!, message: runs[i]!.failure ?? 'a sub-step failed' };
  }
  if (first.type !== 'request' && runs.every((r) => r.count === undefined)) return step;
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const perRun: RunLatency[] = [];
  let requests = 0;
  for (const r of runs) {
    requests += r.count ?? 0;
    add(statuses, r.statuses);
    add(outcomes, r.outcomes);
    if (r.latency) perRun.push(r.latency);
  }
  const pooled = LatencyStats.pool(perRun);
  const statusFractions: Record<string, MeanCI> = {};
  for (const status of Object.keys(statuses).sort()) {
    statusFractions[status] = meanCI(runs.map((r) => (r.count ? (r.statuses?.[status] ?? 0) / r.count : 0)));
  }
  const withSamples = perRun.filter((l) => l.count > 0);
  const across = (f: (l: RunLatency) => number): MeanCI => meanCI(withSamples.map(f));
  Object.assign(step, {
    requests,
    statuses: sorted(statuses),
    outcomes: sorted(outcomes),
    statusFractions,
    latencyMs: { p50: across((l) => l.p50), p90: across((l) => l.p90), p99: across((l) => l.p99), mean: across((l) => l.mean) },
    pooledLatencyMs: pooled.count
      ? { p50: r3(pooled.percentile(50)), p90: r3(pooled.percentile(90)), p99: r3(pooled.percentile(99)), max: r3(pooled.max), mean: r3(pooled.mean) }
      : { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
  });
  return step;
}

/**
 * One entry per combination, in combination order; within it, replications are merged in seed
 * order whatever order they finished in, so the result does not depend on the worker count.
 */
export function mergeReplications(combos: readonly Combination[], seeds: readonly number[], reps: readonly Replication[]): SweepCombination[] {
  const seedOrder = new Map(seeds.map((s, i) => [s, i]));
  return combos.map((c) => {
    const mine = reps.filter((r) => r.combination === c.index).sort((a, b) => seedOrder.get(a.seed)! - seedOrder.get(b.seed)!);
    const set: Record<string, unknown> = {};
    c.label.forEach((l, i) => (set[l.slice(0, l.indexOf('='))] = c.assignments[i]!.value));
    const stepCount = mine[0]?.steps.length ?? 0;
    const steps: SweepStep[] = [];
    for (let k = 0; k < stepCount; k++) {
      const played = mine.filter((r) => r.steps[k] !== undefined);
      steps.push(mergeStep(played.map((r) => r.steps[k]!), played.map((r) => r.seed)));
    }
    return { label: c.label, set, runs: mine.length, passed: mine.filter((r) => r.passed).length, steps };
  });
}
