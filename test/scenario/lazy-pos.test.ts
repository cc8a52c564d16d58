import { describe, expect, it } from 'vitest';
import { withPos } from '../../src/scenario/lazy-pos';

describe('withPos', () => {
  const where = { file: 'f.yaml', line: 2, col: 3 };

  it('looks the position up on first read only, and keeps the key order of a spread', () => {
    let lookups = 0;
    const o = withPos({ a: 1 }, () => (lookups++, where), { b: 2 });
    expect(lookups).toBe(0);
    expect(Object.keys(o)).toEqual(['a', 'pos', 'b']);
    expect({ ...o }).toEqual({ a: 1, pos: where, b: 2 });
    expect(o.pos).toBe(o.pos);
    expect(lookups).toBe(1);
  });

  it('takes a position written to it', () => {
    const o = withPos({}, () => where, {});
    o.pos = { file: 'g.yaml', line: 9, col: 1 };
    expect(o.pos).toEqual({ file: 'g.yaml', line: 9, col: 1 });
  });
});
