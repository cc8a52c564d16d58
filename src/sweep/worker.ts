// The sweep's worker thread: loads each combination of the scenario once, then plays replications.
import { ScenarioInputError } from '../run/errors';
import type { Scenario } from '../scenario';
import { replicate, type Replication } from './replicate';
import { inputErrors, prepare } from './scenario-text';
import { combinations, type Combination, type SetParam } from './spec';
import { warmUp } from './warm-up';

export interface ReplicationTask {
  file: string;
  text: string;
  params: SetParam[];
  combination: number;
  seed: number;
  /** Execute `run:` steps' scripts. */
  exec: boolean;
  /** Play the warm-up run (warm-up.ts) before the thread's first replication. */
  warmUp: boolean;
}

/**
 * A replication, or the problems with the scenario its run found (as `meshsim run` finds them
 * while running: a request from a workload with no running pod), as problem lines.
 */
export type TaskResult = Replication | { errors: string[] };

interface Loaded {
  scenario: Scenario;
  combination: Combination;
}

const loaded = new Map<string, Loaded>();

function scenarioFor(task: ReplicationTask): Loaded {
  const key = `${task.file}\0${task.text}\0${JSON.stringify(task.params)}\0${task.combination}`;
  let entry = loaded.get(key);
  if (!entry) {
    const combination = combinations(task.params)[task.combination]!;
    const prepared = prepare(task.text, task.file, combination);
    if (!prepared.ok) throw new Error(prepared.errors.join('\n'));
    entry = { scenario: prepared.scenario, combination };
    loaded.set(key, entry);
  }
  return entry;
}

let warmed = false;

export default async function runTask(task: ReplicationTask): Promise<TaskResult> {
  const { scenario, combination } = scenarioFor(task);
  if (task.warmUp && !warmed) {
    warmed = true;
    await warmUp(scenario);
  }
  try {
    return await replicate(scenario, task.combination, task.seed, task.exec);
  } catch (e) {
    if (e instanceof ScenarioInputError) return { errors: inputErrors(e, combination) };
    throw e;
  }
}
