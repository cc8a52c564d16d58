/**
 * One sweep, timed in a process of its own (run by scale.bench.ts). `runSweep` comes from a bundle
 * run with V8's code cache, as `meshsim sweep` runs it: the thread that plays replications beside
 * the workers runs the code the CLI runs, without the type feedback of the bench's other suites.
 * Prints one JSON line: the sweep's wall seconds, the CPU seconds of the process (every thread:
 * workers, GC, compiler), and a digest of the merged result, which must not change with the
 * number of workers.
 *
 * Usage: node --import tsx test/bench/scale-sweep.ts SCENARIO_FILE WORKERS SEEDS
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type * as Sweep from '../../src/sweep';
import { bundledModule } from './bundled';

export interface ScaleSweep {
  wall: number;
  cpu: number;
  /** sha256 of the merged result's JSON. */
  digest: string;
}

/**
 * One thread's wall time over two threads' for each pair of sweeps run back to back (1 thread,
 * then 2), ascending.
 */
export function pairRatios(times: readonly { workers: number; wall: number }[]): number[] {
  const ratios: number[] = [];
  for (let i = 0; i + 1 < times.length; i += 2) {
    const [a, b] = [times[i]!, times[i + 1]!];
    if (a.workers === 1 && b.workers === 2) ratios.push(a.wall / b.wall);
  }
  return ratios.sort((x, y) => x - y);
}

async function measure(file: string, workers: number, seedList: string): Promise<ScaleSweep> {
  const { module: sweep, saveCache } = await bundledModule<typeof Sweep>(new URL('../../src/sweep/index.ts', import.meta.url), 'sweep-cjs', () => import('../../src/sweep'));
  const seeds = sweep.parseSeeds(seedList);
  if (!seeds.ok) throw new Error(seeds.message);
  const text = readFileSync(file, 'utf8');
  const cpu = process.cpuUsage();
  const t = performance.now();
  const r = await sweep.runSweep({ file, text, seeds: seeds.value, params: [], workers });
  const wall = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  saveCache();
  return { wall, cpu: (used.user + used.system) / 1e6, digest: createHash('sha256').update(JSON.stringify(r.result)).digest('hex') };
}

if (process.argv[1]?.endsWith('scale-sweep.ts')) {
  const [file, workers, seeds] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await measure(file!, Number(workers), seeds!))}\n`);
}
