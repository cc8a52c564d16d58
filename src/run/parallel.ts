// `wait` and `parallel` steps: time passing, and sub-steps sharing one clock.
//
// In a `parallel` group every `request` sub-step starts when the group starts and they run
// concurrently (a load generator and a probe overlap, meeting at the same proxy stations). The
// other sub-steps (`wait`, `apply`, `delete`, `label`, `run`, nested `parallel`) form one track
// played in the order written, alongside the traffic: `wait: 2s` then `apply:` changes the config
// two seconds into the load. A config change made there reaches the proxies after the propagation
// delay (`spec.latency.propagation`). The group ends when the track and every request step have.
import type { StepResult } from '../result/types';
import type { ParallelStep, Step, WaitStep } from '../scenario';
import { latencyRuntime } from './latency';
import { round3 } from './latency-walk';
import { startRequestStep } from './request-step';
import type { World } from './world';

export function runWaitStep(world: World, step: WaitStep): StepResult {
  const startMs = world.now;
  world.sim.run(world.now + step.durationMs);
  world.settle();
  return { name: step.name, type: 'wait', passed: true, failures: [], startMs: round3(startMs), endMs: round3(world.now) };
}

const CONFIG_STEPS = new Set<Step['type']>(['apply', 'delete', 'label']);

/** `records`: requests kept in full per request step (see startRequestStep). */
export async function runParallelStep(world: World, step: ParallelStep, runTrackStep: (s: Step) => Promise<StepResult>, records?: number): Promise<StepResult> {
  const startMs = world.now;
  const results: (StepResult | undefined)[] = new Array<StepResult | undefined>(step.steps.length);
  let pending = 0;
  let draining = false;
  step.steps.forEach((s, i) => {
    if (s.type !== 'request') return;
    pending++;
    startRequestStep(
      world,
      s,
      (r) => {
        results[i] = r;
        if (--pending === 0 && draining) world.sim.stop();
      },
      records,
    );
  });
  for (let i = 0; i < step.steps.length; i++) {
    const s = step.steps[i]!;
    if (s.type === 'request') continue;
    if (s.type === 'wait') results[i] = runWaitStep(world, s);
    else {
      if (CONFIG_STEPS.has(s.type)) latencyRuntime(world).views.beforeChange();
      results[i] = await runTrackStep(s);
    }
  }
  draining = true;
  if (pending > 0) world.sim.run();
  if (pending > 0) throw new Error(`parallel step ${step.name}: the simulation ran out of events before its request steps completed`);
  world.settle();
  const steps = results as StepResult[];
  return { name: step.name, type: 'parallel', passed: steps.every((s) => s.passed), failures: [], startMs: round3(startMs), endMs: round3(world.now), steps };
}
