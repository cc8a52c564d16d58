import { describe, expect, it } from 'vitest';
import { distribution, isDistributionError, LatencyStats, LogNormal, normalQuantile, streams, type Distribution } from '../../sim';

function build(spec: unknown): Distribution {
  const d = distribution(spec);
  if (isDistributionError(d)) throw new Error(d.error);
  return d;
}

function sampleStats(d: Distribution, n: number, seed = 'dist'): LatencyStats {
  const rng = streams(seed).get('d');
  // Shift by a constant so normal samples below zero still fit non-negative statistics.
  const shift = 100;
  const s = new LatencyStats({ exactLimit: n });
  for (let i = 0; i < n; i++) s.add(d.sample(rng) + shift);
  return s;
}

describe('distributions from specs', () => {
  it.each([
    { spec: 3, mean: 3, describe: 'constant(3)' },
    { spec: { constant: 1.5 }, mean: 1.5, describe: 'constant(1.5)' },
    { spec: { uniform: { min: 2, max: 4 } }, mean: 3, describe: 'uniform(2, 4)' },
    { spec: { exponential: { mean: 2 } }, mean: 2, describe: 'exponential(mean 2)' },
    { spec: { normal: { mean: 5, sd: 1 } }, mean: 5, describe: 'normal(mean 5, sd 1)' },
    { spec: { lognormal: { p50: 0.1, p99: 0.4 } }, mean: 0.1 * Math.exp((Math.log(4) / 2.3263) ** 2 / 2), describe: 'lognormal(p50 0.1, p99 0.4)' },
    { spec: { empirical: [1, 2, 3, 10] }, mean: 4, describe: 'empirical(1, 2, 3, 10)' },
    { spec: { empirical: { values: [1, 10], weights: [3, 1] } }, mean: 3.25, describe: 'empirical(1, 10, weighted)' },
  ])('$describe: declared mean and sample mean agree', ({ spec, mean, describe: text }) => {
    const d = build(spec);
    expect(d.describe()).toBe(text);
    expect(d.mean()).toBeCloseTo(mean, 3);
    const s = sampleStats(d, 200_000);
    expect(s.mean - 100).toBeCloseTo(mean, 1);
    expect(Math.abs(s.mean - 100 - mean)).toBeLessThan(0.01 * Math.max(1, mean));
  });

  it('lognormal from (p50, p99) reproduces both quantiles', () => {
    const d = LogNormal.fromQuantiles(0.1, 0.4);
    const rng = streams(9).get('ln');
    const s = new LatencyStats({ exactLimit: 400_000 });
    for (let i = 0; i < 400_000; i++) s.add(d.sample(rng));
    expect(s.percentile(50)).toBeGreaterThan(0.1 * 0.99);
    expect(s.percentile(50)).toBeLessThan(0.1 * 1.01);
    expect(s.percentile(99)).toBeGreaterThan(0.4 * 0.97);
    expect(s.percentile(99)).toBeLessThan(0.4 * 1.03);
  });

  it('weighted empirical never picks zero-weight values and respects proportions', () => {
    const d = build({ empirical: { values: [1, 2, 3], weights: [1, 0, 3] } });
    const rng = streams(2).get('e');
    const counts = new Map<number, number>();
    for (let i = 0; i < 40_000; i++) {
      const x = d.sample(rng);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect(counts.has(2)).toBe(false);
    expect((counts.get(3) ?? 0) / 40_000).toBeCloseTo(0.75, 1);
  });

  it('samples depend on the Rng only (a shared distribution does not couple streams)', () => {
    const d = build({ normal: { mean: 0, sd: 1 } });
    const a = streams(1).get('a');
    const b = streams(1).get('a');
    const other = streams(1).get('other');
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      xs.push(d.sample(a));
      d.sample(other);
    }
    expect(xs).toEqual([0, 1, 2, 3, 4].map(() => d.sample(b)));
  });
});

describe('distribution spec errors', () => {
  it.each([
    { spec: 'fast', error: 'a distribution must be a number or an object with one of constant, uniform, exponential, normal, lognormal, empirical; got "fast"' },
    { spec: null, error: 'a distribution must be a number or an object with one of constant, uniform, exponential, normal, lognormal, empirical; got null' },
    { spec: NaN, error: 'constant must be a finite number; got NaN' },
    { spec: {}, error: 'a distribution needs exactly one of constant, uniform, exponential, normal, lognormal, empirical; got keys []' },
    { spec: { gamma: { k: 1 } }, error: 'a distribution needs exactly one of constant, uniform, exponential, normal, lognormal, empirical; got keys [gamma]' },
    { spec: { constant: 1, uniform: { min: 0, max: 1 } }, error: 'a distribution needs exactly one of constant, uniform, exponential, normal, lognormal, empirical; got keys [constant, uniform]' },
    { spec: { constant: '1ms' }, error: 'constant must be a finite number; got "1ms"' },
    { spec: { uniform: { min: 3, max: 1 } }, error: 'uniform.max (1) must be ≥ uniform.min (3)' },
    { spec: { uniform: [0, 1] }, error: 'uniform needs { min, max }; got [0,1]' },
    { spec: { exponential: { mean: 0 } }, error: 'exponential.mean must be > 0 (got 0)' },
    { spec: { exponential: {} }, error: 'exponential.mean must be a finite number; got nothing' },
    { spec: { exponential: { mean: 1, rate: 2 } }, error: 'exponential: unknown field "rate" (expected mean)' },
    { spec: { normal: { mean: 1, sd: -1 } }, error: 'normal.sd must be ≥ 0 (got -1)' },
    { spec: { lognormal: { p50: 0, p99: 1 } }, error: 'lognormal.p50 must be > 0 (got 0)' },
    { spec: { lognormal: { p50: 2, p99: 1 } }, error: 'lognormal.p99 (1) must be ≥ lognormal.p50 (2)' },
    { spec: { lognormal: { p50: 1 } }, error: 'lognormal.p99 must be a finite number; got nothing' },
    { spec: { empirical: [] }, error: 'empirical needs a non-empty list of values (empirical: [..] or empirical: { values: [..], weights: [..] })' },
    { spec: { empirical: [1, 'x'] }, error: 'empirical.values[1] must be a finite number; got "x"' },
    { spec: { empirical: { values: [1, 2], weights: [1] } }, error: 'empirical.weights must be a list as long as empirical.values (2)' },
    { spec: { empirical: { values: [1, 2], weights: [1, -1] } }, error: 'empirical.weights must all be ≥ 0' },
    { spec: { empirical: { values: [1, 2], weights: [0, 0] } }, error: 'empirical.weights must not all be 0' },
  ])('$spec → error', ({ spec, error }) => {
    expect(distribution(spec)).toEqual({ error });
  });
});

describe('the standard normal quantile behind normal and lognormal samples', () => {
  it.each([
    [0.5, 0],
    [0.8413447460685429, 1],
    [0.9772498680518208, 2],
    [0.99, 2.3263478740408408],
    [0.01, -2.3263478740408408],
    [0.001, -3.090232306167813],
    [0.9999, 3.719016485455709],
  ])('Φ⁻¹(%f) = %f', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });

  it('stays finite at the smallest uniform used for a draw of 0', () => {
    const z = normalQuantile(2 ** -53);
    expect(Number.isFinite(z)).toBe(true);
    expect(z).toBeLessThan(-8);
  });

  it('is increasing, so a larger uniform never gives a smaller latency', () => {
    let last = -Infinity;
    for (let i = 1; i < 100_000; i++) {
      const z = normalQuantile(i / 100_000);
      expect(z).toBeGreaterThan(last);
      last = z;
    }
  });
});
