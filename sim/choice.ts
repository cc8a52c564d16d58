// Random choices made from a uniform source, in a form that can be replayed: the choice reports
// the function that maps the uniform value to its outcome, so a caller that remembers earlier
// decisions (the runner's decision memo) can tell from a fresh value alone which branch the
// same code would take, without running it again.

/** Maps a uniform value in [0, 1) to an outcome; the same value always gives the same outcome. */
export type Classifier = (u: number) => number;

/** A uniform source that may want to hear what each of its draws decided. */
export interface NotingSource {
  (): number;
  /** Told, right after a draw, how that draw was turned into an outcome and which it was. */
  note?: (classify: Classifier, outcome: number) => void;
}

/** Draws once and classifies the value; every random choice of the data plane goes through here. */
export function pick(source: () => number, classify: Classifier): number {
  const u = source();
  const outcome = classify(u);
  (source as NotingSource).note?.(classify, outcome);
  return outcome;
}

/** A uniformly random index in [0, n). */
export function pickIndex(source: () => number, n: number): number {
  return pick(source, (u) => Math.floor(u * n));
}

/** True with probability `percent`/100. */
export function pickPercent(source: () => number, percent: number): boolean {
  return pick(source, (u) => (u * 100 < percent ? 1 : 0)) === 1;
}

/**
 * An index drawn in proportion to `weightOf(i)` for i in [0, n) whose weights sum to `total`;
 * rounding leftovers land on the last index.
 */
export function pickWeighted(source: () => number, n: number, total: number, weightOf: (i: number) => number): number {
  return pick(source, (u) => {
    let x = u * total;
    for (let i = 0; i < n; i++) {
      x -= weightOf(i);
      if (x < 0) return i;
    }
    return n - 1;
  });
}
