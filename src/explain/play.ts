// Plays a scenario's configuration on a World up to a chosen point, so a request can be explained
// (or probed) in exactly the state it meets there. Request steps are traffic, not configuration:
// they are skipped here; `run:` steps need lab mode and are skipped with a notice.
import type { Scenario, Step } from '../scenario';
import { applyInitialResources, runApplyStep, runDeleteStep, runLabelStep } from '../run/config-steps';
import { runWaitStep } from '../run/parallel';
import { World } from '../run/world';

export interface PlayOptions {
  seed?: number;
  /** Stop before the first top-level step of this name. */
  before?: string;
  /** Stop after the first top-level step of this name. */
  after?: string;
  /** Called for each skipped request step (inside `parallel` too), with the world as it is then. */
  onRequest?: (step: Extract<Step, { type: 'request' }>, world: World) => void;
}

export interface Played {
  world: World;
  /** Why some steps were not played (run steps). */
  notices: string[];
}

/** Names of the top-level steps, for `--before` / `--after` validation. */
export function stepNames(s: Scenario): string[] {
  return s.steps.map((x) => x.name);
}

function playStep(world: World, step: Step, opts: PlayOptions, notices: string[]): void {
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
    case 'run':
      notices.push(`step "${step.name}": run steps are not played (lab mode); its changes are not in the compared state`);
      return;
    case 'parallel':
      for (const s of step.steps) playStep(world, s, opts, notices);
  }
}

export function playScenario(scenario: Scenario, opts: PlayOptions = {}): Played {
  const world = new World(scenario, opts.seed ?? scenario.seed);
  applyInitialResources(world);
  const notices: string[] = [];
  for (const step of scenario.steps) {
    if (opts.before !== undefined && step.name === opts.before) break;
    playStep(world, step, opts, notices);
    if (opts.after !== undefined && step.name === opts.after) break;
  }
  return { world, notices };
}
