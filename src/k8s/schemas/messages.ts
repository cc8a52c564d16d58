// Turns zod issues into PathIssues whose messages read like kubectl's and name the field path,
// because the FILE:LINE:COL position may only point at the enclosing object.
import type { z } from 'zod';
import type { CelRule, PathIssue, RefusalStage, Severity } from '../issues';

type Path = (string | number)[];

/** `spec.ports[0].port`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
      else out += `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

function at(path: Path, message: string): string {
  return path.length ? `${formatPath(path)}: ${message}` : message;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'string') return `string "${input.length > 40 ? input.slice(0, 40) + '…' : input}"`;
  return `${typeof input} ${String(input)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean (true or false)',
  object: 'an object (a map of fields)',
  array: 'a list',
  record: 'an object (a map of fields)',
};

function toPath(path: readonly PropertyKey[]): Path {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/** One zod issue becomes one or more PathIssues (unknown keys are reported one by one). */
export function convertIssue(issue: z.core.$ZodIssue): PathIssue[] {
  const path = toPath(issue.path);
  const error = (message: string, severity: Severity = 'error', p: Path = path): PathIssue => ({ path: p, message, severity });
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const p = [...path, k];
        return { ...error(`unknown field "${formatPath(p)}"`, 'error', p), stage: 'decode' as const };
      });
    case 'invalid_type': {
      if (issue.input === undefined) return [{ ...error(at(path, 'Required value')), stage: 'schema', blocking: true }];
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return [error(at(path, `must be ${expected}, got ${describe(issue.input)}`))];
    }
    case 'invalid_value': {
      const supported = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return [{ ...error(at(path, `Unsupported value: ${JSON.stringify(issue.input)}: supported values: ${supported}`)), stage: 'schema', blocking: true }];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      const input = issue.input;
      if (issue.origin === 'array') {
        const n = Array.isArray(input) ? input.length : undefined;
        if (small) return [error(at(path, `must have at least ${limit} item${limit === 1 ? '' : 's'}`))];
        return [{ ...error(at(path, `Too many: ${n}: must have at most ${limit} items`)), stage: 'schema', blocking: true }];
      }
      if (issue.origin === 'string') {
        return [error(at(path, small ? `must be at least ${limit} character${limit === 1 ? '' : 's'}` : `Too long: may not be more than ${limit} characters`))];
      }
      return [error(at(path, `must be ${small ? 'at least' : 'at most'} ${limit}, got ${String(input)}`))];
    }
    case 'custom': {
      const severity: Severity = issue.params?.['severity'] === 'warning' ? 'warning' : 'error';
      // Custom checks are worded as the check that makes them words them; CEL rules' and the webhook's say so.
      const stage = (issue.params?.['stage'] as RefusalStage | undefined) ?? 'schema';
      const cel = issue.params?.['cel'] as CelRule | undefined;
      const listed = issue.params?.['listed'] === true;
      const alone = issue.params?.['alone'] === true;
      return [{ ...error(at(path, issue.message), severity), stage, ...(cel ? { cel } : {}), ...(listed ? { listed } : {}), ...(alone ? { alone } : {}) }];
    }
    default:
      return [error(at(path, issue.message))];
  }
}

export function convertIssues(issues: readonly z.core.$ZodIssue[]): PathIssue[] {
  return issues.flatMap(convertIssue);
}
