// The sweep's worker thread: loads each combination of the scenario once, then plays replications.
import { combinations, type SetParam } from './spec';
import { prepare } from './scenario-text';
import { replicate, type Replication } from './replicate';
import type { Scenario } from '../scenario';
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

const loaded = new Map<string, Scenario>();

function scenarioFor(task: ReplicationTask): Scenario {
  const key = `${task.file}\0${task.text}\0${JSON.stringify(task.params)}\0${task.combination}`;
  let scenario = loaded.get(key);
  if (!scenario) {
    const prepared = prepare(task.text, task.file, combinations(task.params)[task.combination]!);
    if (!prepared.ok) throw new Error(prepared.errors.join('\n'));
    scenario = prepared.scenario;
    loaded.set(key, scenario);
  }
  return scenario;
}

let warmed = false;

export default async function runTask(task: ReplicationTask): Promise<Replication> {
  const scenario = scenarioFor(task);
  if (task.warmUp && !warmed) {
    warmed = true;
    await warmUp(scenario);
  }
  return replicate(scenario, task.combination, task.seed, task.exec);
}
