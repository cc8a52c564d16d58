// When a hop held a request. The result records only when the request reached each hop (`atMs`)
// and when the client got its answer (`latencyMs`); the way back is not recorded. We assume it is
// symmetric: the response passes a hop as long before the end as the request reached it after the
// start, so a hop reached at `a` holds the request during [a, latency − a].
import type { Hop } from '../result/types';

export interface Window {
  startMs: number;
  endMs: number;
}

/** `atMs` of hop `i`, or of the closest earlier hop that has one (0 at the start). */
export function arrivalMs(hops: Hop[], i: number): number {
  for (let j = i; j >= 0; j--) {
    const at = hops[j]!.atMs;
    if (at !== undefined) return at;
  }
  return 0;
}

export function hopWindow(hops: Hop[], i: number, latencyMs: number): Window {
  const startMs = arrivalMs(hops, i);
  return { startMs, endMs: Math.max(startMs, latencyMs - startMs) };
}

/** What a proxy at hop `i` measures as the request's duration (Envoy's request duration). */
export function hopDurationMs(hops: Hop[], i: number, latencyMs: number): number {
  const w = hopWindow(hops, i, latencyMs);
  return w.endMs - w.startMs;
}
