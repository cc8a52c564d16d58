// A scenario's text with one combination of --set values written into `spec`, loaded and checked
// the way `meshsim run` checks it (file diagnostics, then the latency model and request templates).
import { isScalar, parseDocument } from 'yaml';
import { resolveLatencyConfig } from '../run/latency-config';
import { ScenarioInputError } from '../run/errors';
import { validateRequestSteps } from '../run/request-step';
import { formatDiagnostic, hasErrors, loadScenarioText, sortDiagnostics, type Scenario } from '../scenario';
import type { Combination } from './spec';

export type Prepared = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/** The scenario text with the combination's values set under `spec` (missing maps are created). */
export function withAssignments(text: string, combination: Combination): string {
  if (combination.assignments.length === 0) return text;
  const doc = parseDocument(text);
  for (const a of combination.assignments) doc.setIn(['spec', ...a.keys], doc.createNode(a.value));
  return doc.toString({ lineWidth: 0 });
}

/** Why a --set path cannot be written into the document (it goes through a scalar), or undefined. */
export function pathProblem(text: string, keys: readonly (string | number)[]): string | undefined {
  const doc = parseDocument(text);
  for (let i = 0; i < keys.length; i++) {
    const prefix = ['spec', ...keys.slice(0, i)];
    const node = doc.getIn(prefix, true);
    if (node === undefined) return undefined;
    if (isScalar(node)) return `${prefix.join('.')} is a scalar (${JSON.stringify(node.value)}), not a map or list`;
  }
  return undefined;
}

/** Loads one combination of a scenario file; every problem is one `--set ...: FILE:LINE:COL: message` line. */
export function prepare(text: string, file: string, combination: Combination): Prepared {
  const where = combination.label.length ? `--set ${combination.label.join(' --set ')}: ` : '';
  for (const a of combination.assignments) {
    const problem = pathProblem(text, a.keys);
    if (problem) return { ok: false, errors: [`${where}${problem}`] };
  }
  let modified: string;
  try {
    modified = withAssignments(text, combination);
  } catch (e) {
    return { ok: false, errors: [`${where}${e instanceof Error ? e.message : String(e)}`] };
  }
  const loaded = loadScenarioText(modified, file);
  const diags = sortDiagnostics(loaded.diagnostics);
  if (hasErrors(diags) || !loaded.scenario) return { ok: false, errors: diags.filter((d) => d.severity === 'error').map((d) => `${where}${formatDiagnostic(d)}`) };
  try {
    resolveLatencyConfig(loaded.scenario.latency);
    validateRequestSteps(loaded.scenario.steps);
  } catch (e) {
    if (e instanceof ScenarioInputError) return { ok: false, errors: e.diagnostics.map((d) => `${where}${formatDiagnostic(d)}`) };
    throw e;
  }
  return { ok: true, scenario: loaded.scenario };
}
