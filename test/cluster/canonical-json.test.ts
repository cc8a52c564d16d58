// canonicalJson is JSON.stringify with every object's keys sorted: equal objects written in any key
// order give one text, which the pod-template hash and "unchanged" applies rely on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/cluster/names';

/** The same value with every object's keys inserted in sorted order. */
function sortedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedCopy);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  // defined, not assigned: a `__proto__` key is data like any other
  for (const k of Object.keys(v).sort()) Object.defineProperty(out, k, { value: sortedCopy((v as Record<string, unknown>)[k]), enumerable: true });
  return out;
}

/** JSON values with keys holding undefined and arrays holding undefined, which JSON drops or writes as null. */
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constant(undefined),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 4 }),
  ),
})).v;

describe('canonicalJson', () => {
  // the copy is built by inserting sorted keys, so keys that are array indices come first, by value
  it('writes what JSON.stringify writes for a copy built with sorted keys', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(JSON.stringify(sortedCopy(v)));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives one text for objects written in different key orders', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe(canonicalJson({ a: null, b: [{ c: 2, d: 1 }] }));
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]');
    expect(canonicalJson({ b: 1, 10: 1, 9: 1, a: 1 })).toBe('{"9":1,"10":1,"a":1,"b":1}');
  });
});
