import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Counter, LatencyStats, LogNormal, LogSketch, streams } from '../../sim';

function filled(xs: readonly number[], exactLimit?: number): LatencyStats {
  const s = new LatencyStats({ exactLimit });
  for (const x of xs) s.add(x);
  return s;
}

/** Exact linear-interpolation percentile of a sample, the reference the sketch is held to. */
function reference(sorted: readonly number[], p: number): number {
  const r = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(r);
  const hi = Math.ceil(r);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (r - lo);
}

function lognormalSamples(n: number, seed: string): number[] {
  const d = LogNormal.fromQuantiles(1, 20);
  const rng = streams(seed).get('lat');
  return Array.from({ length: n }, () => d.sample(rng));
}

const PS = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

describe('LatencyStats, exact regime', () => {
  it.each([
    { xs: [5], p: 50, want: 5 },
    { xs: [1, 2], p: 50, want: 1.5 },
    { xs: [3, 1, 2, 4], p: 0, want: 1 },
    { xs: [3, 1, 2, 4], p: 100, want: 4 },
    { xs: [3, 1, 2, 4], p: 50, want: 2.5 },
    { xs: [10, 20, 30, 40, 50], p: 90, want: 46 },
    { xs: [0, 0, 0, 100], p: 50, want: 0 },
  ])('percentile($p) of $xs is $want', ({ xs, p, want }) => {
    expect(filled(xs).percentile(p)).toBeCloseTo(want, 12);
  });

  it('tracks count, mean, min, max, and answers NaN when empty', () => {
    const s = filled([4, 1, 7]);
    expect([s.count, s.mean, s.min, s.max, s.exact]).toEqual([3, 4, 1, 7, true]);
    const empty = new LatencyStats();
    expect([empty.mean, empty.min, empty.max, empty.percentile(50)]).toEqual([NaN, NaN, NaN, NaN]);
  });

  it('adds after a percentile query keep answers exact', () => {
    const s = filled([5, 1, 3]);
    expect(s.percentile(50)).toBe(3);
    s.add(0);
    s.add(10);
    expect(s.percentile(50)).toBe(3);
    expect(s.percentile(100)).toBe(10);
  });

  it('answers as a full sort would, with adds between queries and any number of ranks asked (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.double({ min: 0, max: 1e4, noNaN: true })), { maxLength: 60 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (batches, ps) => {
          const s = new LatencyStats();
          const all: number[] = [];
          for (const batch of batches) {
            for (const x of batch) s.add(x);
            all.push(...batch);
            if (all.length === 0) continue;
            const sorted = [...all].sort((a, b) => a - b);
            for (const p of ps) expect(s.percentile(p)).toBe(Math.min(sorted[sorted.length - 1]!, Math.max(sorted[0]!, reference(sorted, p))));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    { name: 'negative', x: -1 },
    { name: 'NaN', x: NaN },
    { name: 'infinite', x: Infinity },
  ])('rejects a $name sample', ({ x }) => {
    expect(() => new LatencyStats().add(x)).toThrow(RangeError);
  });

  it.each([-1, 101, NaN])('rejects percentile(%s)', (p) => {
    expect(() => filled([1]).percentile(p)).toThrow(RangeError);
  });
});

describe('LatencyStats, sketch regime', () => {
  const xs = lognormalSamples(50_000, 'sketch');
  const sorted = [...xs].sort((a, b) => a - b);

  it('switches to the sketch past exactLimit and stays within 1% relative error', () => {
    const s = filled(xs, 1000);
    expect(s.exact).toBe(false);
    expect(s.count).toBe(xs.length);
    expect(s.min).toBe(sorted[0]);
    expect(s.max).toBe(sorted[sorted.length - 1]);
    expect(s.mean).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 9);
    for (const p of PS) {
      const want = reference(sorted, p);
      expect(Math.abs(s.percentile(p) - want) / want, `p${p}`).toBeLessThanOrEqual(0.01);
    }
  });

  it('honours a coarser relative accuracy and can fail a tighter bound', () => {
    const s = new LatencyStats({ exactLimit: 0, relativeAccuracy: 0.05 });
    for (const x of xs) s.add(x);
    const errors = PS.map((p) => Math.abs(s.percentile(p) - reference(sorted, p)) / reference(sorted, p));
    expect(Math.max(...errors)).toBeLessThanOrEqual(0.05);
    expect(Math.max(...errors)).toBeGreaterThan(0.01);
  });

  it('counts values near zero in a zero bucket', () => {
    const s = filled([0, 0, 0, 5, 5], 0);
    expect(s.percentile(25)).toBe(0);
    expect(s.percentile(100)).toBe(5);
  });

  it('puts a value just under 1 in bucket 0 with 1 itself, and one just over 1 in bucket 1', () => {
    const s = new LogSketch();
    for (const x of [0.995, 1, 1.005]) s.add(x);
    const { bins, offset } = s.snapshot();
    expect([bins[0 - offset], bins[1 - offset]]).toEqual([2, 1]);
    expect(bins.reduce((a, b) => a + b, 0)).toBe(3);
  });
});

describe('LatencyStats.merge', () => {
  const a = lognormalSamples(30_000, 'a');
  const b = lognormalSamples(20_000, 'b');
  const all = [...a, ...b].sort((x, y) => x - y);

  it.each([
    { name: 'exact + exact, staying exact', limitA: 100_000, limitB: 100_000, exact: true },
    { name: 'exact + exact, overflowing into the sketch', limitA: 40_000, limitB: 40_000, exact: false },
    { name: 'sketch + exact', limitA: 1000, limitB: 100_000, exact: false },
    { name: 'exact + sketch', limitA: 100_000, limitB: 1000, exact: false },
    { name: 'sketch + sketch', limitA: 1000, limitB: 1000, exact: false },
  ])('$name', ({ limitA, limitB, exact }) => {
    const sa = filled(a, limitA);
    const sb = filled(b, limitB);
    sa.merge(sb);
    expect(sa.exact).toBe(exact);
    expect(sa.count).toBe(all.length);
    expect(sa.min).toBe(all[0]);
    expect(sa.max).toBe(all[all.length - 1]);
    expect(sb.count).toBe(b.length);
    const tolerance = exact ? 1e-12 : 0.01;
    for (const p of PS) {
      const want = reference(all, p);
      expect(Math.abs(sa.percentile(p) - want) / want, `p${p}`).toBeLessThanOrEqual(tolerance);
    }
  });

  it('is deterministic: the same adds and merges give identical answers', () => {
    const run = (): number[] => {
      const s = filled(a, 500);
      s.merge(filled(b, 500));
      return PS.map((p) => s.percentile(p));
    };
    expect(run()).toEqual(run());
  });
});

describe('Counter', () => {
  it('counts per key and lists keys in sorted order', () => {
    const c = new Counter<number>();
    for (const k of [503, 200, 200, 403, 200]) c.add(k);
    c.add(404, 2);
    expect(c.get(200)).toBe(3);
    expect(c.get(500)).toBe(0);
    expect(c.total).toBe(7);
    expect(c.keys()).toEqual([200, 403, 404, 503]);
    expect(c.toObject()).toEqual({ '200': 3, '403': 1, '404': 2, '503': 1 });
  });
});

describe('LatencyStats.pool', () => {
  /** The reference: every run merged in order into a fresh LatencyStats. */
  function mergedInOrder(runs: readonly LatencyStats[], exactLimit?: number): LatencyStats {
    const out = new LatencyStats({ exactLimit });
    for (const r of runs) out.merge(r);
    return out;
  }

  const answers = (s: LatencyStats) => [s.exact, s.count, s.sum, s.min, s.max, ...PS.map((p) => s.percentile(p))];

  it('answers exactly as merging the runs in order, staying exact or taking the sketch (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { maxLength: 60 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 10, max: 200 }),
        fc.integer({ min: 10, max: 200 }),
        (samples, runLimit, poolLimit) => {
          const runs = samples.map((xs) => filled(xs, runLimit));
          const pooled = LatencyStats.pool(structuredClone(runs.map((r) => r.asRun())), { exactLimit: poolLimit });
          expect(answers(pooled)).toEqual(answers(mergedInOrder(runs, poolLimit)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pools 30,000 + 20,000 lognormal samples like merge, on both sides of the exact limit', () => {
    const runs = [filled(lognormalSamples(30_000, 'a')), filled(lognormalSamples(20_000, 'b'))];
    for (const limit of [50_000, 49_999]) {
      const pooled = LatencyStats.pool(runs.map((r) => r.asRun()), { exactLimit: limit });
      expect(pooled.exact).toBe(limit === 50_000);
      expect(answers(pooled)).toEqual(answers(mergedInOrder(runs, limit)));
    }
  });
});
