// Pure data shaping for the charts and the path overlay; the DOM code only draws what these return.
import { max, min, quantileSorted, tickStep } from 'd3-array';
import type { Decision, Hop, RequestRecord } from '../../src/result/types';
import { stopOf } from './decisions';
import type { LatencyBins, TimelineBucket, ViewStep } from './model';

/** Latencies in bins of one round width (1, 2 or 5 × 10^k ms); an empty input gives no bins. */
export function latencyBins(values: readonly number[], target = 30): LatencyBins {
  if (values.length === 0) return { edgesMs: [], counts: [] };
  const lo = min(values)!;
  const hi = max(values)!;
  const step = lo === hi ? bucketWidth(Math.abs(lo) || 1, 10) : tickStep(lo, hi, target);
  // 0.7 / 0.1 is 6.999…: a nudge keeps values on an edge in the bin that starts there.
  const slot = (v: number) => Math.floor(v / step + 1e-9);
  const first = slot(lo);
  const n = slot(hi) - first + 1;
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[slot(v) - first]!++;
  const edgesMs = Array.from({ length: n + 1 }, (_, i) => round12((first + i) * step));
  return { edgesMs, counts };
}

function round12(x: number): number {
  return Number(x.toPrecision(12));
}

/** Points of the empirical CDF: (latency, fraction of requests at or below it). */
export function cdfPoints(values: readonly number[]): [number, number][] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
    out.push([sorted[i]!, (i + 1) / n]);
  }
  return out;
}

/** Percentiles of a sample (linear interpolation, as d3 and most tools compute them). */
export function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map((p) => quantileSorted(sorted, p) ?? NaN);
}

export interface Share {
  key: string;
  count: number;
  share: number;
}

/** Counts as shares, largest first (ties by key), the tail beyond `top` folded into `others`. */
export function shares(counts: Record<string, number> | undefined, top = 12): Share[] {
  const entries = Object.entries(counts ?? {}).filter(([, c]) => c > 0);
  const total = entries.reduce((s, [, c]) => s + c, 0);
  entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const head = entries.slice(0, top).map(([key, count]) => ({ key, count, share: count / total }));
  const rest = entries.slice(top).reduce((s, [, c]) => s + c, 0);
  if (rest > 0) head.push({ key: `others (${entries.length - top})`, count: rest, share: rest / total });
  return head;
}

function isError(r: Pick<RequestRecord, 'outcome' | 'status'>): boolean {
  return r.outcome !== 'response' || (r.status ?? 0) >= 500 || r.status === 403;
}

/** A bucket width with a round value giving at most `maxBuckets` buckets over `span` ms. */
export function bucketWidth(spanMs: number, maxBuckets = 60): number {
  const raw = Math.max(spanMs, 1e-3) / maxBuckets;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** Requests per slice of simulated time with their latency p50/p99 and error count. */
export function timeline(requests: readonly Pick<RequestRecord, 'startMs' | 'latencyMs' | 'outcome' | 'status'>[], maxBuckets = 60): TimelineBucket[] {
  if (requests.length === 0) return [];
  const t0 = min(requests, (r) => r.startMs)!;
  const t1 = max(requests, (r) => r.startMs)!;
  const w = bucketWidth(t1 - t0, maxBuckets);
  const base = Math.floor(t0 / w) * w;
  const groups = new Map<number, { lat: number[]; errors: number }>();
  for (const r of requests) {
    const i = Math.floor((r.startMs - base) / w);
    let g = groups.get(i);
    if (!g) groups.set(i, (g = { lat: [], errors: 0 }));
    g.lat.push(r.latencyMs);
    if (isError(r)) g.errors++;
  }
  const last = Math.max(...groups.keys());
  const out: TimelineBucket[] = [];
  for (let i = 0; i <= last; i++) {
    const g = groups.get(i);
    const [p50, p99] = g ? percentiles(g.lat, [0.5, 0.99]) : [NaN, NaN];
    out.push({ startMs: base + i * w, count: g?.lat.length ?? 0, p50: p50!, p99: p99!, errors: g?.errors ?? 0 });
  }
  return out;
}

/** Every request of a step, nested app calls included, with the hop list each travelled. */
export function flatRequests(step: ViewStep): Pick<RequestRecord, 'hops' | 'decisions' | 'outcome' | 'status'>[] {
  const out: Pick<RequestRecord, 'hops' | 'decisions' | 'outcome' | 'status'>[] = [];
  const walk = (r: Pick<RequestRecord, 'hops' | 'decisions' | 'outcome' | 'status' | 'calls'>) => {
    out.push(r);
    for (const c of r.calls ?? []) walk(c);
  };
  for (const r of step.requests ?? []) walk(r);
  return out;
}

export interface PathEdge {
  from: string;
  to: string;
  count: number;
}

export interface StopMark {
  vertex: string;
  count: number;
  what: string;
  decisions: Decision[];
}

export interface PathWeights {
  edges: PathEdge[];
  /** Requests that passed through each vertex. */
  vertices: Map<string, number>;
  stops: StopMark[];
  /** Requests counted (kept ones; the step may have had more). */
  requests: number;
}

/**
 * Request counts per edge between consecutive hops, keyed by the vertex each hop is drawn as
 * (`vertexOf` lets the page fold pods into workloads or namespaces). Consecutive hops drawn as
 * one vertex add no edge; a request that was stopped adds a mark where it stopped.
 */
export function pathWeights(
  requests: readonly Pick<RequestRecord, 'hops' | 'decisions' | 'outcome' | 'status'>[],
  vertexOf: (h: Hop) => string | undefined,
): PathWeights {
  const edges = new Map<string, PathEdge>();
  const vertices = new Map<string, number>();
  const stops = new Map<string, StopMark>();
  for (const r of requests) {
    const seen = new Set<string>();
    let prev: string | undefined;
    for (const h of r.hops) {
      const v = vertexOf(h);
      if (v === undefined) continue;
      if (!seen.has(v)) {
        seen.add(v);
        vertices.set(v, (vertices.get(v) ?? 0) + 1);
      }
      if (prev !== undefined && prev !== v) {
        const k = `${prev}\u0000${v}`;
        const e = edges.get(k);
        if (e) e.count++;
        else edges.set(k, { from: prev, to: v, count: 1 });
      }
      prev = v;
    }
    const stop = stopOf(r);
    const hop = stop ? r.hops[stop.hop] : undefined;
    const v = hop ? vertexOf(hop) : undefined;
    if (stop && v !== undefined) {
      const k = `${v}\u0000${stop.what}\u0000${stop.decision?.policy ?? ''}\u0000${stop.decision?.rule ?? ''}`;
      const m = stops.get(k);
      if (m) m.count++;
      else stops.set(k, { vertex: v, count: 1, what: stop.what, decisions: stop.decision ? [stop.decision] : [] });
    }
  }
  return { edges: [...edges.values()], vertices, stops: [...stops.values()], requests: requests.length };
}
