// jsonEqual stands in for comparing JSON texts: it must agree with JSON.stringify on every value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/cluster/equal';

describe('jsonEqual', () => {
  it.each([
    ['same keys, same order', { a: 1, b: [1, 'x'] }, { a: 1, b: [1, 'x'] }, true],
    ['key order matters', { a: 1, b: 2 }, { b: 2, a: 1 }, false],
    ['undefined-valued keys are left out', { a: 1, b: undefined }, { a: 1 }, true],
    ['undefined array items read as null', [undefined, 1], [null, 1], true],
    ['NaN and Infinity read as null', [NaN, Infinity], [null, null], true],
    ['-0 reads as 0', { n: -0 }, { n: 0 }, true],
    ['array is not an object', { 0: 'a' }, ['a'], false],
    ['missing status differs from an empty one', undefined, {}, false],
    ['nested difference', { c: [{ ready: true }] }, { c: [{ ready: false }] }, false],
    ['toJSON is honoured', { t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' }, true],
  ])('%s', (_name, a, b, want) => {
    expect(JSON.stringify(a) === JSON.stringify(b)).toBe(want);
    expect(jsonEqual(a, b)).toBe(want);
  });

  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(fc.constantFrom(null, undefined, NaN, 0, -0, 1, 'a', '', true, false), fc.integer({ min: -3, max: 3 })),
    node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c', '1'), tie('node'), { maxKeys: 3 })),
  })).node;

  it('agrees with comparing JSON texts on arbitrary values', () => {
    fc.assert(fc.property(value, value, (a, b) => jsonEqual(a, b) === (JSON.stringify(a) === JSON.stringify(b))), { numRuns: 2000 });
  });

  it('finds a value equal to its structured clone', () => {
    fc.assert(
      fc.property(value, (a) => {
        const copy = structuredClone(a);
        return jsonEqual(a, copy) === (JSON.stringify(a) === JSON.stringify(copy)) && jsonEqual(a, copy);
      }),
    );
  });
});
