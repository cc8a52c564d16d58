// selectRank puts one order statistic in place without sorting the rest: the sample of rank k at
// index k, nothing greater before it, nothing smaller after it, whatever the input's order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectRank } from '../../sim/select';

/** Whether `a[k]` is the rank-k value of `a[left..right]` with the range partitioned around it. */
function placedAt(a: Float64Array, k: number, left: number, right: number, want: number): boolean {
  if (a[k] !== want) return false;
  for (let i = left; i < k; i++) if (a[i]! > a[k]!) return false;
  for (let i = k + 1; i <= right; i++) if (a[i]! < a[k]!) return false;
  return true;
}

function check(values: readonly number[], k: number): void {
  const a = Float64Array.from(values);
  const want = Float64Array.from(values).sort()[k]!;
  selectRank(a, k, 0, a.length - 1);
  expect(placedAt(a, k, 0, a.length - 1, want)).toBe(true);
  expect([...a].sort((x, y) => x - y)).toEqual([...values].sort((x, y) => x - y));
}

/** A median-of-three killer: every pivot the partition picks is near the range's edge. */
function medianOfThreeKiller(n: number): number[] {
  const a = new Array<number>(n);
  const half = n >> 1;
  for (let i = 1; i <= half; i++) {
    if (i % 2 === 1) {
      a[i - 1] = i;
      a[i] = half + i;
    }
    a[half + i - 1] = 2 * i;
  }
  return a.map((x, i) => x ?? i);
}

describe('selectRank', () => {
  it('places the rank-k sample with the range partitioned around it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        (values, r) => check(values, r % values.length),
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    { name: 'ascending', values: Array.from({ length: 5000 }, (_, i) => i) },
    { name: 'descending', values: Array.from({ length: 5000 }, (_, i) => 5000 - i) },
    { name: 'all equal', values: Array.from({ length: 5000 }, () => 7) },
    { name: 'organ pipe', values: Array.from({ length: 5000 }, (_, i) => Math.min(i, 5000 - i)) },
    { name: 'a median-of-three killer', values: medianOfThreeKiller(5000) },
  ])('handles $name input', ({ values }) => {
    for (const k of [0, 1, 2499, 2500, 4950, 4999]) check(values, k);
  });

  it('selects within a sub-range and leaves the rest alone', () => {
    const a = Float64Array.from([9, 8, 5, 1, 4, 3, 2, 0, 7]);
    selectRank(a, 4, 2, 6);
    expect([a[0], a[1], a[7], a[8]]).toEqual([9, 8, 0, 7]);
    expect(placedAt(a, 4, 2, 6, 3)).toBe(true);
  });
});
