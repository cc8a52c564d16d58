// Plays a scenario's steps in order on one World and collects the RunResult.
import { RESULT_API_VERSION, type RequestRecord, type RunResult, type StepResult } from '../result/types';
import type { Scenario, Step } from '../scenario';
import { applyInitialResources, runApplyStep, runDeleteStep, runLabelStep } from './config-steps';
import { runParallelStep, runWaitStep } from './parallel';
import { latencyRuntime } from './latency';
import { runRequestStep, validateRequestSteps } from './request-step';
import { runRunStep } from './run-step';
import { topologyOf } from './topology';
import { World } from './world';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Skip `run:` steps (scenario files with run steps are code). */
  noExec?: boolean;
  /** Called after each top-level step (for progress display). */
  onStep?: (done: number, total: number, name: string) => void;
  /**
   * Requests kept in full per request step (default 1000). A sweep, which merges summaries only,
   * keeps none; summaries and expectations count every request either way.
   */
  records?: number;
  /** Called once the initial resources are applied, before the first step (`meshsim run --stats` measures the load there). */
  onLoaded?: (world: World) => void;
  /**
   * Called with every request the run's clients send as it completes, kept in the result or not
   * (`run:` scripts' curl goes through request steps too): `meshsim run --metrics` counts them all.
   * Every request is then timed hop by hop, which the result needs for the kept ones only.
   */
  onRequest?: (record: RequestRecord) => void;
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
      return runRequestStep(world, step, opts.records);
    case 'wait':
      return runWaitStep(world, step);
    case 'run':
      if (opts.noExec) return { name: step.name, type: 'run', passed: true, failures: [], stdout: '', stderr: '', exitCode: 0, changes: ['skipped (--no-exec)'] };
      return runRunStep(world, step);
    case 'parallel':
      return runParallelStep(world, step, (s) => runStep(world, s, opts), opts.records);
  }
}

export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const seed = opts.seed ?? scenario.seed;
  const world = new World(scenario, seed);
  world.onRequest = opts.onRequest;
  // Input the run itself interprets is checked before anything runs, every problem at once.
  latencyRuntime(world);
  validateRequestSteps(scenario.steps);
  applyInitialResources(world);
  opts.onLoaded?.(world);
  const steps: StepResult[] = [];
  for (const step of scenario.steps) {
    steps.push(await runStep(world, step, opts));
    opts.onStep?.(steps.length, scenario.steps.length, step.name);
  }
  return {
    apiVersion: RESULT_API_VERSION,
    kind: 'RunResult',
    scenario: scenario.name,
    seed,
    passed: steps.every((s) => s.passed),
    steps,
    topology: topologyOf(world),
  };
}
