// Step summaries of CONTRACT §3: counts by status and outcome, latency percentiles, distinct
// paths, backends and the top deny reasons.
import { LatencyStats } from '../../sim';
import type { HopKind, RequestRecord, RequestSummary } from '../result/types';
import { viaEnd, viaOf } from '../result/via';
import { round3 } from './latency';
import { FAST_PATHS } from '../fast-paths';
import { objectArray } from './object-arrays';

interface PathNode {
  next: Map<HopKind, PathNode>;
  entry?: { via: HopKind[]; count: number };
}

/** A decision worth counting across a step's requests: where, under which policy, why. */
interface NoteKey {
  key: string;
  at: string;
  policy: string | null;
  reason: string;
}

/** A counted note as the summary lists it (`denies`). */
type Note = NonNullable<RequestSummary['denies']>[number];

type NoteCounts = Map<string, Note>;

/** Adds `key` to `keys` unless a request already met it (a waypoint's retries can meet the same decision several times). */
function note(keys: NoteKey[], at: string, policy: string | null | undefined, reason: string): void {
  const key = `${at}|${policy ?? ''}|${reason}`;
  if (!keys.some((x) => x.key === key)) keys.push({ key, at, policy: policy ?? null, reason });
}

function countNotes(into: NoteCounts, keys: readonly NoteKey[]): void {
  for (const d of keys) {
    const e = into.get(d.key);
    if (e) e.count++;
    else into.set(d.key, { at: d.at, policy: d.policy, reason: d.reason, count: 1 });
  }
}

function sortedNotes(m: NoteCounts): Note[] {
  return [...m.values()].sort((a, b) => b.count - a.count || a.at.localeCompare(b.at) || a.reason.localeCompare(b.reason));
}

/** A request's contribution to a summary, apart from its timing (see `SummaryBuilder.shapeOf`). */
export interface RequestShape {
  status: string | undefined;
  outcome: string;
  path: { via: HopKind[]; count: number };
  backend: { pod: string; workload: string; cluster: string } | undefined;
  mirrored: string[];
  denies: NoteKey[];
  /** Connection-pool decisions met (queued for a connection, overflow), reason = the decision's result. */
  pools: NoteKey[];
  /** Requests of this shape counted so far by the builder that made it. */
  n: number;
}

export function backendKey(r: RequestRecord): string | undefined {
  return r.backend ? `${r.backend.namespace}/${r.backend.pod}` : undefined;
}

function bump(m: Record<string, number>, k: string, n: number): void {
  m[k] = (m[k] ?? 0) + n;
}

/** Each built summary's full latency distribution, for tools that merge steps across runs (sweeps). */
const latencyOfSummary = new WeakMap<RequestSummary, LatencyStats>();

/** The latency distribution behind a summary built in this process (not part of the JSON). */
export function latencyStatsOf(summary: RequestSummary): LatencyStats | undefined {
  return latencyOfSummary.get(summary);
}

/** Shapes a builder keeps uncounted before it sums them (see addShaped). */
const SHAPES_KEPT = 1024;

export class SummaryBuilder {
  private count = 0;
  private readonly statuses: Record<string, number> = {};
  private readonly outcomes: Record<string, number> = {};
  private readonly latency = new LatencyStats();
  private readonly paths = new Map<string, { via: HopKind[]; count: number }>();
  private readonly backends: Record<string, number> = {};
  private readonly workloads: Record<string, number> = {};
  private readonly clusters: Record<string, number> = {};
  private readonly mirrored: Record<string, number> = {};
  private readonly denies: NoteCounts = new Map();
  private readonly pools: NoteCounts = new Map();
  /** Path entries by hop-kind sequence, so counting a known path builds no key. */
  private readonly pathTrie: PathNode = { next: new Map() };
  /** Shapes counted since the last build, in first-seen order. */
  private readonly shapes = objectArray<RequestShape>();
  private firstStart = Infinity;
  private lastEnd = -Infinity;

  /** Counts one request. */
  add(r: RequestRecord): void {
    this.addShaped(this.shapeOf(r), r.latencyMs, r.startMs);
  }

  /**
   * What a request adds besides its timing, with every key built: requests of one shape (the same
   * decided path and outcome) are counted without building their records.
   */
  shapeOf(r: RequestRecord): RequestShape {
    const denies: NoteKey[] = [];
    const pools: NoteKey[] = [];
    for (const d of r.decisions) {
      if (d.kind === 'route' && (d.result === 'queued' || d.result === 'overflow')) note(pools, d.at, d.policy, d.result);
      else if ((d.kind === 'authz' || d.kind === 'authn' || d.kind === 'peer-authn') && d.result === 'DENY') note(denies, d.at, d.policy, d.reason ?? '');
    }
    const b = backendKey(r);
    return {
      status: r.status === undefined ? undefined : String(r.status),
      outcome: r.outcome,
      path: FAST_PATHS ? this.pathOf(r) : this.pathByKey(r),
      backend: b && r.backend ? { pod: b, workload: `${r.backend.namespace}/${r.backend.workload ?? r.backend.pod}`, cluster: r.backend.cluster } : undefined,
      mirrored: r.mirroredTo?.map((m) => `${m.namespace}/${m.pod}`) ?? [],
      denies,
      pools,
      n: 0,
    };
  }

  /** Counts one request of `shape` that started at `startMs` and took `latencyMs`. */
  addShaped(shape: RequestShape, latencyMs: number, startMs: number): void {
    this.count++;
    // Counts by status, backend... are summed per shape when the summary is built (their keys are
    // sorted then), or once SHAPES_KEPT shapes wait: fan-out requests are each a shape of their
    // own, and a long step would otherwise keep one per request.
    if (shape.n++ === 0 && this.shapes.push(shape) >= SHAPES_KEPT) this.countShapes();
    this.latency.add(latencyMs);
    shape.path.count++;
    countNotes(this.denies, shape.denies);
    countNotes(this.pools, shape.pools);
    this.firstStart = Math.min(this.firstStart, startMs);
    this.lastEnd = Math.max(this.lastEnd, startMs + latencyMs);
  }

  /** The entry counting this request's path: found by its `via` key (built per request). */
  private pathByKey(r: RequestRecord): { via: HopKind[]; count: number } {
    const via = viaOf(r);
    const key = via.join('>');
    let p = this.paths.get(key);
    if (p === undefined) this.paths.set(key, (p = { via, count: 0 }));
    return p;
  }

  /** The same entry, found by walking the hop kinds through a trie: a known path builds no key. */
  private pathOf(r: RequestRecord): { via: HopKind[]; count: number } {
    const hops = r.hops;
    const end = viaEnd(hops);
    let node = this.pathTrie;
    for (let i = 1; i < end; i++) {
      const kind = hops[i]!.kind;
      let next = node.next.get(kind);
      if (next === undefined) node.next.set(kind, (next = { next: new Map() }));
      node = next;
    }
    return (node.entry ??= this.pathByKey(r));
  }

  /** Sums the counts kept per shape. */
  private countShapes(): void {
    for (const shape of this.shapes) {
      const n = shape.n;
      if (shape.status !== undefined) bump(this.statuses, shape.status, n);
      bump(this.outcomes, shape.outcome, n);
      const b = shape.backend;
      if (b !== undefined) {
        bump(this.backends, b.pod, n);
        bump(this.workloads, b.workload, n);
        bump(this.clusters, b.cluster, n);
      }
      for (const m of shape.mirrored) bump(this.mirrored, m, n);
      shape.n = 0;
    }
    this.shapes.length = 0;
  }

  build(): RequestSummary {
    this.countShapes();
    const l = this.latency;
    const span = this.lastEnd - this.firstStart;
    const summary: RequestSummary = {
      count: this.count,
      statuses: sortKeys(this.statuses),
      outcomes: sortKeys(this.outcomes),
      latencyMs: this.count
        ? { p50: round3(l.percentile(50)), p90: round3(l.percentile(90)), p99: round3(l.percentile(99)), max: round3(l.max), mean: round3(l.mean) }
        : { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
      paths: [...this.paths.values()].sort((a, b) => b.count - a.count || a.via.join().localeCompare(b.via.join())),
      backends: sortKeys(this.backends),
      workloads: sortKeys(this.workloads),
      clusters: sortKeys(this.clusters),
    };
    if (this.denies.size) summary.denies = sortedNotes(this.denies);
    if (this.pools.size) summary.connectionPool = sortedNotes(this.pools).map(({ reason, ...rest }) => ({ ...rest, result: reason as 'queued' | 'overflow' }));
    if (Object.keys(this.mirrored).length) summary.mirrored = sortKeys(this.mirrored);
    if (this.count > 1 && span > 0) summary.throughputRps = round3((this.count / span) * 1000);
    latencyOfSummary.set(summary, l);
    return summary;
  }
}

function sortKeys(m: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k]!;
  return out;
}
