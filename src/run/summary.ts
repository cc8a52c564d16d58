// Step summaries of CONTRACT §3: counts by status and outcome, latency percentiles, distinct
// paths, backends and the top deny reasons.
import { LatencyStats } from '../../sim';
import type { HopKind, RequestRecord, RequestSummary } from '../result/types';
import { viaOf } from '../result/via';
import { round3 } from './latency';

export function backendKey(r: RequestRecord): string | undefined {
  return r.backend ? `${r.backend.namespace}/${r.backend.pod}` : undefined;
}

function bump(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

export class SummaryBuilder {
  private count = 0;
  private readonly statuses: Record<string, number> = {};
  private readonly outcomes: Record<string, number> = {};
  private readonly latency = new LatencyStats();
  private readonly paths = new Map<string, { via: HopKind[]; count: number }>();
  private readonly backends: Record<string, number> = {};
  private readonly workloads: Record<string, number> = {};
  private readonly clusters: Record<string, number> = {};
  private readonly denies = new Map<string, { at: string; policy: string | null; reason: string; count: number }>();
  private firstStart = Infinity;
  private lastEnd = -Infinity;

  add(r: RequestRecord): void {
    this.count++;
    if (r.status !== undefined) bump(this.statuses, String(r.status));
    bump(this.outcomes, r.outcome);
    this.latency.add(r.latencyMs);
    const via = viaOf(r);
    const key = via.join('>');
    const p = this.paths.get(key);
    if (p) p.count++;
    else this.paths.set(key, { via, count: 1 });
    const b = backendKey(r);
    if (b && r.backend) {
      bump(this.backends, b);
      bump(this.workloads, `${r.backend.namespace}/${r.backend.workload ?? r.backend.pod}`);
      bump(this.clusters, r.backend.cluster);
    }
    // Counted once per request: a waypoint's retries can meet the same denial several times.
    let seen: Set<string> | undefined;
    for (const d of r.decisions) {
      if (d.kind !== 'authz' && d.kind !== 'authn' && d.kind !== 'peer-authn') continue;
      if (d.result !== 'DENY') continue;
      const reason = d.reason ?? '';
      const k = `${d.at}|${d.policy ?? ''}|${reason}`;
      if (seen?.has(k)) continue;
      (seen ??= new Set()).add(k);
      const e = this.denies.get(k);
      if (e) e.count++;
      else this.denies.set(k, { at: d.at, policy: d.policy ?? null, reason, count: 1 });
    }
    this.firstStart = Math.min(this.firstStart, r.startMs);
    this.lastEnd = Math.max(this.lastEnd, r.startMs + r.latencyMs);
  }

  build(): RequestSummary {
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
    const denies = [...this.denies.values()].sort((a, b) => b.count - a.count || a.at.localeCompare(b.at));
    if (denies.length) summary.denies = denies;
    if (this.count > 1 && span > 0) summary.throughputRps = round3((this.count / span) * 1000);
    return summary;
  }
}

function sortKeys(m: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k]!;
  return out;
}
