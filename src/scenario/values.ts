// Small helpers for looking at parsed YAML values and describing them in messages.

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A short description of a value's type for messages: `string "abc"`, `number 3`, `a sequence`. */
export function describe(x: unknown): string {
  if (x === null || x === undefined) return 'nothing';
  if (Array.isArray(x)) return 'a sequence';
  if (typeof x === 'object') return 'a mapping';
  if (typeof x === 'string') return `string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  return `${typeof x} ${String(x)}`;
}

/** An array index far beyond any key `withIntegerKeys` is given. */
const FAR_INDEX = 1 << 24;

/**
 * A copy of a record keyed by integers ("200", "503"). V8 keeps such keys as array elements, and
 * setting "503" on an empty object makes room for 770 of them (~6 KB for a two-key record); an
 * object whose elements once went sparse keeps them in a small dictionary instead.
 */
export function withIntegerKeys<V>(record: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  out[FAR_INDEX] = undefined as V;
  delete out[FAR_INDEX];
  for (const k of Object.keys(record)) out[k] = record[k]!;
  return out;
}
