// Plays a scenario's steps in order on one World and collects the RunResult.
import { RESULT_API_VERSION, type RunResult, type StepResult } from '../result/types';
import type { Scenario, Step } from '../scenario';
import { applyInitialResources, runApplyStep, runDeleteStep, runLabelStep } from './config-steps';
import { round3 } from './latency';
import { runRequestStep } from './request-step';
import { World } from './world';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Skip `run:` steps (scenario files with run steps are code). */
  noExec?: boolean;
}

async function runStep(world: World, step: Step, opts: RunOptions): Promise<StepResult> {
  switch (step.type) {
    case 'apply':
      return runApplyStep(world, step);
    case 'delete':
      return runDeleteStep(world, step);
    case 'label':
      return runLabelStep(world, step);
    case 'request':
      return runRequestStep(world, step);
    case 'wait': {
      const startMs = world.now;
      world.sim.run(world.now + step.durationMs);
      world.settle();
      return { name: step.name, type: 'wait', passed: true, failures: [], startMs: round3(startMs), endMs: round3(world.now) };
    }
    case 'run':
      if (opts.noExec) return { name: step.name, type: 'run', passed: true, failures: [], stdout: '', stderr: '', exitCode: 0, changes: ['skipped (--no-exec)'] };
      return {
        name: step.name,
        type: 'run',
        passed: false,
        failures: ['run steps need lab mode (kubectl/istioctl emulation), which this version of meshsim does not provide yet; use --no-exec to skip them'],
      };
    case 'parallel': {
      // Sub-steps run one after another until concurrent traffic generators exist.
      const steps: StepResult[] = [];
      for (const s of step.steps) steps.push(await runStep(world, s, opts));
      return { name: step.name, type: 'parallel', passed: steps.every((s) => s.passed), failures: [], steps };
    }
  }
}

export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const seed = opts.seed ?? scenario.seed;
  const world = new World(scenario, seed);
  applyInitialResources(world);
  const steps: StepResult[] = [];
  for (const step of scenario.steps) steps.push(await runStep(world, step, opts));
  return {
    apiVersion: RESULT_API_VERSION,
    kind: 'RunResult',
    scenario: scenario.name,
    seed,
    passed: steps.every((s) => s.passed),
    steps,
  };
}
