/**
 * The stages of loading a generated scenario, timed: what scale-load.ts measures. A module of its
 * own so that scale-load.ts can run it from a code-cached bundle, as the CLI runs its commands.
 */
import { generateScenario } from '../../src/generate';
import { World } from '../../src/run';
import { applyInitialResources } from '../../src/run/config-steps';
import { loadScenarioText } from '../../src/scenario';

/** One service per ten pods, as in the 10,000-pod, 1,000-service mesh of the budgets. */
export function servicesFor(pods: number): number {
  return Math.max(1, Math.round(pods / 10));
}

export function scenarioText(pods: number, clusters: number): string {
  return generateScenario({ pods, services: servicesFor(pods), clusters, singleFile: true }).get('scenario.yaml')!;
}

export interface Built {
  world: World;
  workloads: number;
  /** Milliseconds of YAML + validation, apply + controllers, mesh view + engines. */
  times: [number, number, number];
}

/** Loads, applies and compiles a scenario text; the times of each stage, and the world built. */
export function build(text: string): Built {
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
