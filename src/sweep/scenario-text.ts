// A scenario file with one combination of --set values set under `spec`, loaded and checked the
// way `meshsim run` checks it (file diagnostics, then the latency model and request templates).
import { resolveLatencyConfig } from '../run/latency-config';
import { ScenarioInputError } from '../run/errors';
import { validateRequestSteps } from '../run/request-step';
import { formatDiagnostic, hasErrors, loadScenarioText, sortDiagnostics, type Diagnostic, type Scenario } from '../scenario';
import type { Combination } from './spec';

export type Prepared = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/**
 * The document's value with the combination's values set under `spec`, in order: the maps and
 * lists on the way are copied (and frozen, as parsed values are), a missing or empty one is created
 * as a map. Each path is checked against the value the earlier ones left, so a later --set cannot
 * silently replace a scalar an earlier one set.
 */
export function withAssignments(root: unknown, combination: Combination): { value: unknown } | { problem: string } {
  let value = root;
  for (const a of combination.assignments) {
    const problem = pathProblem(value, a.keys);
    if (problem !== undefined) return { problem };
    value = setIn(value, ['spec', ...a.keys], a.value);
  }
  return { value };
}

function setIn(node: unknown, keys: readonly (string | number)[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const [k, ...rest] = keys as [string | number, ...(string | number)[]];
  if (Array.isArray(node) && typeof k === 'number') {
    const copy = node.slice();
    copy[k] = setIn(copy[k], rest, value);
    return Object.freeze(copy);
  }
  const map = typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : {};
  return Object.freeze({ ...map, [k]: setIn(map[k], rest, value) });
}

/** Why a --set path cannot be written into the document (it goes through a scalar, or names a list's item by a name), or undefined. */
export function pathProblem(root: unknown, keys: readonly (string | number)[]): string | undefined {
  let node = root;
  const path: (string | number)[] = [];
  for (const k of ['spec', ...keys]) {
    // From a missing or empty value on, the rest of the path is created as maps.
    if (node === undefined || node === null) return undefined;
    const at = path.join('.');
    if (typeof node !== 'object') return path.length ? `${at} is a scalar (${JSON.stringify(node)}), not a map or list` : undefined;
    if (Array.isArray(node) && typeof k !== 'number') return `${at} is a list: name its items by index (${at}.0, ${at}.1, ...)`;
    path.push(k);
    node = (node as Record<string | number, unknown>)[k];
  }
  return undefined;
}

/** What starts each problem line of a combination: its --set values, or nothing without them. */
function where(combination: Combination): string {
  return combination.label.length ? `--set ${combination.label.join(' --set ')}: ` : '';
}

/** Diagnostics as problem lines of the combination. */
function problemLines(diags: readonly Diagnostic[], combination: Combination): string[] {
  const prefix = where(combination);
  return diags.map((d) => `${prefix}${formatDiagnostic(d)}`);
}

/** A run's problems with its input (a ScenarioInputError) as problem lines of the combination. */
export function inputErrors(e: ScenarioInputError, combination: Combination): string[] {
  return problemLines(e.diagnostics, combination);
}

/** Loads one combination of a scenario file; every problem is one `--set ...: FILE:LINE:COL: message` line. */
export function prepare(text: string, file: string, combination: Combination): Prepared {
  let problem: string | undefined;
  const edit = (root: unknown): unknown => {
    const set = withAssignments(root, combination);
    if ('value' in set) return set.value;
    problem = set.problem;
    return root;
  };
  // Set into the parsed value, not the text: positions stay those of the user's file.
  const loaded = loadScenarioText(text, file, combination.assignments.length ? edit : undefined);
  if (problem !== undefined) return { ok: false, errors: [`${where(combination)}${problem}`] };
  const diags = sortDiagnostics(loaded.diagnostics);
  if (hasErrors(diags) || !loaded.scenario) return { ok: false, errors: problemLines(diags.filter((d) => d.severity === 'error'), combination) };
  try {
    resolveLatencyConfig(loaded.scenario.latency);
    validateRequestSteps(loaded.scenario.steps);
  } catch (e) {
    if (e instanceof ScenarioInputError) return { ok: false, errors: inputErrors(e, combination) };
    throw e;
  }
  return { ok: true, scenario: loaded.scenario };
}
