// Turns zod's issues into short, located messages in the words of the scenario format:
// `unknown field "reqest"`, `missing required field "from"`, `count: expected an integer, got string "ten"`.
import type { z } from 'zod';
import { describe, isPlainObject } from './values';
import type { Path } from './yaml-source';

export interface FieldIssue {
  path: (string | number)[];
  message: string;
  /** Locate at the mapping key rather than its value (unknown fields). */
  atKey: boolean;
}

type Issue = z.core.$ZodIssue;

/** `base` is where `input` sits in its document; it only names fields in messages. */
export function fieldIssues(issues: readonly Issue[], input: unknown, base: Path = []): FieldIssue[] {
  return issues.flatMap((issue) => convert(issue, [], input, base));
}

function convert(issue: Issue, prefix: (string | number)[], input: unknown, base: Path): FieldIssue[] {
  const path = [...prefix, ...issue.path.map(pathKey)];
  const actual = valueAt(input, path);
  const label = fieldLabel([...base, ...path]);
  const at = (message: string, atKey = false): FieldIssue[] => [{ path, message: message.replace(/^: /, ''), atKey }];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"`, atKey: true }));
    case 'invalid_type':
      if (actual === undefined) return at(`missing required field "${label}"`);
      return at(`${label}: expected ${article(issue.expected)}, got ${describe(actual)}`);
    case 'invalid_value':
      return at(`${label}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describe(actual)}`);
    case 'too_small':
    case 'too_big':
      return at(`${label}: ${sizeMessage(issue)}`);
    case 'invalid_key':
      return at(`${label}: invalid key: ${issue.issues.map((i) => i.message).join('; ')}`, true);
    case 'invalid_element':
      return issue.issues.flatMap((i) => convert(i, path, input, base));
    case 'invalid_union':
      return unionIssues(issue, path, input, base, label, actual);
    default:
      return at(label ? `${label}: ${issue.message}` : issue.message);
  }
}

/**
 * A union fails in every branch. When exactly one branch accepted the value's shape (its errors
 * are deeper than "wrong type"), that branch's errors are the useful ones; otherwise list what
 * the field accepts.
 */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, path: (string | number)[], input: unknown, base: Path, label: string, actual: unknown): FieldIssue[] {
  if (issue.errors.length === 0) {
    // A discriminated union whose discriminator matched no option.
    const options = (issue as { options?: unknown[] }).options;
    const message = options ? `expected ${options.map((o) => JSON.stringify(o)).join(' or ')}, got ${describe(actual)}` : issue.message;
    return [{ path, message: `${label}: ${message}`, atKey: false }];
  }
  const shapeMismatch = (branch: readonly Issue[]) => branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
  const fitting = issue.errors.filter((branch) => !shapeMismatch(branch));
  if (fitting.length === 1) return fitting[0]!.flatMap((i) => convert(i, path, input, base));
  const expected = [...new Set(issue.errors.flatMap((b) => (shapeMismatch(b) ? [article((b[0] as z.core.$ZodIssueInvalidType).expected)] : [])))];
  const what = expected.length > 0 ? expected.join(' or ') : 'a different value';
  return [{ path, message: `${label}: expected ${what}, got ${describe(actual)}`, atKey: false }];
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'string') return small && bound <= 1 ? 'must not be empty' : `must have ${small ? 'at least' : 'at most'} ${bound} characters`;
  if (issue.origin === 'array') return small && bound <= 1 ? 'must not be empty' : `must have ${small ? 'at least' : 'at most'} ${bound} items`;
  const cmp = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  return `must be ${cmp} ${bound}`;
}

function article(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a sequence';
    case 'undefined':
    case 'never':
      return 'nothing';
    default:
      return `a ${expected}`;
  }
}

function pathKey(k: PropertyKey): string | number {
  return typeof k === 'number' ? k : String(k);
}

/** The field a path names, as a reader would: `count`, `via[2]`, `steps[1]`. */
export function fieldLabel(path: Path): string {
  let i = path.length - 1;
  while (i >= 0 && typeof path[i] === 'number') i--;
  const name = i >= 0 ? String(path[i]) : '';
  return name + path.slice(i + 1).map((n) => `[${n}]`).join('');
}

export function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, seg)) v = v[String(seg)];
    else return undefined;
  }
  return v;
}
