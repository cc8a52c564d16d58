// `-o json` is written in pieces, so a result larger than the longest string V8 makes still goes
// out; the text must be byte for byte what JSON.stringify(value, null, 2) makes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces, writeJson } from '../../src/cli/json-pieces';

const whole = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

function written(v: unknown): string {
  const out: string[] = [];
  writeJson(v, (t) => out.push(t));
  return out.join('');
}

describe('JSON in pieces', () => {
  it('is the text JSON.stringify(value, null, 2) makes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => {
        expect(written(v)).toBe(whole(v));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves out what JSON leaves out: undefined and function members, undefined array items as null, toJSON honoured', () => {
    const v = { a: undefined, b: [undefined, () => 1, 'x\ny'], c: { toJSON: () => 'custom' }, d: new Date(0), e: { f: { g: { h: { i: [1, { j: undefined }] } } } } };
    expect(written(v)).toBe(whole(v));
    fc.assert(
      fc.property(fc.anything({ maxDepth: 6, withBoxedValues: false, withMap: false, withSet: false, withTypedArray: false, withSparseArray: false, withBigInt: false }), (x) => {
        fc.pre(x !== undefined && typeof x !== 'symbol');
        expect(written(x)).toBe(whole(x));
      }),
      { numRuns: 300 },
    );
  });

  it('hands a large result over in many pieces', () => {
    const steps = Array.from({ length: 50 }, (_, i) => ({ name: `s${i}`, requests: Array.from({ length: 200 }, (_, j) => ({ id: j, path: 'x'.repeat(50) })) }));
    expect([...jsonPieces({ steps })].length).toBeGreaterThan(10_000);
    expect(written({ steps })).toBe(whole({ steps }));
  });
});
