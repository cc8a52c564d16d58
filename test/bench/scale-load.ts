/**
 * One load of a generated scenario, measured in a process of its own (run by scale.bench.ts with
 * `--expose-gc --max-old-space-size=2048`, so a blow-up cannot take the bench down): load time
 * (YAML + validation), cluster time (apply + controllers), compile time (mesh view + policy and
 * route engines), heap retained per pod after GC, and the CPU the three stages used, over all the
 * process's threads and on the main thread alone. Prints one JSON line.
 *
 * Cold (the default), the process loads nothing before: the times are what a CLI run pays (the
 * stages run from a bundle with V8's code cache, as the CLI runs its commands), and the heap also
 * holds what any load leaves behind once per process (bytecode, compiled schema plans).
 * With `--warm`, a scenario of the same shape with a tenth of the pods is loaded and dropped
 * first, so the heap delta is what the mesh itself costs: the code V8 compiles for a load of that
 * size (bytecode, feedback, optimized code; about 100 B per pod of a 10,000-pod load when the
 * warm-up had only 10 pods) is then there before the measurement, as it is for any later load of
 * the process. Its times are not the CLI's and are not reported as such.
 *
 * Usage: node --import tsx --expose-gc test/bench/scale-load.ts PODS [CLUSTERS] [--warm]
 * The pods are spread over CLUSTERS clusters (default 1); a cluster of more than 256 nodes gets a
 * wider pod subnet from the generator.
 */
import { readFileSync } from 'node:fs';
import { bundledModule } from './bundled';
import type * as Stages from './scale-build';

export interface ScaleLoad {
  pods: number;
  services: number;
  clusters: number;
  warm: boolean;
  /** Pods of the load made and dropped before the measured one (0 when cold). */
  warmPods: number;
  loadMs: number;
  clusterMs: number;
  compileMs: number;
  workloads: number;
  heapUsedBytes: number;
  bytesPerPod: number;
  peakRssBytes: number;
  /** CPU time of every thread of the process (compiler and GC threads too) over the three stages. */
  cpuMs: number;
  /** CPU time of the main thread alone over the three stages; absent where /proc cannot tell it. */
  mainCpuMs?: number;
}

/**
 * CPU milliseconds the main thread has used, from /proc (Linux), or undefined elsewhere. Its utime
 * and stime are the 14th and 15th fields of its stat line, counted in USER_HZ ticks (100 per second
 * on every Linux architecture Node supports), so the figure is good to about 10 ms.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // The command name (2nd field) may hold spaces; it ends at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

/** Full GC after the current job ends (objects held only through WeakRefs are kept until then). */
async function gc(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  collect();
}

async function measure(pods: number, clusters: number, warm: boolean): Promise<ScaleLoad> {
  const { module: s, saveCache } = await bundledModule<typeof Stages>(new URL('./scale-build.ts', import.meta.url), 'scale-build-cjs', () => import('./scale-build'));
  const { build, scenarioText, servicesFor } = s;
  const warmPods = warm ? Math.max(10 * clusters, Math.round(pods / 10)) : 0;
  if (warm) build(scenarioText(warmPods, clusters));
  const text = scenarioText(pods, clusters);
  await gc();
  const before = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuMs();
  const { world, workloads, times } = build(text);
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = mainThreadCpuMs();
  await gc();
  const heapUsed = process.memoryUsage().heapUsed - before;
  const result: ScaleLoad = {
    pods,
    services: servicesFor(pods),
    clusters,
    warm,
    warmPods,
    loadMs: Math.round(times[0]),
    clusterMs: Math.round(times[1]),
    compileMs: Math.round(times[2]),
    workloads,
    heapUsedBytes: heapUsed,
    bytesPerPod: Math.round(heapUsed / pods),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    ...(mainBefore !== undefined && mainAfter !== undefined ? { mainCpuMs: mainAfter - mainBefore } : {}),
  };
  // Keeps the world alive until measured.
  if (world.clusters.size === 0) throw new Error('no cluster');
  saveCache();
  return result;
}

if (process.argv[1]?.endsWith('scale-load.ts')) {
  const [pods, clusters] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  process.stdout.write(`${JSON.stringify(await measure(Number(pods ?? 10_000), Number(clusters ?? 1), process.argv.includes('--warm')))}\n`);
}
