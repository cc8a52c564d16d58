// Runs a scenario given as YAML text, the way `meshsim run` does, for table tests.
import { stringify } from 'yaml';
import { runScenario } from '../../src/run';
import type { RunResult, StepResult } from '../../src/result/types';
import { formatDiagnostic, loadScenarioText } from '../../src/scenario';

export interface ScenarioParts {
  name?: string;
  seed?: number;
  /** Multi-document manifests applied at time 0 to every cluster. */
  manifests: string;
  /** Further `spec.resources` entries, e.g. `{ inline, clusters: [name] }` for one cluster only. */
  resources?: object[];
  clusters?: object[];
  istio?: object;
  apps?: object[];
  steps: object[];
}

export function scenarioText(p: ScenarioParts): string {
  return stringify(
    {
      apiVersion: 'meshsim.dev/v1alpha1',
      kind: 'Scenario',
      metadata: { name: p.name ?? 'table-test' },
      spec: {
        seed: p.seed ?? 1,
        ...(p.clusters ? { clusters: p.clusters } : {}),
        ...(p.istio ? { istio: p.istio } : {}),
        resources: [{ inline: p.manifests }, ...(p.resources ?? [])],
        ...(p.apps ? { apps: p.apps } : {}),
        steps: p.steps,
      },
    },
    { lineWidth: 0 },
  );
}

export function runText(text: string, file = 'table-test.yaml'): Promise<RunResult> {
  const loaded = loadScenarioText(text, file);
  if (!loaded.scenario) throw new Error(`scenario did not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  return runScenario(loaded.scenario);
}

export function runParts(p: ScenarioParts): Promise<RunResult> {
  return runText(scenarioText(p));
}

/** Every failure message of every step, prefixed with its step name (empty when all passed). */
export function failuresOf(result: RunResult): string[] {
  const out: string[] = [];
  const walk = (s: StepResult) => {
    for (const f of s.failures) out.push(`${s.name}: ${f}`);
    for (const sub of s.steps ?? []) walk(sub);
  };
  result.steps.forEach(walk);
  return out;
}
