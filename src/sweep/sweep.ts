// `meshsim sweep`: replications of one scenario over seeds and --set combinations, played on this
// thread and worker threads (tinypool) and merged per combination and step. Each replication plays
// every step as `meshsim run` does, `run:` scripts included (they change the mesh the later steps see).
import type { Tinypool } from 'tinypool';
import { RESULT_API_VERSION } from '../result/types';
import { mergeReplications, type SweepCombination } from './merge';
import type { Replication } from './replicate';
import { prepare } from './scenario-text';
import { combinations, type SetParam } from './spec';
import type { Scenario } from '../scenario';
import { DONE, playClaimed, stopClaims, type Played, type ReplicationTask, type SweepJob, type TaskResult } from './worker';
import { workerFile } from './worker-file';

export interface SweepOptions {
  file: string;
  text: string;
  seeds: number[];
  params: SetParam[];
  /** Threads that play replications, this one included (≥ 1). */
  workers: number;
  /** Execute `run:` steps' scripts, as `meshsim run` does (default true). */
  exec?: boolean;
  /** Each thread plays a short warm-up run before its first replication (warm-up.ts; default true). */
  warmUp?: boolean;
  /** Called after each replication completes, with how many are done and how many there are. */
  onProgress?: (done: number, total: number) => void;
}

export interface SweepResult {
  apiVersion: string;
  kind: 'SweepResult';
  scenario: string;
  seeds: number[];
  parameters: { path: string; values: unknown[] }[];
  /** Every replication passed its expectations. */
  passed: boolean;
  combinations: SweepCombination[];
}

/**
 * `playedBy`: how many replications each thread played, this one first (not part of the result:
 * which thread claims which replication depends on timing).
 */
export type SweepOutcome = { ok: true; result: SweepResult; playedBy: number[] } | { ok: false; errors: string[] };

export async function runSweep(opts: SweepOptions): Promise<SweepOutcome> {
  const combos = combinations(opts.params);
  const tasks: ReplicationTask[] = [];
  for (const c of combos) for (const seed of opts.seeds) tasks.push({ combination: c.index, seed });
  // This thread plays replications too: the pool adds the other threads, none more than there are
  // replications, as each extra one only costs its start-up. They boot (module load, ~0.2 s of CPU
  // each) while this thread checks the scenario.
  const threads = Math.max(1, Math.min(opts.workers, tasks.length));
  const pool = threads > 1 ? await startPool(threads - 1) : undefined;
  // Not awaited: tearing the threads down (each one's heap freed, ~20 ms) need not hold up the
  // result. Begun once: as soon as they have nothing left to play, or when the sweep stops early.
  let ending: Promise<void> | undefined;
  const release = (): void => {
    ending ??= pool?.destroy().catch(() => {});
  };
  let reps: Replication[];
  let playedBy: number[];
  let name = '';
  try {
    // Every combination is checked before any replication starts, every problem reported at once.
    const errors: string[] = [];
    const scenarios = new Map<number, Scenario>();
    for (const c of combos) {
      const p = prepare(opts.text, opts.file, c);
      if (!p.ok) errors.push(...p.errors);
      else {
        name = p.scenario.name;
        scenarios.set(c.index, p.scenario);
      }
    }
    if (errors.length) return { ok: false, errors: [...new Set(errors)] };
    const job: SweepJob = { file: opts.file, text: opts.text, params: opts.params, tasks, exec: opts.exec ?? true, warmUp: opts.warmUp ?? true, counters: new SharedArrayBuffer(8) };
    const { results, counts } = await playEverywhere(job, pool, threads - 1, scenarios, release, opts.onProgress);
    playedBy = counts;
    // Problems a run finds with its input are the same in every replication that meets them.
    const runErrors = new Set(results.flatMap((r) => ('errors' in r ? r.errors : [])));
    if (runErrors.size) return { ok: false, errors: [...runErrors] };
    reps = results as Replication[];
  } finally {
    release();
  }
  const merged = mergeReplications(combos, opts.seeds, reps);
  return {
    ok: true,
    playedBy,
    result: {
      apiVersion: RESULT_API_VERSION,
      kind: 'SweepResult',
      scenario: name,
      seeds: opts.seeds,
      parameters: opts.params.map((p) => ({ path: p.path, values: p.values })),
      passed: reps.every((r) => r.passed),
      combinations: merged,
    },
  };
}

async function startPool(threads: number): Promise<Tinypool> {
  // Loaded here, not with this module: every command's start would pay for it (~10 ms).
  const { Tinypool } = await import('tinypool');
  const worker = await workerFile();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return new Tinypool({ filename: worker.filename, execArgv: worker.execArgv, env: { ...env, ...worker.env }, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
}

/** How often progress is read while this thread has nothing left to play and waits for the others. */
const PROGRESS_POLL_MS = 100;

/**
 * Plays the job on this thread and on the pool's `threads` threads, calling `release` once the
 * pool's are done (this one may still be playing); the results in task order, and how many each
 * thread played (this one first).
 */
async function playEverywhere(job: SweepJob, pool: Tinypool | undefined, threads: number, scenarios: ReadonlyMap<number, Scenario>, release: () => void, onProgress?: (done: number, total: number) => void): Promise<{ results: TaskResult[]; counts: number[] }> {
  const counters = new Int32Array(job.counters);
  let reported = 0;
  // Each replication is reported, the ones other threads finished since the last look included.
  const report = (): void => {
    const done = Atomics.load(counters, DONE);
    for (; reported < done; reported++) onProgress?.(reported + 1, job.tasks.length);
  };
  // Each pool thread runs one job until nothing is left to claim; posted before this thread starts
  // playing, as the pool's messages only leave when this thread's event loop turns.
  const others = pool ? Array.from({ length: threads }, () => pool.run(job) as Promise<Played>) : [];
  for (const p of others) p.catch(() => stopClaims(job));
  void Promise.allSettled(others).then(release);
  // Between its replications this thread reports progress and lets its event loop turn.
  const between = (): Promise<void> => {
    report();
    return new Promise((resolve) => setImmediate(resolve));
  };
  const timer = setInterval(report, PROGRESS_POLL_MS);
  try {
    // Every player is let finish (a failed one stops the others' claims) before its error is thrown.
    const settled = await Promise.allSettled([playClaimed(job, between, scenarios), ...others]);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const played = settled.map((s) => (s.status === 'fulfilled' ? s.value : []));
    report();
    const results: TaskResult[] = new Array(job.tasks.length);
    for (const [i, r] of played.flat()) results[i] = r;
    return { results, counts: played.map((p) => p.length) };
  } finally {
    clearInterval(timer);
  }
}
