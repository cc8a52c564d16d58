// The teaching scenarios (one idea each, plus the accounts/finance lab as a learner types it):
// each ships a README, gives byte-identical results run after run, and its expectations hold for
// other seeds too, so its tolerances describe Istio's behaviour rather than one lucky draw.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths';
import { runScenario } from '../../src/run';
import { formatDiagnostic, loadScenario, type Scenario } from '../../src/scenario';
import { failuresOf } from '../helpers/run-scenario';

const TEACHING = [
  'accounts-finance/lab.yaml',
  'reviews-svc-waypoint/scenario.yaml',
  'reviews-v2-pod-waypoint/scenario.yaml',
  'waypoint-for-all-vs-none/scenario.yaml',
  'canary-90-10/scenario.yaml',
  'sidecar-ambient-mix/scenario.yaml',
  'egress-waypoint/scenario.yaml',
];

function load(file: string): Scenario {
  const loaded = loadScenario(projectPath('scenarios', file));
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.scenario;
}

describe.each(TEACHING)('%s', (file) => {
  it('has a README for the learner', () => {
    expect(existsSync(projectPath('scenarios', dirname(file), 'README.md'))).toBe(true);
  });

  it('gives the same result twice', async () => {
    const scenario = load(file);
    const [a, b] = [await runScenario(scenario), await runScenario(scenario)];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('passes with another seed too', async () => {
    const result = await runScenario(load(file), { seed: 5 });
    expect(failuresOf(result)).toEqual([]);
  });
});
