// Every scenario shipped in scenarios/ loads cleanly and passes its own expectations.
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths';
import { runScenario } from '../../src/run';
import { formatDiagnostic, loadScenarios } from '../../src/scenario';
import { failuresOf } from '../helpers/run-scenario';

const loaded = loadScenarios(projectPath('scenarios'));

describe('shipped scenarios', () => {
  it('load without errors or warnings', () => {
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(loaded.scenarios.length).toBeGreaterThan(0);
  });

  for (const scenario of loaded.scenarios) {
    it(`${scenario.name} (${scenario.file.replace(projectPath(), '')}) passes`, async () => {
      const result = await runScenario(scenario);
      expect(failuresOf(result)).toEqual([]);
      expect(result.passed).toBe(true);
    });
  }

  it('the default scenario of npm start is the accounts/finance lab', () => {
    expect(loaded.scenarios.map((s) => s.name)).toContain('accounts-finance');
  });
});
