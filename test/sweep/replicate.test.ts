// A sweep replication keeps no request in full: it merges summaries and verdicts, which count every
// request whether or not it is kept. Each scenario runs twice in this process, keeping the default
// 1,000 records and keeping none: everything but the records must be the same.
import { describe, expect, it } from 'vitest';
import type { RunResult, StepResult } from '../../src/result/types';
import { runScenario } from '../../src/run';
import { loadScenarios, type Scenario } from '../../src/scenario';
import { projectPath } from '../../src/paths';
import { memoScenarioFile } from '../scale/memo-scenario';

function scenarios(path: string): Scenario[] {
  const loaded = loadScenarios(path);
  if (loaded.scenarios.length === 0) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.scenarios;
}

/**
 * The step without its kept records, the flag saying some were left out, and the explanation of a
 * kept request (`explain: true`); its sub-steps alike.
 */
function withoutRecords(s: StepResult): StepResult {
  const { requests: _requests, sampled: _sampled, explain: _explain, ...rest } = s;
  return rest.steps ? { ...rest, steps: rest.steps.map(withoutRecords) } : rest;
}

function requestCount(steps: readonly StepResult[]): number {
  return steps.reduce((n, s) => n + (s.requests?.length ?? 0) + requestCount(s.steps ?? []), 0);
}

async function both(s: Scenario): Promise<[RunResult, RunResult]> {
  return [await runScenario(s, { seed: 3, noExec: true }), await runScenario(s, { seed: 3, noExec: true, records: 0 })];
}

describe('a run that keeps no request records', () => {
  it.each([
    ['what the decision memo replays (steps longer than the kept records, expectations some requests miss)', memoScenarioFile],
    ['every shipped scenario', () => projectPath('scenarios')],
  ])('gives the same step summaries, verdicts and failures: %s', async (_, path) => {
    let kept = 0;
    for (const s of scenarios(path())) {
      const [full, bare] = await both(s);
      expect(requestCount(bare.steps)).toBe(0);
      kept += requestCount(full.steps);
      expect(bare.passed).toBe(full.passed);
      expect(JSON.stringify(bare.steps.map(withoutRecords))).toBe(JSON.stringify(full.steps.map(withoutRecords)));
      expect(JSON.stringify(bare.topology)).toBe(JSON.stringify(full.topology));
    }
    expect(kept).toBeGreaterThan(1000);
  }, 120_000);

  it('names the first request that missed an expectation, as a run that keeps it does', async () => {
    const [s] = scenarios(memoScenarioFile());
    const [full, bare] = await both(s!);
    const failures = (r: RunResult) => r.steps.flatMap((st) => [st, ...(st.steps ?? [])]).flatMap((st) => st.failures);
    expect(failures(full).some((f) => /request #?\d+/.test(f))).toBe(true);
    expect(failures(bare)).toEqual(failures(full));
  });
});
