/**
 * What two threads give a sweep's own work on this machine at the time, measured in a process of
 * its own (run by scale.bench.ts). Two worker threads each load the sweep's bundle, as
 * scale-sweep.ts does, and play replications of the scenario until V8 has compiled their code; then
 * each round times `replications` on one thread alone and the same on both threads at once. Nothing
 * a sweep pays once per thread (start-up, compiling) is timed, so a round's speed-up,
 * 2 × alone / together, is what the two cores give these replications themselves: what a sweep of
 * them would get without those costs. A busy-loop check (two-cores.ts) can show 2× while
 * replications, which also share caches and memory, get less; a host whose neighbours slow one
 * core shows here.
 * Prints one JSON line: the rounds' speed-ups, ascending.
 *
 * Usage: node --import tsx test/bench/workload-ceiling.ts SCENARIO_FILE [REPLICATIONS [ROUNDS]]
 */
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type * as Sweep from '../../src/sweep';
import { bundledModule } from './bundled';

export interface WorkloadCeiling {
  /** Each round's 2 × alone / together, ascending. */
  speedUps: number[];
}

/** Replications each thread plays before any round: enough for V8 to optimize the replication's code. */
const WARM_UP_SEEDS = [1001, 1002, 1003, 1004, 1005, 1006];

interface ThreadData {
  file: string;
}

/** A thread's side: plays the seeds it is sent and answers when done. */
async function serve({ file }: ThreadData): Promise<void> {
  const { module: sweep } = await bundledModule<typeof Sweep>(new URL('../../src/sweep/index.ts', import.meta.url), 'sweep-cjs', () => import('../../src/sweep'));
  const text = readFileSync(file, 'utf8');
  const play = async (seeds: number[]): Promise<void> => {
    const r = await sweep.runSweep({ file, text, seeds, params: [], workers: 1 });
    if (!r.ok) throw new Error(r.errors.join('\n'));
  };
  await play(WARM_UP_SEEDS);
  parentPort!.postMessage('ready');
  parentPort!.on('message', (seeds: number[]) => void play(seeds).then(() => parentPort!.postMessage('done')));
}

function startThread(file: string): Promise<Worker> {
  // This module again, imported once the thread has registered the TypeScript loader.
  const w = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`, { eval: true, execArgv: [], workerData: { file } satisfies ThreadData });
  return new Promise((resolve, reject) => {
    w.once('message', () => resolve(w));
    w.once('error', reject);
  });
}

function play(w: Worker, seeds: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
    w.postMessage(seeds);
  });
}

export async function measure(file: string, replications: number, rounds: number): Promise<WorkloadCeiling> {
  const threads = await Promise.all([startThread(file), startThread(file)]);
  const seeds = Array.from({ length: replications }, (_, i) => i + 1);
  const speedUps: number[] = [];
  try {
    for (let k = 0; k < rounds; k++) {
      // Each thread plays alone in turn: a core slowed by the host shows in either side.
      const t0 = performance.now();
      await play(threads[k % 2]!, seeds);
      const t1 = performance.now();
      await Promise.all(threads.map((w) => play(w, seeds)));
      speedUps.push((2 * (t1 - t0)) / (performance.now() - t1));
    }
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  return { speedUps: speedUps.sort((a, b) => a - b) };
}

if (!isMainThread) await serve(workerData as ThreadData);
else if (process.argv[1]?.endsWith('workload-ceiling.ts')) {
  const [file, replications = '6', rounds = '5'] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await measure(file!, Number(replications), Number(rounds)))}\n`);
}
