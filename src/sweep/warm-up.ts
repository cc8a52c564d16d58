// A worker's warm-up: one short, discarded run of its scenario before the first replication.
// V8 allocates a function's type feedback only after its first calls, so the branches a run takes
// once per World (its first walk plan, station, connection pool, memo) leave no feedback in the
// first replication. The code optimized there deoptimizes on the next World and is compiled
// again: about 0.3 s of compiler thread per worker, which competes with the other workers for
// the cores. A run of a few requests per step takes those branches once the functions have
// feedback, so the first replication's code serves all the others.
import { ScenarioInputError } from '../run/errors';
import type { Scenario, Step } from '../scenario';
import { replicate } from './replicate';

/** Requests per request step of the warm-up run: enough to reach every per-run branch, few enough to cost milliseconds. */
export const WARM_UP_REQUESTS = 100;

/**
 * Above this many objects (resources in every cluster they go to, plus the pods their replicas
 * ask for), building the warm-up's World costs more than the compiles it saves.
 */
export const WARM_UP_MAX_OBJECTS = 2_000;

/**
 * A copy of a step with `changes`, its other own properties copied as they are: a step read from
 * a file keeps where it came from under a hidden key, which a spread would leave behind.
 */
function copyWith<T extends Step>(step: T, changes: Partial<T>): T {
  return Object.assign(Object.create(Object.getPrototypeOf(step) as object, Object.getOwnPropertyDescriptors(step)) as T, changes);
}

function shortened(step: Step): Step {
  if (step.type === 'parallel') return copyWith(step, { steps: step.steps.map(shortened) });
  if (step.type !== 'request') return step;
  const count = step.count ?? (step.durationMs !== undefined ? Number.POSITIVE_INFINITY : 1);
  return copyWith(step, { count: Math.min(count, WARM_UP_REQUESTS) });
}

/** The scenario with every request step cut to WARM_UP_REQUESTS requests. */
export function warmUpScenario(scenario: Scenario): Scenario {
  return { ...scenario, steps: scenario.steps.map(shortened) };
}

/** Roughly how many objects a World of the scenario holds. */
export function worldObjects(scenario: Scenario): number {
  let n = 0;
  for (const r of scenario.resources) {
    const replicas = (r.obj as { spec?: { replicas?: unknown } }).spec?.replicas;
    n += (r.clusters?.length ?? 1) * (1 + (typeof replicas === 'number' ? replicas : 0));
  }
  return n;
}

/**
 * Plays the warm-up run of a scenario small enough to be worth it (scripts not executed, results
 * dropped). Without its scripts a run can miss what they create, such as the client of a later
 * request step: a warm-up stopped by a problem with its input has warmed less, nothing more.
 */
export async function warmUp(scenario: Scenario): Promise<void> {
  if (worldObjects(scenario) > WARM_UP_MAX_OBJECTS) return;
  try {
    await replicate(warmUpScenario(scenario), 0, 1, false);
  } catch (e) {
    if (!(e instanceof ScenarioInputError)) throw e;
  }
}
