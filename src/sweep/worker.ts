// What plays a sweep's replications, on the calling thread or a worker thread: each player claims
// the next unplayed replication from a counter the threads share, so no thread waits for another
// to hand it work, and the results are put back in order by index.
import { ScenarioInputError } from '../run/errors';
import type { Scenario } from '../scenario';
import { replicate, type Replication } from './replicate';
import { inputErrors, prepare } from './scenario-text';
import { combinations, type Combination, type SetParam } from './spec';
import { warmUp } from './warm-up';

export interface ReplicationTask {
  combination: number;
  seed: number;
}

/** Everything a player needs: the scenario, the replications, and the counters every player shares. */
export interface SweepJob {
  file: string;
  text: string;
  params: SetParam[];
  tasks: ReplicationTask[];
  /** Execute `run:` steps' scripts. */
  exec: boolean;
  /** Play the warm-up run (warm-up.ts) before the player's first replication. */
  warmUp: boolean;
  /** Int32 counters: [NEXT] the next replication to claim, [DONE] how many are done. */
  counters: SharedArrayBuffer;
}

const NEXT = 0;
export const DONE = 1;

/**
 * A replication, or the problems with the scenario its run found (as `meshsim run` finds them
 * while running: a request from a workload with no running pod), as problem lines.
 */
export type TaskResult = Replication | { errors: string[] };

/** The replications one player played, by index. */
export type Played = [index: number, result: TaskResult][];

interface Loaded {
  scenario: Scenario;
  combination: Combination;
}

/** The combinations of a job, loaded as they are first needed. */
function loader(job: SweepJob, given?: ReadonlyMap<number, Scenario>): (index: number) => Loaded {
  const all = combinations(job.params);
  const cache = new Map<number, Loaded>();
  return (index) => {
    let entry = cache.get(index);
    if (!entry) {
      const combination = all[index]!;
      let scenario = given?.get(index);
      if (!scenario) {
        const prepared = prepare(job.text, job.file, combination);
        if (!prepared.ok) throw new Error(prepared.errors.join('\n'));
        scenario = prepared.scenario;
      }
      entry = { scenario, combination };
      cache.set(index, entry);
    }
    return entry;
  };
}

/** Stops every player: nothing is left to claim. */
export function stopClaims(job: SweepJob): void {
  Atomics.store(new Int32Array(job.counters), NEXT, job.tasks.length);
}

/**
 * Plays replications of the job until none is left to claim. `between` runs after each one (the
 * calling thread lets its event loop turn there); `given` are combinations already loaded.
 */
export async function playClaimed(job: SweepJob, between?: () => Promise<void>, given?: ReadonlyMap<number, Scenario>): Promise<Played> {
  const counters = new Int32Array(job.counters);
  const load = loader(job, given);
  const played: Played = [];
  let warmed = !job.warmUp;
  try {
    for (let i = Atomics.add(counters, NEXT, 1); i < job.tasks.length; i = Atomics.add(counters, NEXT, 1)) {
      const task = job.tasks[i]!;
      const { scenario, combination } = load(task.combination);
      if (!warmed) {
        warmed = true;
        await warmUp(scenario);
      }
      try {
        played.push([i, await replicate(scenario, task.combination, task.seed, job.exec)]);
      } catch (e) {
        if (!(e instanceof ScenarioInputError)) throw e;
        played.push([i, { errors: inputErrors(e, combination) }]);
      }
      Atomics.add(counters, DONE, 1);
      await between?.();
    }
  } catch (e) {
    stopClaims(job);
    throw e;
  }
  return played;
}

export default function runJob(job: SweepJob): Promise<Played> {
  return playClaimed(job);
}
