import { describe, expect, it } from 'vitest';
import { distribution, isDistributionError, LatencyStats, LogNormal, normalQuantile, streams, type Distribution, type Rng } from '../../sim';

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

/** An Rng that hands out the given uniforms, so a draw can be compared with the exact quantile of its uniform. */
function fixedRng(): { rng: Rng; set(u: number): void } {
  let u = 0;
  return { rng: { next: () => u } as unknown as Rng, set: (x) => (u = x) };
}

describe('lognormal draws through a tabulated quantile function', () => {
  /** The largest relative error of a draw from the exact quantile of its uniform, over lognormals up to sigma 1. */
  function worstError(uniforms: number[]): number {
    const { rng, set } = fixedRng();
    let worst = 0;
    for (const sigma of [0.05, 0.3, 0.6, 1]) {
      for (const mu of [-7, 0, 4]) {
        const d = new LogNormal(mu, sigma);
        for (const u of uniforms) {
          set(u);
          const exact = d.exact(u);
          worst = Math.max(worst, Math.abs(d.sample(rng) - exact) / exact);
        }
      }
    }
    return worst;
  }

  it('a central draw stays within 7 parts per million of the exact quantile of its uniform, up to sigma 1', () => {
    // Dense enough to land between every pair of knots, at several offsets.
    expect(worstError(Array.from({ length: 200_001 }, (_, k) => 0.02425 + (0.9515 * k) / 200_000))).toBeLessThan(7e-6);
  });

  it('a tail draw (the outer 2.4% at each end) stays within 7 parts per million of the exact quantile, down to 2^-32 from either end', () => {
    // Every octave of the distance to an end, at 1,000 points each: between every pair of its 128 knots.
    const uniforms: number[] = [];
    for (let k = 5; k <= 31; k++) {
      for (let j = 0; j < 1_000; j++) {
        const distance = 2 ** -(k + 1) * (1 + (j + 0.37) / 1_000);
        if (distance < 100 / 4096) uniforms.push(distance, 1 - distance);
      }
    }
    expect(worstError(uniforms)).toBeLessThan(7e-6);
  });

  it('draws at the knots, at 0 and nearer an end than 2^-32 are the exact quantile', () => {
    const { rng, set } = fixedRng();
    const d = LogNormal.fromQuantiles(0.1, 0.4);
    const knots = [100 / 4096, 0.5, 3995 / 4096, 3996 / 4096, 2 ** -6, 2 ** -6 * (1 + 5 / 128), 2 ** -20, 1 - 2 ** -9, 1 - 2 ** -20 * (1 + 77 / 128), 2 ** -32];
    for (const u of [0, 1e-12, 2 ** -33, 1 - 2 ** -40, 1 - 2 ** -53, ...knots]) {
      set(u);
      expect(d.sample(rng)).toBe(d.exact(u));
    }
  });

  it('a larger uniform never gives a smaller draw, across the joins of table and tails too', () => {
    const { rng, set } = fixedRng();
    const draw = (d: LogNormal, u: number) => {
      set(u);
      return d.sample(rng);
    };
    /** Uniforms where the draw fell below the one before. */
    const decreases = (d: LogNormal, us: number[]) => us.filter((u, k) => k > 0 && draw(d, u) < draw(d, us[k - 1]!));
    const around = (join: number, step: number) => Array.from({ length: 4_001 }, (_, k) => join + (k - 2_000) * step).filter((u) => u >= 0 && u < 1);
    for (const d of [LogNormal.fromQuantiles(0.1, 0.4), new LogNormal(0, 1), new LogNormal(2, 0.05)]) {
      // The central table's edges, and octaves of the tails (where one octave's knots give way to the next).
      for (const join of [100 / 4096, 3996 / 4096, 2 ** -6, 2 ** -7, 2 ** -20, 1 - 2 ** -8, 1 - 2 ** -30]) {
        expect(decreases(d, around(join, 2 ** -40))).toEqual([]);
        expect(decreases(d, around(join, 1e-6))).toEqual([]);
      }
      expect(decreases(d, Array.from({ length: 99_999 }, (_, k) => (k + 1) / 100_000))).toEqual([]);
    }
  });

  it('a lognormal wider than sigma 1 (p99 over 10× p50) is always computed exactly', () => {
    const { rng, set } = fixedRng();
    const d = LogNormal.fromQuantiles(1, 20);
    expect(d.sigma).toBeGreaterThan(1);
    for (const u of [0.1, 0.5, 0.77]) {
      set(u);
      expect(d.sample(rng)).toBe(d.exact(u));
    }
  });

  it('a draw depends only on (mu, sigma) and the uniform, not on which knots or tables were built before', () => {
    const draws = (d: LogNormal, seed = 4) => {
      const rng = streams(seed).get('t');
      return Array.from({ length: 2_000 }, () => d.sample(rng));
    };
    const first = draws(new LogNormal(-2, 0.5));
    // Another lognormal of the same figures shares the table, whose knots other draws filled first.
    const shared = new LogNormal(-2, 0.5);
    draws(shared, 5);
    expect(draws(shared)).toEqual(first);
    // Hundreds of other lognormals fill the shared tables past their bound, which drops them all.
    for (let i = 0; i < 600; i++) new LogNormal(i / 100, 0.5).sample(streams(i).get('x'));
    expect(draws(new LogNormal(-2, 0.5))).toEqual(first);
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
