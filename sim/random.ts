/**
 * Named, seeded random streams.
 *
 * Each stream is an independent Alea generator (seedrandom.alea) seeded from the string
 * `"<seed>/<name>"`. Alea's Mash hash spreads the whole string over its state, so streams with
 * different names are unrelated, and creating or drawing from one stream never shifts another's
 * numbers. Alea is the fastest generator seedrandom ships (~2 ns per draw), passes BigCrush, and
 * has a four-number state, so creating thousands of named streams is cheap (xor4096 needs a
 * 4096-bit state and a warm-up per stream, which only pays off for periods we do not need).
 */
import seedrandom from 'seedrandom';

export type Seed = number | string;

export class Rng {
  /** The raw generator: a `() => number` in [0, 1) for pure functions that take randomness as an argument. */
  readonly random: () => number;

  constructor(readonly seed: string) {
    this.random = seedrandom.alea(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.random();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    if (!(n >= 1)) throw new RangeError(`Rng.int: n must be ≥ 1 (got ${n})`);
    return Math.floor(this.random() * Math.floor(n));
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.random();
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.random() < p;
  }

  /** One element, uniformly. */
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('Rng.pick: empty array');
    return xs[Math.floor(this.random() * xs.length)];
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
    }
    return xs;
  }
}

/** The set of named streams of one seed. `get(name)` returns the same stateful Rng each time. */
export class Streams {
  private readonly byName = new Map<string, Rng>();

  constructor(readonly seed: Seed) {}

  get(name: string): Rng {
    let rng = this.byName.get(name);
    if (rng === undefined) {
      rng = new Rng(`${this.seed}/${name}`);
      this.byName.set(name, rng);
    }
    return rng;
  }
}

export function streams(seed: Seed): Streams {
  return new Streams(seed);
}
