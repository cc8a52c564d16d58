// The caches of shared values (port maps, rollout annotations, pod conditions, interned parts) are
// module-level, so a long-lived process (a sweep, a lab session) meets ever more distinct values:
// each cache empties itself at its bound instead of growing, and what it handed out stays intact.
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/bounded-map';
import { intern } from '../../src/cluster/seal';

describe('a bounded cache of shared values', () => {
  it('holds at most its limit, emptying itself before it takes a new key', () => {
    const m = new BoundedMap<string, number>(3);
    for (const k of ['a', 'b', 'c']) m.set(k, k.charCodeAt(0));
    expect(m.size).toBe(3);
    m.set('d', 100);
    expect([...m]).toEqual([['d', 100]]);
  });

  it('replaces the value of a key it holds without emptying itself', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 3);
    expect([...m]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  it('never holds more than its limit however many keys come', () => {
    const m = new BoundedMap<number, number>(16);
    let most = 0;
    for (let i = 0; i < 1000; i++) most = Math.max(most, m.set(i, i).size);
    expect(most).toBe(16);
  });

  it('interning past the bound still gives an equal value, and earlier ones stay as they were', () => {
    const first = intern({ phase: 'Running', n: 0 });
    for (let i = 1; i <= 2000; i++) intern({ phase: 'Running', n: i });
    const again = intern({ phase: 'Running', n: 0 });
    expect(again).toEqual(first);
    expect(first).toEqual({ phase: 'Running', n: 0 });
    expect(Object.isFrozen(first)).toBe(true);
  });
});
