import { describe, expect, it } from 'vitest';
import { compare, parseComparator, parseRate } from '../../src/scenario/expressions';
import type { Comparator, ComparatorKind } from '../../src/scenario/expressions';

describe('parseComparator', () => {
  it.each<[unknown, ComparatorKind, Omit<Comparator, 'text'>]>([
    ['>=0.85', 'fraction', { op: '>=', value: 0.85 }],
    ['<=0.15', 'fraction', { op: '<=', value: 0.15 }],
    ['0.5', 'fraction', { op: '==', value: 0.5 }],
    [1, 'fraction', { op: '==', value: 1 }],
    ['>= 85%', 'fraction', { op: '>=', value: 0.85 }],
    ['0.5±0.05', 'fraction', { op: '==', value: 0.5, tolerance: 0.05 }],
    ['0.5 +- 0.05', 'fraction', { op: '==', value: 0.5, tolerance: 0.05 }],
    ['50%+/-5%', 'fraction', { op: '==', value: 0.5, tolerance: 0.05 }],
    ['<5ms', 'latency', { op: '<', value: 5, unit: 'ms' }],
    ['>1ms', 'latency', { op: '>', value: 1, unit: 'ms' }],
    ['<=2.5ms', 'latency', { op: '<=', value: 2.5, unit: 'ms' }],
    ['<1s', 'latency', { op: '<', value: 1000, unit: 'ms' }],
    ['==250us', 'latency', { op: '==', value: 0.25, unit: 'ms' }],
    ['2ms±1ms', 'latency', { op: '==', value: 2, tolerance: 1, unit: 'ms' }],
    ['>=900/s', 'throughput', { op: '>=', value: 900, unit: '/s' }],
    ['>=6000/m', 'throughput', { op: '>=', value: 100, unit: '/s' }],
    ['>=900', 'throughput', { op: '>=', value: 900, unit: '/s' }],
  ])('%j as %s', (input, kind, want) => {
    const r = parseComparator(input, kind);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual({ ...want, text: String(input) });
  });

  it.each<[unknown, ComparatorKind, RegExp]>([
    ['>=1.5', 'fraction', /between 0 and 1/],
    ['>=abc', 'fraction', /not a number/],
    ['=>0.5', 'fraction', /invalid fraction expression/],
    ['<5', 'latency', /needs a unit/],
    ['5ms', 'latency', /start with </],
    ['<5 parsecs', 'latency', /invalid latency expression/],
    ['<5xs', 'latency', /not a duration/],
    ['>=0.5±0.1', 'fraction', /± only goes with an exact value/],
    ['>=lots', 'throughput', /invalid throughput expression/],
    ['>=5/d', 'throughput', /invalid throughput expression/],
    [5, 'latency', /invalid latency expression 5/],
    [null, 'fraction', /invalid fraction expression null/],
  ])('%j as %s is refused', (input, kind, why) => {
    const r = parseComparator(input, kind);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(why);
  });
});

describe('compare', () => {
  const c = (text: string, kind: ComparatorKind = 'fraction'): Comparator => {
    const r = parseComparator(text, kind);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  it.each([
    ['>=0.85', 85 / 100, true],
    ['>=0.85', 84 / 100, false],
    ['<=0.15', 15 / 100, true],
    ['<0.15', 15 / 100, false],
    ['>0.15', 16 / 100, true],
    ['0.5±0.05', 0.549, true],
    ['0.5±0.05', 0.56, false],
    ['0.3', 0.1 + 0.2, true],
  ])('%s holds for %d: %s', (text, actual, holds) => {
    expect(compare(c(text), actual)).toBe(holds);
  });
});

describe('parseRate', () => {
  it.each<[unknown, number]>([
    ['50/s', 50],
    ['3000/m', 50],
    ['3600/h', 1],
    ['0.5/s', 0.5],
    [20, 20],
    ['20', 20],
  ])('%j = %d per second', (input, perSecond) => {
    const r = parseRate(input);
    expect(r.ok && r.value).toBeCloseTo(perSecond, 12);
  });

  it.each([['5/d'], ['fast'], [0], [-1], ['0/s'], [null]])('%j is refused', (input) => {
    expect(parseRate(input).ok).toBe(false);
  });
});
