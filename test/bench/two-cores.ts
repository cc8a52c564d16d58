/**
 * What 2 cores give pure arithmetic on this machine at the time, measured in a process of its own
 * (run by scale.bench.ts) so nothing else the bench process does is timed with it: two threads of
 * a busy loop at once against one, as a speed-up (2 × one / two). Virtual cores that share a
 * physical one, or a host short of CPU, give well under 2×. A sweep, which also shares caches and
 * memory between its threads, stays below it. Prints one JSON line: `{ one, two, speedUp }`.
 *
 * Usage: node --import tsx test/bench/two-cores.ts
 */
import { Worker } from 'node:worker_threads';

/** Fixed arithmetic work for one thread (~0.4 s): no allocation, no memory traffic. */
const BUSY_LOOP = `
  let x = 88172645, s = 0;
  for (let i = 0; i < 150_000_000; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; s += x & 1; }
  require('node:worker_threads').parentPort.postMessage(s);`;

/** Seconds for `threads` threads to run the busy loop at once. */
async function busySeconds(threads: number): Promise<number> {
  const t = performance.now();
  await Promise.all(
    Array.from({ length: threads }, () => {
      // No execArgv: a worker inherits this process's `--import tsx` by default, and loading the
      // TypeScript loader first would add its start-up to the arithmetic timed here.
      const w = new Worker(BUSY_LOOP, { eval: true, execArgv: [] });
      return new Promise((resolve, reject) => {
        w.once('message', () => void w.terminate().then(resolve));
        w.once('error', reject);
      });
    }),
  );
  return (performance.now() - t) / 1000;
}

export interface TwoCores {
  /** Fastest seconds of one thread, and of two at once. */
  one: number;
  two: number;
  speedUp: number;
}

/** The fastest of `rounds` alternated runs on each side. */
async function measure(rounds: number): Promise<TwoCores> {
  let one = Infinity;
  let two = Infinity;
  for (let k = 0; k < rounds; k++) {
    one = Math.min(one, await busySeconds(1));
    two = Math.min(two, await busySeconds(2));
  }
  return { one, two, speedUp: (2 * one) / two };
}

if (process.argv[1]?.endsWith('two-cores.ts')) process.stdout.write(`${JSON.stringify(await measure(3))}\n`);
