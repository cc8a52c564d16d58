// `meshsim sweep`: replications of one scenario over seeds and --set combinations, played on
// worker threads (tinypool) and merged per combination and step. Each replication plays every step
// as `meshsim run` does, `run:` scripts included (they change the mesh the later steps see).
import { Tinypool } from 'tinypool';
import { RESULT_API_VERSION } from '../result/types';
import { mergeReplications, type SweepCombination } from './merge';
import type { Replication } from './replicate';
import { prepare } from './scenario-text';
import { combinations, type SetParam } from './spec';
import type { ReplicationTask, TaskResult } from './worker';
import { workerFile } from './worker-file';

export interface SweepOptions {
  file: string;
  text: string;
  seeds: number[];
  params: SetParam[];
  /** Worker threads (≥ 1). */
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

export type SweepOutcome = { ok: true; result: SweepResult } | { ok: false; errors: string[] };

export async function runSweep(opts: SweepOptions): Promise<SweepOutcome> {
  const combos = combinations(opts.params);
  const worker = await workerFile();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // The threads boot (module load, ~0.2 s of CPU each) while this thread checks the scenario; no
  // more of them than there are replications, as each extra one only costs its start-up.
  const threads = Math.max(1, Math.min(opts.workers, combos.length * opts.seeds.length));
  const pool = new Tinypool({ filename: worker.filename, execArgv: worker.execArgv, env: { ...env, ...worker.env }, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  let reps: Replication[];
  let name = '';
  try {
    // Every combination is checked before any replication starts, every problem reported at once.
    const errors: string[] = [];
    for (const c of combos) {
      const p = prepare(opts.text, opts.file, c);
      if (!p.ok) errors.push(...p.errors);
      else name = p.scenario.name;
    }
    if (errors.length) return { ok: false, errors: [...new Set(errors)] };
    const tasks: ReplicationTask[] = [];
    for (const c of combos) for (const seed of opts.seeds) tasks.push({ file: opts.file, text: opts.text, params: opts.params, combination: c.index, seed, exec: opts.exec ?? true, warmUp: opts.warmUp ?? true });
    let done = 0;
    const results = await Promise.all(
      tasks.map(async (t) => {
        const r = (await pool.run(t)) as TaskResult;
        opts.onProgress?.(++done, tasks.length);
        return r;
      }),
    );
    // Problems a run finds with its input are the same in every replication that meets them.
    const runErrors = new Set(results.flatMap((r) => ('errors' in r ? r.errors : [])));
    if (runErrors.size) return { ok: false, errors: [...runErrors] };
    reps = results as Replication[];
  } finally {
    await pool.destroy();
  }
  const merged = mergeReplications(combos, opts.seeds, reps);
  return {
    ok: true,
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
