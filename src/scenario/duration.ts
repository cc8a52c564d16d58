// Durations as Go's time.ParseDuration and Kubernetes write them: `100ms`, `1.5s`, `1h30m`, `250us`.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const COMPONENT = /(\d*(?:\.\d*)?)([a-zµμ]+)/y;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Milliseconds in a Go-style duration. Like Go, every number needs a unit except a bare `0`;
 * unlike Go, negative durations are refused (nothing in a scenario waits backwards).
 */
export function parseDuration(text: string): Parsed<number> {
  const s = text.trim();
  const bad = (why: string): Parsed<number> => ({ ok: false, message: `invalid duration ${JSON.stringify(text)}: ${why}` });
  if (s === '0') return { ok: true, value: 0 };
  if (s === '') return bad('empty');
  if (s.startsWith('-')) return bad('must not be negative');
  let pos = s.startsWith('+') ? 1 : 0;
  let total = 0;
  while (pos < s.length) {
    COMPONENT.lastIndex = pos;
    const m = COMPONENT.exec(s);
    if (!m) return bad('expected a number with a unit such as 100ms, 1.5s, 2m or 1h30m');
    const [, num, unit] = m as unknown as [string, string, string];
    if (num === '' || num === '.') return bad('missing number');
    const factor = UNIT_MS[unit];
    if (factor === undefined) return bad(`unknown unit "${unit}" (use ns, us, ms, s, m or h)`);
    total += Number(num) * factor;
    pos = COMPONENT.lastIndex;
  }
  if (pos === (s.startsWith('+') ? 1 : 0)) return bad('expected a number with a unit');
  if (!Number.isFinite(total)) return bad('too large');
  return { ok: true, value: total };
}

/** Accepts the YAML value of a duration field: a string, or the number 0. */
export function durationValue(value: unknown): Parsed<number> {
  if (value === 0) return { ok: true, value: 0 };
  if (typeof value === 'number') return { ok: false, message: `invalid duration ${value}: a duration needs a unit, e.g. ${value}s or ${value}ms` };
  if (typeof value !== 'string') return { ok: false, message: 'expected a duration such as 100ms, 1.5s or 2m' };
  return parseDuration(value);
}
