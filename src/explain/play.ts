// Plays a scenario's configuration on a World up to a chosen point, so a request can be explained
// (or probed) in exactly the state it meets there. Request steps are traffic, not configuration:
// they are skipped here. `run:` scripts are executed as `meshsim run` executes them (they change
// the mesh: `istioctl waypoint apply`, `kubectl apply -f -`), unless `exec` is false.
import type { Scenario, Step } from '../scenario';
import { applyInitialResources, runApplyStep, runDeleteStep, runLabelStep } from '../run/config-steps';
import { runWaitStep } from '../run/parallel';
import { runRunStep } from '../run/run-step';
import { World } from '../run/world';

export interface PlayOptions {
  seed?: number;
  /** Stop before the first top-level step of this name. */
  before?: string;
  /** Stop after the first top-level step of this name. */
  after?: string;
  /** Called for each skipped request step (inside `parallel` too), with the world as it is then. */
  onRequest?: (step: Extract<Step, { type: 'request' }>, world: World) => void;
  /** Execute `run:` scripts (default true); skipped ones leave a notice. */
  exec?: boolean;
}

export interface Played {
  world: World;
  /** Run steps that were skipped, or whose script failed. */
  notices: string[];
}

/** Names of the top-level steps, for `--before` / `--after` validation. */
export function stepNames(s: Scenario): string[] {
  return s.steps.map((x) => x.name);
}

async function playStep(world: World, step: Step, opts: PlayOptions, notices: string[]): Promise<void> {
  switch (step.type) {
    case 'apply':
      runApplyStep(world, step);
      return;
    case 'delete':
      runDeleteStep(world, step);
      return;
    case 'label':
      runLabelStep(world, step);
      return;
    case 'wait':
      runWaitStep(world, step);
      return;
    case 'request':
      opts.onRequest?.(step, world);
      return;
    case 'run': {
      if (opts.exec === false) {
        notices.push(`step "${step.name}": skipped (--no-exec); what its script changes is not in the compared state`);
        return;
      }
      const ran = await runRunStep(world, step);
      if (!ran.passed) notices.push(`step "${step.name}": ${ran.failures[0] ?? 'failed'}`);
      return;
    }
    case 'parallel':
      for (const s of step.steps) await playStep(world, s, opts, notices);
  }
}

export async function playScenario(scenario: Scenario, opts: PlayOptions = {}): Promise<Played> {
  const world = new World(scenario, opts.seed ?? scenario.seed);
  applyInitialResources(world);
  const notices: string[] = [];
  for (const step of scenario.steps) {
    if (opts.before !== undefined && step.name === opts.before) break;
    await playStep(world, step, opts, notices);
    if (opts.after !== undefined && step.name === opts.after) break;
  }
  return { world, notices };
}
