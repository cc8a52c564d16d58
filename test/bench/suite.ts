/**
 * The benchmark contract: every `test/bench/*.bench.ts` default-exports a BenchSuite; `run.ts`
 * runs them and prints one table. Figures are throughputs or latencies measured on this machine,
 * reported beside a baseline measured in the same run so ratios stay comparable across machines.
 */
import { Bench } from 'tinybench';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** A reference implementation measured in the same run, same workload, same unit. */
  baseline?: { name: string; value: number };
  /** The budget in words, e.g. "≥ 5 M/s and ≥ 0.6× baseline". */
  target?: string;
  /** Whether the target was met, when the suite can tell. */
  met?: boolean;
  note?: string;
}

export interface BenchSuite {
  name: string;
  run(): Promise<BenchRow[]>;
}

export interface ThroughputTask {
  name: string;
  /** One iteration; returns how many operations it performed (events, requests, ...). */
  fn: () => number;
}

export interface ThroughputOptions {
  /** Rounds; each runs every task once, in order, so tasks share the machine's ups and downs (default 3). */
  rounds?: number;
  /** Time budget per task and round in ms (default 500). */
  timeMs?: number;
  /** Warm-up budget per task and round in ms (default 150). */
  warmupMs?: number;
}

/**
 * Measures operations per second of each task with tinybench. On a shared machine other work
 * only ever slows an iteration down, so the estimate is the best (lowest) median iteration time
 * over the rounds; tasks never run concurrently.
 */
export async function throughput(tasks: readonly ThroughputTask[], options: ThroughputOptions = {}): Promise<Map<string, number>> {
  const ops = new Map<string, number>();
  const best = new Map<string, number>();
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    const bench = new Bench({ time: options.timeMs ?? 500, warmupTime: options.warmupMs ?? 150, iterations: 8 });
    for (const t of tasks) {
      bench.add(t.name, () => {
        ops.set(t.name, t.fn());
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state === 'errored') throw r.error;
      if (r.state !== 'completed') throw new Error(`benchmark task ${task.name} ended ${r.state}`);
      best.set(task.name, Math.min(best.get(task.name) ?? Infinity, r.latency.p50));
    }
  }
  const out = new Map<string, number>();
  for (const [name, ms] of best) out.set(name, (ops.get(name) ?? 0) / (ms / 1000));
  return out;
}
