// Plays scenarios with run steps through the lab (the same step functions `meshsim run` uses).
import { stringify } from 'yaml';
import type { StepResult } from '../../src/result/types';
import { runScenario } from '../../src/run';
import { applyInitialResources } from '../../src/run/config-steps';
import { World } from '../../src/run/world';
import { LabSession } from '../../src/lab/session';
import { formatDiagnostic, loadScenario, loadScenarioText, type Scenario } from '../../src/scenario';

export function scenarioFromText(text: string, file = '/tmp/meshsim-lab-test/scenario.yaml'): Scenario {
  const loaded = loadScenarioText(text, file);
  if (!loaded.scenario) throw new Error(`scenario did not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  return loaded.scenario;
}

export function scenarioFromFile(file: string): Scenario {
  const loaded = loadScenario(file);
  if (!loaded.scenario) throw new Error(`scenario did not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  return loaded.scenario;
}

export function labScenario(manifests: string, steps: object[] = [], extra: object = {}): Scenario {
  return scenarioFromText(
    stringify({ apiVersion: 'meshsim.dev/v1alpha1', kind: 'Scenario', metadata: { name: 'lab-test' }, spec: { seed: 1, resources: [{ inline: manifests }], steps, ...extra } }, { lineWidth: 0 }),
  );
}

/** A session on a fresh World with the scenario's resources applied. */
export function labSession(scenario: Scenario): LabSession {
  const world = new World(scenario, scenario.seed);
  applyInitialResources(world);
  return new LabSession(world, { context: scenario.clusters[0]!.name });
}

export async function playScenario(scenario: Scenario): Promise<StepResult[]> {
  return (await runScenario(scenario)).steps;
}

/** Runs one command line (split on spaces, single quotes respected) in a session. */
export function run(s: LabSession, line: string, stdin?: string) {
  const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const [tool, ...args] = words;
  return s.handle({ tool: tool!, args, cwd: '/tmp', ...(stdin === undefined ? {} : { stdin }) });
}
