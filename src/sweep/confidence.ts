// Means with 95% confidence intervals over replications (Student's t, two-sided).

/** t(0.975, df) for df = 1..30; beyond that the normal quantile's small-sample correction. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= T975.length) return T975[df - 1]!;
  // Cornish–Fisher expansion around z = 1.96: within 0.001 of the table's values past df 30.
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

export interface MeanCI {
  mean: number;
  /** Half-width of the 95% interval: mean ± ci95. 0 for one replication (no spread to estimate). */
  ci95: number;
  n: number;
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Mean and 95% half-width of the values (rounded to 6 decimals so output is stable text). */
export function meanCI(values: readonly number[]): MeanCI {
  const n = values.length;
  if (n === 0) return { mean: 0, ci95: 0, n: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean: r6(mean), ci95: 0, n };
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return { mean: r6(mean), ci95: r6((tQuantile975(n - 1) * sd) / Math.sqrt(n)), n };
}
