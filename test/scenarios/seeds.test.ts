// Every shipped scenario passes its expectations with any seed a user is likely to sweep, not only
// with its own: `meshsim sweep SCENARIO --seeds 1..32` reports no failed seed. A share expectation
// (`backends: { x: "0.5±0.1" }`) holds for every seed only when its tolerance is several standard
// deviations of the share at the step's request count. A tolerance of three fails one check in
// about 370, so a 32-seed sweep of a scenario with a few such checks fails a seed about one time in
// three.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths';
import { loadScenarios } from '../../src/scenario';
import { runSweep } from '../../src/sweep';

const SEEDS = Array.from({ length: 32 }, (_, i) => i + 1);

describe('shipped scenarios across seeds', () => {
  for (const scenario of loadScenarios(projectPath('scenarios')).scenarios) {
    it(`${scenario.name} passes every expectation with seeds 1..32`, async () => {
      const outcome = await runSweep({ file: scenario.file, text: readFileSync(scenario.file, 'utf8'), seeds: SEEDS, params: [], workers: 1 });
      if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
      const failed = outcome.result.combinations.flatMap((c) => c.steps.filter((s) => s.passed < s.runs).map((s) => `${s.name}: seeds ${s.failedSeeds?.join(', ')}; first: ${s.firstFailure?.message}`));
      expect(failed).toEqual([]);
      expect(outcome.result.passed).toBe(true);
    }, 120_000);
  }
});
