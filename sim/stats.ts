/**
 * Streaming statistics of non-negative samples (latencies in ms).
 *
 * Up to `exactLimit` samples are kept and percentiles are exact (linear interpolation between
 * closest ranks, like numpy's default). Past that the samples move into a log-bucket sketch in
 * the style of DDSketch: bucket i holds values in (γ^(i-1), γ^i] with γ = (1+α)/(1−α), and its
 * midpoint 2γ^i/(γ+1) is within relative error α of every value in it. Count, sum, min and max
 * stay exact in both regimes. Everything is deterministic: same adds and merges, same answers.
 */

import { selectRank } from './select';

export interface LatencyStatsOptions {
  /** Samples kept exactly before switching to the sketch (default 100,000). */
  exactLimit?: number;
  /** Relative error α of sketch percentiles (default 0.01). */
  relativeAccuracy?: number;
}

/** Ranks selected one by one before the samples are sorted outright (three percentiles read six). */
const MAX_PLACED_RANKS = 8;

/** Values at or below this are counted in the sketch's zero bucket. */
const SKETCH_MIN_VALUE = 1e-9;

export class LogSketch {
  readonly relativeAccuracy: number;
  private readonly gamma: number;
  private readonly lnGamma: number;
  private bins = new Float64Array(0);
  /** Bucket index of bins[0]. */
  private offset = 0;
  private zeroCount = 0;
  private _count = 0;

  constructor(relativeAccuracy = 0.01) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) throw new RangeError(`relative accuracy must be in (0, 1) (got ${relativeAccuracy})`);
    this.relativeAccuracy = relativeAccuracy;
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.lnGamma = Math.log(this.gamma);
  }

  get count(): number {
    return this._count;
  }

  add(x: number, n = 1): void {
    this._count += n;
    if (x <= SKETCH_MIN_VALUE) {
      this.zeroCount += n;
      return;
    }
    // `| 0` makes the -0 that Math.ceil gives for values just under 1 a 0: the same bucket, and the
    // small integer V8 optimized the bucket arithmetic for.
    const k = Math.ceil(Math.log(x) / this.lnGamma) | 0;
    this.ensure(k, k);
    this.bins[k - this.offset] += n;
  }

  /** Value at 0-based rank r (0 ≤ r < count), within the relative accuracy. */
  valueAtRank(r: number): number {
    let seen = this.zeroCount;
    if (r < seen) return 0;
    const bins = this.bins;
    for (let i = 0; i < bins.length; i++) {
      seen += bins[i];
      if (r < seen) return (2 * Math.pow(this.gamma, i + this.offset)) / (this.gamma + 1);
    }
    return (2 * Math.pow(this.gamma, bins.length - 1 + this.offset)) / (this.gamma + 1);
  }

  /** The sketch's state as plain data (JSON-safe), for moving it between threads or processes. */
  snapshot(): LogSketchSnapshot {
    return { relativeAccuracy: this.relativeAccuracy, bins: Array.from(this.bins), offset: this.offset, zeroCount: this.zeroCount, count: this._count };
  }

  static fromSnapshot(s: LogSketchSnapshot): LogSketch {
    const sketch = new LogSketch(s.relativeAccuracy);
    sketch.bins = Float64Array.from(s.bins);
    sketch.offset = s.offset;
    sketch.zeroCount = s.zeroCount;
    sketch._count = s.count;
    return sketch;
  }

  merge(other: LogSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy) throw new RangeError('cannot merge sketches of different accuracy');
    this._count += other._count;
    this.zeroCount += other.zeroCount;
    const ob = other.bins;
    let first = -1;
    let last = -1;
    for (let i = 0; i < ob.length; i++) {
      if (ob[i] !== 0) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) return;
    this.ensure(first + other.offset, last + other.offset);
    for (let i = first; i <= last; i++) this.bins[i + other.offset - this.offset] += ob[i];
  }

  /** Makes bucket indices lo..hi addressable, growing with slack so repeated growth is rare. */
  private ensure(lo: number, hi: number): void {
    const len = this.bins.length;
    if (len !== 0 && lo >= this.offset && hi < this.offset + len) return;
    const curLo = len === 0 ? lo : Math.min(lo, this.offset);
    const curHi = len === 0 ? hi : Math.max(hi, this.offset + len - 1);
    const slack = Math.max(32, (curHi - curLo + 1) >> 1);
    const newLo = curLo - slack;
    const bins = new Float64Array(curHi - curLo + 1 + 2 * slack);
    if (len !== 0) bins.set(this.bins, this.offset - newLo);
    this.bins = bins;
    this.offset = newLo;
  }
}

export interface LogSketchSnapshot {
  relativeAccuracy: number;
  bins: number[];
  offset: number;
  zeroCount: number;
  count: number;
}

/**
 * One run's latency as another thread pools it with other runs: its exact totals, its samples
 * while they are exact, and its sketch (cheap to merge when the pool outgrows exact samples).
 */
export interface LatencyRun {
  count: number;
  sum: number;
  min: number;
  max: number;
  samples?: Float64Array;
  sketch: LogSketchSnapshot;
}

export class LatencyStats {
  readonly exactLimit: number;
  readonly relativeAccuracy: number;
  private _count = 0;
  private _sum = 0;
  private _min = Infinity;
  private _max = -Infinity;
  /** Exact samples, the first `stored` of them valid; null once the sketch took over. */
  private samples: Float64Array | null = new Float64Array(64);
  private stored = 0;
  private sorted = true;
  /**
   * Ranks already selected in place (ascending), each sample before one no greater and each after
   * it no smaller, valid while `stored` is `placedFor`: they bound the next selection's range.
   */
  private placed: number[] = [];
  private placedFor = 0;
  private sketch: LogSketch | null = null;

  constructor(options: LatencyStatsOptions = {}) {
    this.exactLimit = options.exactLimit ?? 100_000;
    this.relativeAccuracy = options.relativeAccuracy ?? 0.01;
    if (!(this.exactLimit >= 0)) throw new RangeError(`exactLimit must be ≥ 0 (got ${this.exactLimit})`);
  }

  get count(): number {
    return this._count;
  }
  get sum(): number {
    return this._sum;
  }
  /** NaN when empty. */
  get mean(): number {
    return this._count === 0 ? NaN : this._sum / this._count;
  }
  /** NaN when empty. */
  get min(): number {
    return this._count === 0 ? NaN : this._min;
  }
  /** NaN when empty. */
  get max(): number {
    return this._count === 0 ? NaN : this._max;
  }
  /** True while percentiles are exact. */
  get exact(): boolean {
    return this.sketch === null;
  }

  add(x: number): void {
    if (!(x >= 0 && x < Infinity)) throw new RangeError(`LatencyStats.add: value must be a finite number ≥ 0 (got ${x})`);
    this._count++;
    this._sum += x;
    if (x < this._min) this._min = x;
    if (x > this._max) this._max = x;
    if (this.sketch !== null) {
      this.sketch.add(x);
      return;
    }
    if (this._count > this.exactLimit) {
      this.toSketch().add(x);
      return;
    }
    this.pushSample(x);
  }

  /** p in [0, 100]; NaN when empty. */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100] (got ${p})`);
    const n = this._count;
    if (n === 0) return NaN;
    const r = (p / 100) * (n - 1);
    const lo = Math.floor(r);
    const hi = Math.ceil(r);
    const f = r - lo;
    let a: number;
    let b: number;
    if (this.sketch === null) {
      a = this.sampleAtRank(lo);
      b = hi === lo ? a : this.sampleAtRank(hi);
    } else {
      a = this.sketch.valueAtRank(lo);
      b = hi === lo ? a : this.sketch.valueAtRank(hi);
    }
    const v = a + (b - a) * f;
    return Math.min(this._max, Math.max(this._min, v));
  }

  /** These samples as one run for `pool` (structured-clone safe). */
  asRun(): LatencyRun {
    const base = { count: this._count, sum: this._sum, min: this._min, max: this._max };
    if (this.sketch !== null) return { ...base, sketch: this.sketch.snapshot() };
    const samples = (this.samples as Float64Array).slice(0, this.stored);
    const sketch = new LogSketch(this.relativeAccuracy);
    for (let i = 0; i < samples.length; i++) sketch.add(samples[i]);
    return { ...base, samples, sketch: sketch.snapshot() };
  }

  /**
   * The runs together, exactly as merging them in order into a fresh LatencyStats would give: the
   * samples while the total stays within `exactLimit`, the sum of their sketches past it (a
   * sketch's buckets are counts, so merged sketches equal one fed every sample).
   */
  static pool(runs: readonly LatencyRun[], options: LatencyStatsOptions = {}): LatencyStats {
    const out = new LatencyStats(options);
    let total = 0;
    for (const r of runs) total += r.count;
    if (total <= out.exactLimit && runs.every((r) => r.count === 0 || r.samples !== undefined)) {
      const all = new Float64Array(Math.max(total, 64));
      for (const r of runs) {
        if (r.count === 0) continue;
        all.set(r.samples as Float64Array, out.stored);
        out.stored += r.count;
      }
      out.samples = all;
      // Sorting is left to the first percentile asked for.
      out.sorted = false;
    } else {
      const sketch = new LogSketch(out.relativeAccuracy);
      for (const r of runs) if (r.count !== 0) sketch.merge(LogSketch.fromSnapshot(r.sketch));
      out.sketch = sketch;
      out.samples = null;
    }
    for (const r of runs) {
      if (r.count === 0) continue;
      out._count += r.count;
      out._sum += r.sum;
      if (r.min < out._min) out._min = r.min;
      if (r.max > out._max) out._max = r.max;
    }
    return out;
  }

  /** Adds `other`'s samples to this one (other is unchanged). */
  merge(other: LatencyStats): void {
    if (other._count === 0) return;
    if (this.sketch === null && other.sketch === null && this._count + other._count <= this.exactLimit) {
      const src = other.samples as Float64Array;
      for (let i = 0; i < other._count; i++) this.pushSample(src[i]);
    } else {
      const mine = this.sketch ?? this.toSketch();
      if (other.sketch !== null) mine.merge(other.sketch);
      else {
        const src = other.samples as Float64Array;
        for (let i = 0; i < other._count; i++) mine.add(src[i]);
      }
    }
    this._count += other._count;
    this._sum += other._sum;
    if (other._min < this._min) this._min = other._min;
    if (other._max > this._max) this._max = other._max;
  }

  private pushSample(x: number): void {
    let s = this.samples as Float64Array;
    const n = this.stored;
    if (n === s.length) {
      const bigger = new Float64Array(Math.min(s.length * 2, Math.max(this.exactLimit, 64)));
      bigger.set(s);
      this.samples = s = bigger;
    }
    s[n] = x;
    this.stored = n + 1;
    if (n > 0 && x < s[n - 1]) this.sorted = false;
  }

  /** The exact sample of rank `k`, selected in place (sim/select.ts); sorted outright once many ranks were asked. */
  private sampleAtRank(k: number): number {
    const s = this.samples as Float64Array;
    if (this.sorted) return s[k];
    const placed = this.placed;
    if (this.placedFor !== this.stored) {
      placed.length = 0;
      this.placedFor = this.stored;
    }
    if (placed.length >= MAX_PLACED_RANKS) {
      s.subarray(0, this.stored).sort();
      this.sorted = true;
      return s[k];
    }
    let left = 0;
    let right = this.stored - 1;
    let at = 0;
    for (; at < placed.length; at++) {
      const p = placed[at];
      if (p === k) return s[k];
      if (p > k) {
        right = p - 1;
        break;
      }
      left = p + 1;
    }
    selectRank(s, k, left, right);
    placed.splice(at, 0, k);
    return s[k];
  }

  private toSketch(): LogSketch {
    const sketch = new LogSketch(this.relativeAccuracy);
    const s = this.samples as Float64Array;
    for (let i = 0; i < this.stored; i++) sketch.add(s[i]);
    this.samples = null;
    this.stored = 0;
    this.sketch = sketch;
    return sketch;
  }
}

/** Counts per key, e.g. response statuses. `toObject()` lists keys in sorted order for stable output. */
export class Counter<K extends string | number = string> {
  private readonly counts = new Map<K, number>();
  private _total = 0;

  add(key: K, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    this._total += n;
  }
  get(key: K): number {
    return this.counts.get(key) ?? 0;
  }
  get total(): number {
    return this._total;
  }
  keys(): K[] {
    return [...this.counts.keys()].sort(compareKeys);
  }
  toObject(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of this.keys()) out[String(k)] = this.counts.get(k) as number;
    return out;
  }
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
