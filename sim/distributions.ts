/**
 * Random variates. Units are the caller's (the simulation uses milliseconds). Every sample draws
 * from the Rng passed in, and distributions keep no state between samples that a sample could
 * depend on (a lognormal's quantile table is built once, from its parameters alone), so one
 * distribution object can be shared by many streams without coupling them.
 */
import type { Rng } from './random';

export interface Distribution {
  sample(rng: Rng): number;
  mean(): number;
  describe(): string;
}

/** z of the standard normal at 0.99: ln(p99/p50) / Z99 is the lognormal sigma. */
const Z99 = 2.3263478740408408;

export class Constant implements Distribution {
  constructor(readonly value: number) {}
  sample(): number {
    return this.value;
  }
  mean(): number {
    return this.value;
  }
  describe(): string {
    return `constant(${fmt(this.value)})`;
  }
}

export class Uniform implements Distribution {
  constructor(readonly min: number, readonly max: number) {}
  sample(rng: Rng): number {
    return this.min + (this.max - this.min) * rng.next();
  }
  mean(): number {
    return (this.min + this.max) / 2;
  }
  describe(): string {
    return `uniform(${fmt(this.min)}, ${fmt(this.max)})`;
  }
}

export class Exponential implements Distribution {
  constructor(readonly meanValue: number) {}
  sample(rng: Rng): number {
    // 1 - u lies in (0, 1], so the log is finite.
    return -this.meanValue * Math.log(1 - rng.next());
  }
  mean(): number {
    return this.meanValue;
  }
  describe(): string {
    return `exponential(mean ${fmt(this.meanValue)})`;
  }
}

// Acklam's rational approximation of the standard normal quantile function (relative error
// below 1.2e-9): one uniform per normal draw and, in the central 95%, no logarithm or square root,
// so a latency sample costs a fraction of a Box-Muller pair.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** The standard normal quantile of p in (0, 1). */
export function normalQuantile(p: number): number {
  if (p < P_LOW) return normalTail(p);
  if (p > 1 - P_LOW) return -normalTail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

function normalTail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
}

/** Smallest uniform used: a draw of exactly 0 would be an infinite quantile. */
const U_MIN = 2 ** -53;

function standardNormal(rng: Rng): number {
  const u = rng.next();
  return normalQuantile(u > 0 ? u : U_MIN);
}

export class Normal implements Distribution {
  constructor(readonly mu: number, readonly sd: number) {}
  sample(rng: Rng): number {
    return this.mu + this.sd * standardNormal(rng);
  }
  mean(): number {
    return this.mu;
  }
  describe(): string {
    return `normal(mean ${fmt(this.mu)}, sd ${fmt(this.sd)})`;
  }
}

/**
 * A lognormal draws through its tabulated quantile function, interpolated linearly between knots:
 * 4096 equal bins of the uniform in the central region, and in each tail 128 bins per octave of
 * the uniform's distance to its end (the nearer the end, the faster the function bends; each
 * octave nearer bends it about as much as the one before). Within 7 parts per million of the exact
 * value for sigma up to 1 (p99 up to 10× p50; the error grows with sigma), far below the model's
 * own precision, and no logarithm or exponential per draw: the tails, a twentieth of the draws,
 * cost as little as the middle.
 */
const QUANTILE_BINS = 4096;
/** Wider lognormals bend too fast between knots: they are always computed. */
const MAX_TABULATED_SIGMA = 1;
/** The central region's first and last knots; draws outside it use the tail knots. */
const FIRST_KNOT = Math.ceil(P_LOW * QUANTILE_BINS);
const LAST_KNOT = Math.floor((1 - P_LOW) * QUANTILE_BINS);
const TABLE_FROM = FIRST_KNOT / QUANTILE_BINS;
const TABLE_TO = LAST_KNOT / QUANTILE_BINS;
/** Bins per octave of a tail: a power of two, so a draw's position in its octave is computed exactly. */
const TAIL_BINS = 128;
/**
 * Octave k holds distances in [2^-(k+1), 2^-k), the one of `Math.clz32(d * 2^32)`: from the octave
 * of the central region's edge to 2^-32. A draw nearer its end than that (one in 4 billion) is
 * computed.
 */
const FIRST_OCTAVE = Math.clz32(TABLE_FROM * 2 ** 32);
const LAST_OCTAVE = 31;
const OCTAVE_KNOTS = TAIL_BINS + 1;
const TAIL_KNOTS = (LAST_OCTAVE - FIRST_OCTAVE + 1) * OCTAVE_KNOTS;
/** Where each tail's knots start in a tail table: the lower tail, then the upper. */
const LOWER = 0;
const UPPER = TAIL_KNOTS;
/** 2^(k+1) by octave k: a distance of octave k times it lies in [1, 2). */
const OCTAVE_SCALE = Float64Array.from({ length: LAST_OCTAVE + 1 }, (_, k) => 2 ** (k + 1));

/** The uniform a knot of a tail table stands for (exact: every one is a short binary fraction). */
function tailUniform(index: number): number {
  const upper = index >= UPPER;
  const knot = upper ? index - UPPER : index;
  const k = FIRST_OCTAVE + Math.floor(knot / OCTAVE_KNOTS);
  const d = (1 + (knot % OCTAVE_KNOTS) / TAIL_BINS) / OCTAVE_SCALE[k]!;
  return upper ? 1 - d : d;
}

/** Central tables and tail tables by (mu, sigma): lognormals of the same figures share them. */
const centralTables = new Map<string, Float64Array>();
const tailTables = new Map<string, Float64Array>();
/** A bounded memo: a knot's value depends only on the figures and its index, so dropping a table changes no draw. */
const MAX_SHARED_TABLES = 256;

function shared(tables: Map<string, Float64Array>, key: string, make: () => Float64Array): Float64Array {
  let t = tables.get(key);
  if (t === undefined) {
    if (tables.size >= MAX_SHARED_TABLES) tables.clear();
    tables.set(key, (t = make()));
  }
  return t;
}

/** The central table of a lognormal not drawn from yet, or too wide to tabulate: no draw reads it. */
const NO_TABLE = new Float64Array(0);

export class LogNormal implements Distribution {
  /** The central region's knots, all computed when the table is first made (a few thousand exact quantiles), shared by key. */
  private central: Float64Array = NO_TABLE;
  /**
   * The uniforms the central table answers: none until the first draw makes the table, so the
   * draws that use it, 95% of them, check nothing else, and a lognormal never drawn costs nothing.
   */
  private from = 2;
  private to = 2;
  /** The tails' knots, made when a draw first falls there and each computed when first needed (0 until then; a quantile is never 0). */
  private tails: Float64Array | undefined;
  private readonly tabulated: boolean;

  /** mu and sigma of the underlying normal. */
  constructor(
    readonly mu: number,
    readonly sigma: number,
  ) {
    this.tabulated = sigma <= MAX_TABULATED_SIGMA;
  }

  /** From two quantiles: mu = ln p50, sigma = (ln p99 − ln p50) / z(0.99). */
  static fromQuantiles(p50: number, p99: number): LogNormal {
    return new LogNormal(Math.log(p50), (Math.log(p99) - Math.log(p50)) / Z99);
  }

  /**
   * One uniform draw through the quantile function, interpolated between the two knots around it,
   * so the stream's later numbers do not depend on the path. A draw at a knot is the exact value.
   */
  sample(rng: Rng): number {
    const u = rng.next();
    return u >= this.from && u < this.to ? this.centralAt(u) : this.outside(u);
  }

  private centralAt(u: number): number {
    const t = this.central;
    const x = u * QUANTILE_BINS;
    const i = x | 0;
    const a = t[i]!;
    return a + (t[i + 1]! - a) * (x - i);
  }

  /** A draw the central table does not answer (yet): the first draw makes it; a tail draw uses the tail knots; a wide lognormal's is computed. */
  private outside(u: number): number {
    if (!this.tabulated) return this.exact(u);
    if (this.central === NO_TABLE) {
      this.central = shared(centralTables, this.figures(), () => this.centralKnots());
      this.from = TABLE_FROM;
      this.to = TABLE_TO;
      if (u >= TABLE_FROM && u < TABLE_TO) return this.centralAt(u);
    }
    // 1 - u is exact for u ≥ 1/2.
    const lower = u < TABLE_FROM;
    const d = lower ? u : 1 - u;
    const k = Math.clz32(d * 2 ** 32);
    if (k > LAST_OCTAVE) return this.exact(u);
    const x = (d * OCTAVE_SCALE[k]! - 1) * TAIL_BINS;
    const at = (lower ? LOWER : UPPER) + (k - FIRST_OCTAVE) * OCTAVE_KNOTS;
    const t = (this.tails ??= shared(tailTables, this.figures(), () => new Float64Array(2 * TAIL_KNOTS)));
    const i = x | 0;
    const a = this.tailKnot(t, at + i);
    return a + (this.tailKnot(t, at + i + 1) - a) * (x - i);
  }

  /** A tail knot's value, computed the first time a draw needs it. */
  private tailKnot(t: Float64Array, index: number): number {
    const v = t[index]!;
    return v !== 0 ? v : (t[index] = this.exact(tailUniform(index)));
  }

  /** The key of the tables lognormals of the same figures share. */
  private figures(): string {
    return `${this.mu} ${this.sigma}`;
  }

  private centralKnots(): Float64Array {
    const t = new Float64Array(LAST_KNOT + 1);
    for (let i = FIRST_KNOT; i <= LAST_KNOT; i++) t[i] = this.exact(i / QUANTILE_BINS);
    return t;
  }

  /** The exact quantile at u (the straightforward inverse transform). */
  exact(u: number): number {
    return Math.exp(this.mu + this.sigma * normalQuantile(u > 0 ? u : U_MIN));
  }
  mean(): number {
    return Math.exp(this.mu + (this.sigma * this.sigma) / 2);
  }
  quantile(z: number): number {
    return Math.exp(this.mu + this.sigma * z);
  }
  describe(): string {
    return `lognormal(p50 ${fmt(Math.exp(this.mu))}, p99 ${fmt(this.quantile(Z99))})`;
  }
}

/** Samples one of the given values, uniformly or with the given non-negative weights. */
export class Empirical implements Distribution {
  readonly values: readonly number[];
  /** Cumulative weights normalised to end at 1; empty when unweighted. */
  private readonly cumulative: Float64Array;

  constructor(values: readonly number[], weights?: readonly number[]) {
    this.values = values.slice();
    this.cumulative = new Float64Array(weights ? weights.length : 0);
    if (weights) {
      const total = weights.reduce((a, b) => a + b, 0);
      let acc = 0;
      for (let i = 0; i < weights.length; i++) {
        acc += weights[i];
        this.cumulative[i] = acc / total;
      }
    }
  }

  sample(rng: Rng): number {
    const u = rng.next();
    const cum = this.cumulative;
    if (cum.length === 0) return this.values[Math.floor(u * this.values.length)];
    // First index whose cumulative weight exceeds u (zero-weight values are never chosen).
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }

  mean(): number {
    const cum = this.cumulative;
    if (cum.length === 0) return this.values.reduce((a, b) => a + b, 0) / this.values.length;
    let m = 0;
    let prev = 0;
    for (let i = 0; i < cum.length; i++) {
      m += this.values[i] * (cum[i] - prev);
      prev = cum[i];
    }
    return m;
  }

  describe(): string {
    const shown = this.values.slice(0, 5).map(fmt).join(', ');
    const more = this.values.length > 5 ? `, … ${this.values.length} values` : '';
    return `empirical(${shown}${more}${this.cumulative.length ? ', weighted' : ''})`;
  }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

// ---------------------------------------------------------------------------------------------
// Factory from plain data (scenario files). Bad input yields { error }, never a throw.

export type DistributionSpec =
  | number
  | { constant: number }
  | { uniform: { min: number; max: number } }
  | { exponential: { mean: number } }
  | { normal: { mean: number; sd: number } }
  | { lognormal: { p50: number; p99: number } }
  | { empirical: readonly number[] | { values: readonly number[]; weights?: readonly number[] } };

export interface DistributionError {
  error: string;
}

type Parsed = Distribution | DistributionError;

const KINDS = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'empirical'] as const;
type Kind = (typeof KINDS)[number];

export function isDistributionError(x: Parsed): x is DistributionError {
  return 'error' in x;
}

/**
 * Builds a distribution from a spec such as `{ lognormal: { p50: 0.1, p99: 0.4 } }`,
 * `{ constant: 1 }` or a bare number (constant). Returns `{ error }` describing the first problem.
 */
export function distribution(spec: unknown): Parsed {
  if (typeof spec === 'number') return finite(spec, 'constant') ?? new Constant(spec);
  if (!isRecord(spec)) return err(`a distribution must be a number or an object with one of ${KINDS.join(', ')}; got ${show(spec)}`);
  const keys = Object.keys(spec);
  if (keys.length !== 1 || !(KINDS as readonly string[]).includes(keys[0])) {
    return err(`a distribution needs exactly one of ${KINDS.join(', ')}; got keys [${keys.join(', ')}]`);
  }
  const kind = keys[0] as Kind;
  return PARSERS[kind](spec[kind]);
}

const PARSERS: Record<Kind, (body: unknown) => Parsed> = {
  constant: (body) => finite(body, 'constant') ?? new Constant(body as number),
  uniform: (body) =>
    fields(body, 'uniform', ['min', 'max'], (min, max) =>
      max >= min ? new Uniform(min, max) : err(`uniform.max (${max}) must be ≥ uniform.min (${min})`),
    ),
  exponential: (body) =>
    fields(body, 'exponential', ['mean'], (mean) =>
      mean > 0 ? new Exponential(mean) : err(`exponential.mean must be > 0 (got ${mean})`),
    ),
  normal: (body) =>
    fields(body, 'normal', ['mean', 'sd'], (mean, sd) =>
      sd >= 0 ? new Normal(mean, sd) : err(`normal.sd must be ≥ 0 (got ${sd})`),
    ),
  lognormal: (body) =>
    fields(body, 'lognormal', ['p50', 'p99'], (p50, p99) => {
      if (!(p50 > 0)) return err(`lognormal.p50 must be > 0 (got ${p50})`);
      if (!(p99 >= p50)) return err(`lognormal.p99 (${p99}) must be ≥ lognormal.p50 (${p50})`);
      return LogNormal.fromQuantiles(p50, p99);
    }),
  empirical: parseEmpirical,
};

function parseEmpirical(body: unknown): Parsed {
  const values = Array.isArray(body) ? body : isRecord(body) ? body.values : undefined;
  const weights = isRecord(body) && !Array.isArray(body) ? body.weights : undefined;
  if (!Array.isArray(values) || values.length === 0) {
    return err('empirical needs a non-empty list of values (empirical: [..] or empirical: { values: [..], weights: [..] })');
  }
  const bad = numberList(values, 'empirical.values');
  if (bad) return bad;
  if (weights === undefined) return new Empirical(values);
  if (!Array.isArray(weights) || weights.length !== values.length) {
    return err(`empirical.weights must be a list as long as empirical.values (${values.length})`);
  }
  const badW = numberList(weights, 'empirical.weights');
  if (badW) return badW;
  if (weights.some((w) => w < 0)) return err('empirical.weights must all be ≥ 0');
  if (!weights.some((w) => w > 0)) return err('empirical.weights must not all be 0');
  return new Empirical(values, weights);
}

function fields(
  body: unknown,
  kind: string,
  names: readonly string[],
  build: (...xs: number[]) => Parsed,
): Parsed {
  if (!isRecord(body)) return err(`${kind} needs { ${names.join(', ')} }; got ${show(body)}`);
  const extra = Object.keys(body).filter((k) => !names.includes(k));
  if (extra.length) return err(`${kind}: unknown field ${extra.map((k) => `"${k}"`).join(', ')} (expected ${names.join(', ')})`);
  const xs: number[] = [];
  for (const name of names) {
    const bad = finite(body[name], `${kind}.${name}`);
    if (bad) return bad;
    xs.push(body[name] as number);
  }
  return build(...xs);
}

function numberList(xs: readonly unknown[], path: string): DistributionError | undefined {
  for (let i = 0; i < xs.length; i++) {
    const bad = finite(xs[i], `${path}[${i}]`);
    if (bad) return bad;
  }
  return undefined;
}

function finite(x: unknown, path: string): DistributionError | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? undefined : err(`${path} must be a finite number; got ${show(x)}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'number') return String(x);
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

function err(error: string): DistributionError {
  return { error };
}
