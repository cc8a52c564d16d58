/**
 * One load of a generated scenario, measured in a process of its own (run by scale.bench.ts with
 * `--expose-gc --max-old-space-size=2048`, so a blow-up cannot take the bench down): load time
 * (YAML + validation), cluster time (apply + controllers), compile time (mesh view + policy and
 * route engines), and heap retained per pod after GC. Prints one JSON line.
 *
 * Cold (the default), the process loads nothing before: the times are what a CLI run pays, and the
 * heap also holds what any load leaves behind once per process (bytecode, compiled schema plans).
 * With `--warm`, a 10-pod scenario of the same shape is loaded and dropped first, so the heap
 * delta is what the mesh itself costs; its times are not the CLI's and are not reported as such.
 *
 * Usage: node --import tsx --expose-gc test/bench/scale-load.ts PODS [CLUSTERS] [--warm]
 * The pods are spread over CLUSTERS clusters (default 1); a cluster of more than 256 nodes gets a
 * wider pod subnet from the generator.
 */
import { generateScenario } from '../../src/generate';
import { World } from '../../src/run';
import { applyInitialResources } from '../../src/run/config-steps';
import { loadScenarioText } from '../../src/scenario';

export interface ScaleLoad {
  pods: number;
  services: number;
  clusters: number;
  warm: boolean;
  loadMs: number;
  clusterMs: number;
  compileMs: number;
  workloads: number;
  heapUsedBytes: number;
  bytesPerPod: number;
  peakRssBytes: number;
}

const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

/** Full GC after the current job ends (objects held only through WeakRefs are kept until then). */
async function gc(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  collect();
}

/** One service per ten pods, as in the 10,000-pod, 1,000-service mesh of the budgets. */
function servicesFor(pods: number): number {
  return Math.max(1, Math.round(pods / 10));
}

function scenarioText(pods: number, clusters: number): string {
  return generateScenario({ pods, services: servicesFor(pods), clusters, singleFile: true }).get('scenario.yaml')!;
}

/** Loads, applies and compiles a scenario text; the times of each stage, and the world built. */
function build(text: string): { world: World; workloads: number; times: [number, number, number] } {
  const t0 = performance.now();
  const loaded = loadScenarioText(text, 'generated.yaml');
  const t1 = performance.now();
  if (!loaded.scenario) throw new Error(`generated scenario did not load: ${loaded.diagnostics[0]?.message}`);
  const world = new World(loaded.scenario, 1);
  applyInitialResources(world);
  const t2 = performance.now();
  let workloads = 0;
  for (const c of loaded.scenario.clusters) {
    workloads += world.view(c.name).workloadByIp.size;
    world.dataplane(c.name, () => 0);
  }
  const t3 = performance.now();
  return { world, workloads, times: [t1 - t0, t2 - t1, t3 - t2] };
}

async function measure(pods: number, clusters: number, warm: boolean): Promise<ScaleLoad> {
  if (warm) build(scenarioText(10 * clusters, clusters));
  const text = scenarioText(pods, clusters);
  await gc();
  const before = process.memoryUsage().heapUsed;
  const { world, workloads, times } = build(text);
  await gc();
  const heapUsed = process.memoryUsage().heapUsed - before;
  const result: ScaleLoad = {
    pods,
    services: servicesFor(pods),
    clusters,
    warm,
    loadMs: Math.round(times[0]),
    clusterMs: Math.round(times[1]),
    compileMs: Math.round(times[2]),
    workloads,
    heapUsedBytes: heapUsed,
    bytesPerPod: Math.round(heapUsed / pods),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  // Keeps the world alive until measured.
  if (world.clusters.size === 0) throw new Error('no cluster');
  return result;
}

if (process.argv[1]?.endsWith('scale-load.ts')) {
  const [pods, clusters] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  process.stdout.write(`${JSON.stringify(await measure(Number(pods ?? 10_000), Number(clusters ?? 1), process.argv.includes('--warm')))}\n`);
}
