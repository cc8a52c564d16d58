import { describe, expect, it } from 'vitest';
import { objectArray, slotArray } from '../../src/run/object-arrays';

describe('arrays made with their elements kind settled', () => {
  it('objectArray starts empty, a new array each call, and takes pushes', () => {
    const a = objectArray<{ n: number }>();
    const b = objectArray<{ n: number }>();
    expect(a).toEqual([]);
    expect(a).not.toBe(b);
    a.push({ n: 1 }, { n: 2 });
    expect(a).toEqual([{ n: 1 }, { n: 2 }]);
    expect(b).toEqual([]);
  });

  it('slotArray has n undefined entries, none of them holes', () => {
    const s = slotArray<string>(3);
    expect(s).toHaveLength(3);
    expect(Object.keys(s)).toEqual(['0', '1', '2']);
    expect(s.every((x) => x === undefined)).toBe(true);
    expect(slotArray(0)).toEqual([]);
  });
});
