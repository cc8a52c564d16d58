import { describe, expect, it } from 'vitest';
import { durationValue, parseDuration } from '../../src/scenario/duration';

describe('parseDuration (Go time.ParseDuration syntax)', () => {
  it.each([
    ['100ms', 100],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['250us', 0.25],
    ['250µs', 0.25],
    ['1500ns', 0.0015],
    ['.5s', 500],
    ['0', 0],
    ['0s', 0],
    ['+3s', 3000],
    ['1m0.5s', 60_500],
  ])('%s = %d ms', (text, ms) => {
    const r = parseDuration(text);
    expect(r.ok && r.value).toBeCloseTo(ms, 9);
  });

  it.each([
    ['', /empty/],
    ['30', /expected a number with a unit/],
    ['3 s', /expected a number with a unit/],
    ['1d', /unknown unit "d"/],
    ['-1s', /negative/],
    ['ms', /missing number/],
    ['.s', /missing number/],
    ['1s2', /expected a number with a unit/],
  ])('%j is refused', (text, why) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(why);
  });
});

describe('durationValue (the YAML value of a duration field)', () => {
  it.each([
    [0, true],
    ['30s', true],
    [30, false],
    [true, false],
    [null, false],
  ])('%j ok=%s', (value, ok) => {
    expect(durationValue(value).ok).toBe(ok);
  });

  it('suggests a unit for a bare number', () => {
    const r = durationValue(30);
    expect(!r.ok && r.message).toMatch(/needs a unit, e\.g\. 30s/);
  });
});
