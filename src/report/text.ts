// The human report of a run: each step with ✓/✗, what changed, request outcomes, latency, the
// distinct paths drawn as arrows, and why requests were denied.
import { createColors } from 'picocolors';
import type { Decision, RequestRecord, RunResult, StepResult } from '../result/types';
import { viaOf } from '../result/via';
import type { ExplainedHop } from '../explain/types';
import { renderExplainText } from './explain-text';
import { outcomeText, pathText, sharedPathText } from './path-text';

export interface TextOptions {
  color: boolean;
  /** Requests listed one by one when a step has at most this many. */
  listUpTo?: number;
}

function counts(m: Record<string, number>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}×${v}`)
    .join('  ');
}

function deciding(r: RequestRecord): Decision | undefined {
  return [...r.decisions].reverse().find((d) => (d.kind === 'authz' || d.kind === 'authn' || d.kind === 'peer-authn') && d.result === 'DENY');
}

function decisionLine(d: Decision): string {
  const rule = d.rule !== undefined && d.rule !== null ? ` rule ${d.rule}` : '';
  const who = d.policy ? `${d.policy}${rule}` : '';
  const why = [who, d.reason].filter(Boolean).join(' — ');
  return `${d.kind} ${d.result} at ${d.at}: ${why || 'no reason given'}${d.sourceIdentity !== undefined ? ` (saw ${d.sourceIdentity ?? 'no identity'})` : ''}`;
}

export function renderText(result: RunResult, opts: TextOptions): string {
  const c = createColors(opts.color);
  const listUpTo = opts.listUpTo ?? 5;
  const out: string[] = [];
  out.push(c.bold(`meshsim run: ${result.scenario}`) + c.dim(` (seed ${result.seed})`), '');

  const step = (s: StepResult, indent: string): void => {
    const mark = s.passed ? c.green('✓') : c.red('✗');
    const at = s.startMs !== undefined ? c.dim(` t=${(s.startMs / 1000).toFixed(3)}s`) : '';
    out.push(`${indent}${mark} ${c.bold(s.name)} ${c.dim(`[${s.type}]`)}${at}`);
    const pad = `${indent}    `;
    for (const line of s.changes ?? []) out.push(`${pad}${c.dim(line)}`);
    if (s.type === 'run') {
      for (const line of (s.stdout ?? '').split('\n').filter(Boolean)) out.push(`${pad}${line}`);
      for (const line of (s.stderr ?? '').split('\n').filter(Boolean)) out.push(`${pad}${c.yellow(line)}`);
      if (s.exitCode !== undefined && s.exitCode !== 0) out.push(`${pad}${c.dim(`exit code ${s.exitCode}`)}`);
    }
    if (s.summary) {
      const sum = s.summary;
      const l = sum.latencyMs;
      out.push(`${pad}${sum.count} request${sum.count === 1 ? '' : 's'}  statuses ${counts(sum.statuses) || '—'}  outcomes ${counts(sum.outcomes)}`);
      out.push(`${pad}latency p50 ${l.p50}ms  p90 ${l.p90}ms  p99 ${l.p99}ms  max ${l.max}ms${sum.throughputRps ? `  throughput ${sum.throughputRps}/s` : ''}`);
      const reqs = s.requests ?? [];
      if (reqs.length <= listUpTo) {
        for (const r of reqs) {
          out.push(`${pad}${c.cyan(pathText(r))}  ${r.outcome === 'response' && (r.status ?? 0) < 400 ? c.green(outcomeText(r)) : c.red(outcomeText(r))}`);
          const d = deciding(r);
          if (d) out.push(`${pad}  ${c.yellow(decisionLine(d))}`);
        }
      } else {
        out.push(`${pad}paths:`);
        const byVia = new Map<string, RequestRecord[]>();
        for (const r of reqs) {
          const key = viaOf(r).join('>');
          const list = byVia.get(key);
          if (list) list.push(r);
          else byVia.set(key, [r]);
        }
        for (const p of sum.paths) {
          const examples = byVia.get(p.via.join('>'));
          out.push(`${pad}  ${String(p.count).padStart(6)}×  ${examples ? c.cyan(sharedPathText(examples)) : p.via.join(' → ')}`);
        }
        const backends = Object.entries(sum.backends);
        if (backends.length) out.push(`${pad}backends: ${backends.map(([k, v]) => `${k} ${v}`).join(', ')}`);
      }
      for (const d of sum.denies ?? []) out.push(`${pad}${c.yellow(`denied ${d.count}× at ${d.at}: ${[d.policy, d.reason].filter(Boolean).join(' — ')}`)}`);
      for (const p of sum.connectionPool ?? []) {
        const what = p.result === 'queued' ? 'waited for a pooled connection' : 'turned away by the connection pool (503 overflow)';
        out.push(`${pad}${c.yellow(`${what} ${p.count}× at ${p.at}${p.policy ? `: DestinationRule ${p.policy}` : ''}`)}`);
      }
    }
    if (s.explain) out.push(...renderExplainText(s.explain.request, s.explain.explain as ExplainedHop[], { color: opts.color }).trimEnd().split('\n').map((l) => pad + l));
    for (const f of s.failures) out.push(`${pad}${c.red(`✗ ${f}`)}`);
    for (const sub of s.steps ?? []) step(sub, `${indent}  `);
  };
  for (const s of result.steps) step(s, '');
  const failed = result.steps.filter((s) => !s.passed).length;
  out.push('', failed ? c.red(c.bold(`${failed} of ${result.steps.length} steps failed`)) : c.green(c.bold(`all ${result.steps.length} steps passed`)));
  return `${out.join('\n')}\n`;
}
