// Checks a request step's expectations. Per-request expectations (status, outcome, body, via,
// decision) are checked on every request as it completes, so they hold over all of them, not only
// the records kept in the result; distributions (latency, statuses, backends, throughput) are
// checked on the step's summary, which also counts every request. Each failure says what was
// expected and what was measured.
import type { RequestRecord, RequestSummary } from '../result/types';
import { compare, type Comparator, type DecisionExpect, type RequestExpect } from '../scenario';
import { viaOf } from '../result/via';

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

/** One per-request expectation: how many requests missed it, and the first that did. */
interface RecordCheck {
  ok(r: RequestRecord): boolean;
  /** The failure message, from the number of misses, the total, and the first miss. */
  message(n: number, total: number, first: RequestRecord): string;
  misses: number;
  first?: RequestRecord;
}

function check(ok: RecordCheck['ok'], message: RecordCheck['message']): RecordCheck {
  return { ok, message, misses: 0 };
}

function recordChecks(expect: RequestExpect): RecordCheck[] {
  const checks: RecordCheck[] = [];
  if (expect.status !== undefined) {
    const want = expect.status;
    checks.push(check((r) => r.status === want, (n, total, r) => `status: expected ${want} for every request; ${n}/${total} differ, e.g. request ${r.id} got ${describeOutcome(r)}`));
  }
  if (expect.outcome !== undefined) {
    const want = expect.outcome;
    checks.push(check((r) => r.outcome === want, (n, total, r) => `outcome: expected ${want}; ${n}/${total} requests differ, e.g. request ${r.id} got ${describeOutcome(r)}`));
  }
  if (expect.body !== undefined) {
    const want = expect.body.replace(/\n$/, '');
    const body = (r: RequestRecord) => (r.body ?? '').replace(/\n$/, '');
    checks.push(
      check(
        (r) => body(r) === want,
        (n, total, r) => `body: expected ${JSON.stringify(want)}; ${n}/${total} requests differ, e.g. request ${r.id} got ${r.outcome === 'response' ? JSON.stringify(body(r)) : describeOutcome(r)}`,
      ),
    );
  }
  for (const s of expect.bodyContains ?? []) {
    checks.push(check((r) => (r.body ?? '').includes(s), (n, total) => `bodyContains: expected the body to contain ${JSON.stringify(s)}; ${n}/${total} requests do not`));
  }
  if (expect.via) {
    const want = expect.via.join(' → ');
    checks.push(check((r) => viaOf(r).join(' → ') === want, (n, total, r) => `via: expected [${want}]; ${n}/${total} requests differ, e.g. request ${r.id} went via [${viaOf(r).join(' → ')}]`));
  }
  for (const e of expect.decision ?? []) {
    checks.push(
      check(
        (r) => decisionMatches(e, r),
        (n, total, r) => {
          const seen = r.decisions.filter((d) => d.kind === e.kind).map((d) => `${d.at}: ${d.result}${d.policy ? ` (${d.policy})` : ''}`);
          return `decision: expected ${describeDecision(e)}; ${n}/${total} requests lack it, e.g. request ${r.id} had ${seen.length ? seen.join('; ') : `no ${e.kind} decision`}`;
        },
      ),
    );
  }
  return checks;
}

/** Streams a step's requests through its expectations. */
export class RequestChecker {
  private readonly checks: RecordCheck[];

  constructor(private readonly expect: RequestExpect) {
    this.checks = recordChecks(expect);
  }

  add(r: RequestRecord): void {
    this.addJudged(this.judge(r), () => r);
  }

  /** Which per-request expectations `r` meets, in check order: the same for every request of its shape. */
  judge(r: RequestRecord): boolean[] {
    return this.checks.map((c) => c.ok(r));
  }

  /** Counts a request judged by `judge`; its record is built only if it is the first to miss a check. */
  addJudged(met: readonly boolean[], record: () => RequestRecord): void {
    for (let i = 0; i < met.length; i++) {
      if (met[i]) continue;
      const c = this.checks[i]!;
      c.misses++;
      c.first ??= record();
    }
  }

  failures(summary: RequestSummary): string[] {
    const out: string[] = [];
    const total = summary.count;
    for (const c of this.checks) if (c.first) out.push(c.message(c.misses, total, c.first));
    const expect = this.expect;
    fractionChecks('statuses', expect.statuses, summary.statuses, total, out);
    if (expect.backends) {
      // A key names a pod (`ns/pod`), a workload (`ns/deployment`) or a cluster (`cluster:NAME`).
      const counts: Record<string, number> = { ...summary.backends, ...summary.workloads };
      for (const [k, v] of Object.entries(summary.clusters ?? {})) counts[`cluster:${k}`] = v;
      fractionChecks('backends', expect.backends, counts, total, out);
    }
    for (const [stat, c] of Object.entries(expect.latency ?? {})) {
      const v = summary.latencyMs[stat as keyof typeof summary.latencyMs] ?? 0;
      if (!compare(c!, v)) out.push(`latency ${stat}: expected ${c!.text}, measured ${v}ms over ${total} requests`);
    }
    if (expect.throughput) {
      const v = summary.throughputRps ?? 0;
      if (!compare(expect.throughput, v)) out.push(`throughput: expected ${expect.throughput.text}, measured ${v}/s over ${total} requests`);
    }
    return out;
  }
}

/** All expectations over a complete list of records. */
export function checkRequestExpect(expect: RequestExpect, records: readonly RequestRecord[], summary: RequestSummary): string[] {
  const c = new RequestChecker(expect);
  for (const r of records) c.add(r);
  return c.failures(summary);
}
