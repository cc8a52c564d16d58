// Steps in report order: a parallel step's children follow it, named and numbered after it.
import type { StepResult } from '../result/types';

export interface FlatStep {
  /** Position in the run: `3` for the fourth step, `3.1` for the second child of that step. */
  path: string;
  /** The step's name, prefixed with its parents' names for nested steps. */
  name: string;
  step: StepResult;
}

export function flattenSteps(steps: StepResult[], prefix = '', namePrefix = ''): FlatStep[] {
  const out: FlatStep[] = [];
  steps.forEach((step, i) => {
    const path = `${prefix}${i}`;
    const name = `${namePrefix}${step.name}`;
    out.push({ path, name, step });
    if (step.steps?.length) out.push(...flattenSteps(step.steps, `${path}.`, `${name} / `));
  });
  return out;
}

/** Simulated duration in ms; 0 when the step carries no times. */
export function stepDurationMs(s: StepResult): number {
  return s.startMs !== undefined && s.endMs !== undefined ? Math.max(0, s.endMs - s.startMs) : 0;
}

/** `meshsim run --no-exec` marks the run steps it skipped this way (StepResult has no skipped flag). */
export function skipReason(s: StepResult): string | undefined {
  return s.changes?.find((c) => c.startsWith('skipped'));
}
