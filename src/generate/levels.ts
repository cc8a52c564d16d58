// The levels of the generated call graph: how many services sit at each depth.
import type { GenerateOptions } from './options';

/**
 * Services per call level: level d is weighted fanOut^d, so each level is about fanOut times the
 * one above, with at least one service per level. No calls (fan-out or depth 0): one level.
 */
export function levelSizes(o: Pick<GenerateOptions, 'services' | 'fanOut' | 'depth'>): number[] {
  const count = o.fanOut === 0 ? 1 : o.depth + 1;
  if (!(Number.isInteger(o.services) && Number.isInteger(count) && count >= 1 && count <= o.services)) {
    throw new RangeError(`levelSizes: ${o.services} services cannot fill ${count} levels`);
  }
  const weights = Array.from({ length: count }, (_, d) => Math.max(1, o.fanOut) ** d);
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((o.services * w) / total)));
  // Rounding leftovers go to (or come from) the deepest levels that can take them.
  let rest = o.services - sizes.reduce((a, b) => a + b, 0);
  for (let d = count - 1; rest !== 0; d = d === 0 ? count - 1 : d - 1) {
    if (rest > 0) {
      sizes[d]!++;
      rest--;
    } else if (sizes[d]! > 1) {
      sizes[d]!--;
      rest++;
    }
  }
  return sizes;
}

