// The small expression language of expectations: `"<5ms"`, `">=0.85"`, `"0.5±0.05"`,
// `">=900/s"`, and request rates `50/s`. Parsed once at load time so a typo is reported at its
// position before anything runs.
import { parseDuration } from './duration';
import type { Parsed } from './duration';

export type CompareOp = '<' | '<=' | '>' | '>=' | '==';

/**
 * A parsed comparison against one measured number. `value` is in the kind's base unit
 * (fractions 0..1, milliseconds, requests per second). With `tolerance`, `==` means
 * |actual - value| <= tolerance.
 */
export interface Comparator {
  op: CompareOp;
  value: number;
  tolerance?: number;
  unit?: 'ms' | '/s';
  /** The expression as written, for failure messages. */
  text: string;
}

/** What a comparator measures: decides accepted units and ranges. */
export type ComparatorKind = 'fraction' | 'latency' | 'throughput';

const EXPRESSION = /^(<=|>=|==|=|<|>)?\s*([^\s±+]+)\s*(?:(?:±|\+-|\+\/-)\s*(\S+))?$/;
const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const EXAMPLES: Record<ComparatorKind, string> = {
  fraction: '">=0.85", "<=15%" or "0.5±0.05"',
  latency: '"<5ms", "<=2.5ms" or ">100us"',
  throughput: '">=900/s" or ">=50000/m"',
};

export function parseComparator(input: unknown, kind: ComparatorKind): Parsed<Comparator> {
  // A bare number is an exact fraction (`"200": 1`), the only kind where a unitless number is unambiguous.
  if (typeof input === 'number' && kind === 'fraction') input = String(input);
  const bad = (why?: string): Parsed<Comparator> => ({
    ok: false,
    message: `invalid ${kind} expression ${JSON.stringify(input)}${why ? `: ${why}` : ''} (expected e.g. ${EXAMPLES[kind]})`,
  });
  if (typeof input !== 'string') return bad();
  const m = EXPRESSION.exec(input.trim());
  if (!m) return bad();
  const [, opText, valueText, tolText] = m as unknown as [string, string | undefined, string, string | undefined];
  const op: CompareOp = opText === undefined || opText === '=' ? '==' : (opText as CompareOp);
  if (tolText !== undefined && op !== '==') return bad('± only goes with an exact value');
  if (opText === undefined && tolText === undefined && kind !== 'fraction') return bad('start with <, <=, >, >= or ==');
  const value = quantity(valueText, kind);
  if (!value.ok) return bad(value.message);
  const c: Comparator = { op, value: value.value, text: input };
  if (tolText !== undefined) {
    const tol = quantity(tolText, kind);
    if (!tol.ok) return bad(tol.message);
    c.tolerance = tol.value;
  }
  if (kind === 'latency') c.unit = 'ms';
  if (kind === 'throughput') c.unit = '/s';
  return { ok: true, value: c };
}

function quantity(text: string, kind: ComparatorKind): Parsed<number> {
  switch (kind) {
    case 'fraction': {
      const pct = text.endsWith('%');
      const n = parseNumber(pct ? text.slice(0, -1) : text);
      if (n === undefined) return { ok: false, message: `"${text}" is not a number` };
      const v = pct ? n / 100 : n;
      return v <= 1 ? { ok: true, value: v } : { ok: false, message: 'a fraction is between 0 and 1 (or 0% and 100%)' };
    }
    case 'latency': {
      if (parseNumber(text) !== undefined) return { ok: false, message: 'a latency needs a unit' };
      const d = parseDuration(text);
      return d.ok ? d : { ok: false, message: `"${text}" is not a duration` };
    }
    case 'throughput': {
      const r = parseRate(text);
      return r.ok ? r : { ok: false, message: r.message };
    }
  }
}

function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

const RATE = /^(.+?)\s*\/\s*(s|sec|second|m|min|minute|h|hour)$/;
const PER_SECOND: Record<string, number> = { s: 1, sec: 1, second: 1, m: 1 / 60, min: 1 / 60, minute: 1 / 60, h: 1 / 3600, hour: 1 / 3600 };

/** Requests per second in `50/s`, `3000/m`, `10/h`, or a plain number (per second). Must be positive. */
export function parseRate(input: unknown): Parsed<number> {
  const bad = (why: string): Parsed<number> => ({ ok: false, message: `invalid rate ${JSON.stringify(input)}: ${why}` });
  let perSecond: number | undefined;
  if (typeof input === 'number') perSecond = input;
  else if (typeof input === 'string') {
    const m = RATE.exec(input.trim());
    const n = m ? parseNumber(m[1]!) : parseNumber(input.trim());
    perSecond = n === undefined ? undefined : m ? n * PER_SECOND[m[2]!]! : n;
  } else return bad('expected e.g. 50/s, 3000/m or a number per second');
  if (perSecond === undefined) return bad('expected e.g. 50/s, 3000/m or a number per second');
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return bad('must be a positive number');
  return { ok: true, value: perSecond };
}

/** Relative slack so that 85/100 >= 0.85 holds however the division rounds. */
const EPSILON = 1e-9;

export function compare(c: Comparator, actual: number): boolean {
  const slack = EPSILON * Math.max(1, Math.abs(c.value));
  switch (c.op) {
    case '<':
      return actual < c.value - slack;
    case '<=':
      return actual <= c.value + slack;
    case '>':
      return actual > c.value + slack;
    case '>=':
      return actual >= c.value - slack;
    case '==':
      return Math.abs(actual - c.value) <= (c.tolerance ?? 0) + slack;
  }
}
