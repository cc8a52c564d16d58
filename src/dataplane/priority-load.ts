// Envoy's priority levels (load_balancer_impl.cc: recalculatePerPriorityState,
// recalculatePerPriorityPanic, recalculateLoadInTotalPanic, choosePriority). Istio puts a waypoint's
// endpoints into priorities by locality when failover is on; Envoy then shares the load between
// priorities by their health, in integer percent: a priority's health is its healthy share of
// hosts times the overprovisioning factor (140%), capped at 100, so the first priority keeps all the
// traffic until fewer than ~71.4% of its hosts are healthy and spills the rest to the next.

/** Envoy's default overprovisioning factor, in percent (Istio does not set one). */
export const OVERPROVISIONING_FACTOR = 140;

export interface LevelHealth {
  /** Hosts Envoy considers healthy (not ejected by outlier detection). */
  healthy: number;
  total: number;
}

export interface PriorityLoad {
  /** Percent of requests each priority takes; sums to 100. */
  load: number[];
  /** Priorities in panic: they balance over all their hosts, healthy or not. */
  panic: boolean[];
}

/** A priority's health score: healthy share × overprovisioning factor, capped at 100 (integer). */
export function levelHealth(l: LevelHealth): number {
  return l.total === 0 ? 0 : Math.min(100, Math.floor((OVERPROVISIONING_FACTOR * l.healthy) / l.total));
}

/**
 * How Envoy shares requests between priority levels. `panicThreshold` is the cluster's
 * healthy_panic_threshold in percent: Istio sets the DestinationRule's
 * outlierDetection.minHealthPercent there, 0 (never panic) by default.
 */
export function priorityLoad(levels: readonly LevelHealth[], panicThreshold: number): PriorityLoad {
  const n = levels.length;
  const load = new Array<number>(n).fill(0);
  const panic = new Array<boolean>(n).fill(false);
  if (n === 0) return { load, panic };
  const health = levels.map(levelHealth);
  const normalized = Math.min(100, health.reduce((a, b) => a + b, 0));
  // Nothing healthy and panic off: all load to the first priority, which has no host to give.
  if (panicThreshold === 0 && normalized === 0) {
    load[0] = 100;
    return { load, panic };
  }
  if (normalized > 0) {
    // Each priority in order takes its health scaled to the normalized total; rounding leftovers
    // go to the first priority with any health.
    let remaining = 100;
    let first = -1;
    for (let i = 0; i < n; i++) {
      if (first < 0 && health[i]! > 0) first = i;
      load[i] = Math.min(remaining, Math.floor((health[i]! * 100) / normalized));
      remaining -= load[i]!;
    }
    if (remaining !== 0) load[first]! += remaining;
  }
  // A level panics when its healthy share is under the threshold, but never while the levels
  // together are healthy enough for all the load.
  let total = true;
  for (let i = 0; i < n; i++) {
    const l = levels[i]!;
    const healthyPercent = l.total === 0 ? 0 : (100 * l.healthy) / l.total;
    panic[i] = normalized === 0 ? true : normalized === 100 ? false : healthyPercent < panicThreshold;
    total &&= panic[i]!;
  }
  if (total) return { load: loadInTotalPanic(levels), panic };
  return { load, panic };
}

/** Every level in panic: the load follows the levels' host counts, health aside. */
function loadInTotalPanic(levels: readonly LevelHealth[]): number[] {
  const load = new Array<number>(levels.length).fill(0);
  const hosts = levels.reduce((a, l) => a + l.total, 0);
  if (hosts === 0) {
    load[0] = 100;
    return load;
  }
  let remaining = 100;
  let first = -1;
  levels.forEach((l, i) => {
    if (first < 0 && l.total !== 0) first = i;
    load[i] = Math.floor((100 * l.total) / hosts);
    remaining -= load[i]!;
  });
  load[first]! += remaining;
  return load;
}

/** The priority a uniform value in [0, 1) falls on: Envoy draws 1..100 and walks the cumulative load. */
export function choosePriority(load: readonly number[], u: number): number {
  const hash = Math.floor(u * 100) + 1;
  let cumulative = 0;
  for (let i = 0; i < load.length; i++) {
    cumulative += load[i]!;
    if (hash <= cumulative) return i;
  }
  return 0;
}
