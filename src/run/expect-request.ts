// Checks a request step's expectations against its records and summary; each failure says what
// was expected and what was measured.
import type { RequestRecord, RequestSummary } from '../result/types';
import { compare, type Comparator, type DecisionExpect, type RequestExpect } from '../scenario';
import { viaOf } from '../result/via';


function firstMismatch<T>(records: RequestRecord[], value: (r: RequestRecord) => T, ok: (v: T) => boolean): { r: RequestRecord; v: T; n: number } | undefined {
  let n = 0;
  let first: { r: RequestRecord; v: T } | undefined;
  for (const r of records) {
    const v = value(r);
    if (!ok(v)) {
      n++;
      first ??= { r, v };
    }
  }
  return first ? { ...first, n } : undefined;
}

function describeOutcome(r: RequestRecord): string {
  if (r.outcome === 'response') return `status ${r.status}`;
  return `${r.outcome}${r.error ? ` (${r.error})` : ''}`;
}

function fractionChecks(label: string, expected: Record<string, Comparator> | undefined, counts: Record<string, number>, total: number, out: string[]): void {
  for (const [key, c] of Object.entries(expected ?? {})) {
    const f = total ? (counts[key] ?? 0) / total : 0;
    if (!compare(c, f)) out.push(`${label} ${key}: expected ${c.text}, measured ${f.toFixed(4)} (${counts[key] ?? 0}/${total})`);
  }
}

function decisionMatches(e: DecisionExpect, r: RequestRecord): boolean {
  return r.decisions.some(
    (d) =>
      d.kind === e.kind &&
      (e.result === undefined || d.result === e.result) &&
      (e.policy === undefined || (d.policy ?? null) === e.policy) &&
      (e.at === undefined || d.at === e.at) &&
      (e.rule === undefined || d.rule === e.rule) &&
      (e.reason === undefined || (d.reason ?? '').includes(e.reason)),
  );
}

function describeDecision(e: DecisionExpect): string {
  return JSON.stringify(Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)));
}

export function checkRequestExpect(expect: RequestExpect, records: RequestRecord[], summary: RequestSummary): string[] {
  const out: string[] = [];
  const total = summary.count;
  const of = (m: { n: number }) => `${m.n}/${records.length} requests`;
  if (expect.status !== undefined && (summary.statuses[String(expect.status)] ?? 0) !== total) {
    const m = firstMismatch(records, (r) => r.status, (s) => s === expect.status);
    const n = total - (summary.statuses[String(expect.status)] ?? 0);
    out.push(`status: expected ${expect.status} for every request; ${n}/${total} differ${m ? `, e.g. request ${m.r.id} got ${describeOutcome(m.r)}` : ''}`);
  }
  if (expect.outcome !== undefined) {
    const m = firstMismatch(records, (r) => r.outcome, (o) => o === expect.outcome);
    if (m) out.push(`outcome: expected ${expect.outcome}; ${of(m)} differ, e.g. request ${m.r.id} got ${describeOutcome(m.r)}`);
  }
  if (expect.body !== undefined) {
    const want = expect.body.replace(/\n$/, '');
    const m = firstMismatch(records, (r) => (r.body ?? '').replace(/\n$/, ''), (b) => b === want);
    if (m) out.push(`body: expected ${JSON.stringify(want)}; ${of(m)} differ, e.g. request ${m.r.id} got ${m.r.outcome === 'response' ? JSON.stringify(m.v) : describeOutcome(m.r)}`);
  }
  for (const s of expect.bodyContains ?? []) {
    const m = firstMismatch(records, (r) => r.body ?? '', (b) => b.includes(s));
    if (m) out.push(`bodyContains: expected the body to contain ${JSON.stringify(s)}; ${of(m)} do not`);
  }
  if (expect.via) {
    const want = expect.via.join(' → ');
    const m = firstMismatch(records, (r) => viaOf(r).join(' → '), (v) => v === want);
    if (m) out.push(`via: expected [${want}]; ${of(m)} differ, e.g. request ${m.r.id} went via [${m.v}]`);
  }
  for (const e of expect.decision ?? []) {
    const m = firstMismatch(records, (r) => r, (r) => decisionMatches(e, r));
    if (m) {
      const seen = m.r.decisions.filter((d) => d.kind === e.kind).map((d) => `${d.at}: ${d.result}${d.policy ? ` (${d.policy})` : ''}`);
      out.push(`decision: expected ${describeDecision(e)}; ${of(m)} lack it, e.g. request ${m.r.id} had ${seen.length ? seen.join('; ') : `no ${e.kind} decision`}`);
    }
  }
  fractionChecks('statuses', expect.statuses, summary.statuses, total, out);
  if (expect.backends) {
    // A key names a pod (`ns/pod`), a workload (`ns/deployment`) or a cluster (`cluster:NAME`).
    const counts: Record<string, number> = { ...summary.backends, ...summary.workloads };
    for (const [k, v] of Object.entries(summary.clusters ?? {})) counts[`cluster:${k}`] = v;
    fractionChecks('backends', expect.backends, counts, total, out);
  }
  for (const [stat, c] of Object.entries(expect.latency ?? {})) {
    const v = summary.latencyMs[stat as keyof typeof summary.latencyMs] ?? 0;
    if (!compare(c!, v)) out.push(`latency ${stat}: expected ${c!.text}, measured ${v}ms`);
  }
  if (expect.throughput) {
    const v = summary.throughputRps ?? 0;
    if (!compare(expect.throughput, v)) out.push(`throughput: expected ${expect.throughput.text}, measured ${v}/s`);
  }
  return out;
}

