// One replication of a sweep: a scenario combination run with one seed, reduced to what merges
// across seeds (counts, statuses, outcomes, the latency distribution of every request step).
import type { LatencyRun } from '../../sim';
import type { StepResult, StepType } from '../result/types';
import { runScenario } from '../run/runner';
import { latencyStatsOf } from '../run/summary';
import type { Scenario } from '../scenario';

export interface StepStats {
  /** Steps inside `parallel` are named `group/step`. */
  name: string;
  type: StepType;
  passed: boolean;
  /** A `run:` step the replication did not execute (--no-exec). */
  skipped?: boolean;
  /** Why the step failed, as `meshsim run` says it: its first failure. */
  failure?: string;
  /** Request steps, and run steps whose script sent requests (kubectl exec ... curl). */
  count?: number;
  statuses?: Record<string, number>;
  outcomes?: Record<string, number>;
  latency?: RunLatency;
}

/** A run's own percentiles and mean, worked out where the run was played, and what pools it with the others. */
export interface RunLatency extends LatencyRun {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

export interface Replication {
  combination: number;
  seed: number;
  passed: boolean;
  steps: StepStats[];
}

function flatten(steps: readonly StepResult[], prefix: string, exec: boolean, out: StepStats[]): void {
  for (const s of steps) {
    const name = `${prefix}${s.name}`;
    const stats: StepStats = { name, type: s.type, passed: s.passed };
    if (s.type === 'run' && !exec) stats.skipped = true;
    if (!s.passed && s.failures.length) stats.failure = s.failures[0];
    if (s.summary) {
      stats.count = s.summary.count;
      stats.statuses = s.summary.statuses;
      stats.outcomes = s.summary.outcomes;
      const latency = latencyStatsOf(s.summary);
      if (latency) stats.latency = { ...latency.asRun(), p50: latency.percentile(50), p90: latency.percentile(90), p99: latency.percentile(99), mean: latency.mean };
    }
    out.push(stats);
    if (s.steps) flatten(s.steps, `${name}/`, exec, out);
  }
}

/**
 * Runs the scenario with `seed`, its `run:` steps' scripts too unless `exec` is false, as
 * `meshsim run` does. No request is kept in full: only summaries and verdicts merge, and they
 * count every request.
 */
export async function replicate(scenario: Scenario, combination: number, seed: number, exec = true): Promise<Replication> {
  const result = await runScenario(scenario, { seed, noExec: !exec, records: 0 });
  const steps: StepStats[] = [];
  flatten(result.steps, '', exec, steps);
  return { combination, seed, passed: result.passed, steps };
}
