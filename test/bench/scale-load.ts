/**
 * One load of a generated scenario, measured in a process of its own (run by scale.bench.ts with
 * `--expose-gc --max-old-space-size=2048`, so a blow-up cannot take the bench down): load time
 * (YAML + validation), cluster time (apply + controllers), compile time (mesh view + policy and
 * route engines), and heap retained per pod after GC. Prints one JSON line.
 * Usage: node --import tsx --expose-gc test/bench/scale-load.ts PODS
 */
import { generateScenario } from '../../src/generate';
import { World } from '../../src/run';
import { applyInitialResources } from '../../src/run/config-steps';
import { loadScenarioText } from '../../src/scenario';

export interface ScaleLoad {
  pods: number;
  services: number;
  clusters: number;
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

async function measure(pods: number): Promise<ScaleLoad> {
  const services = Math.max(1, Math.round(pods / 10));
  // A cluster holds at most 256 nodes of 100 pods: larger meshes span clusters.
  const clusters = Math.ceil(pods / 24_000);
  const text = generateScenario({ pods, services, clusters, singleFile: true }).get('scenario.yaml')!;
  await gc();
  const before = process.memoryUsage().heapUsed;
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
  await gc();
  const heapUsed = process.memoryUsage().heapUsed - before;
  const result: ScaleLoad = {
    pods,
    services,
    loadMs: Math.round(t1 - t0),
    clusterMs: Math.round(t2 - t1),
    compileMs: Math.round(t3 - t2),
    clusters,
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
  process.stdout.write(`${JSON.stringify(await measure(Number(process.argv[2] ?? 10_000)))}\n`);
}
