// The sweep's text report: per combination and request step, means ± 95% intervals across seeds.
import type { MeanCI } from './confidence';
import type { SweepStep } from './merge';
import type { SweepResult } from './sweep';

const fmt = (x: number): string => String(Number(x.toPrecision(4)));
const ci = (m: MeanCI, unit = ''): string => `${fmt(m.mean)}${unit} ± ${fmt(m.ci95)}${unit}`;
const pct = (m: MeanCI): string => `${fmt(m.mean * 100)}% ± ${fmt(m.ci95 * 100)}%`;

/** The lines under a step that sent requests: statuses, outcomes, latency per run and pooled. */
function requestLines(s: SweepStep): string[] {
  const lines: string[] = [];
  const statuses = Object.entries(s.statusFractions ?? {}).map(([k, v]) => `${k} ${pct(v)}`);
  if (statuses.length) lines.push(`    status   ${statuses.join(', ')}`);
  const outcomes = Object.entries(s.outcomes ?? {}).filter(([k]) => k !== 'response');
  if (outcomes.length) lines.push(`    outcomes ${outcomes.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const l = s.latencyMs;
  if (l && l.p50.n) lines.push(`    latency  p50 ${ci(l.p50, 'ms')}  p90 ${ci(l.p90, 'ms')}  p99 ${ci(l.p99, 'ms')}  mean ${ci(l.mean, 'ms')}`);
  const p = s.pooledLatencyMs;
  if (p && s.requests) lines.push(`    pooled   p50 ${fmt(p.p50)}ms  p90 ${fmt(p.p90)}ms  p99 ${fmt(p.p99)}ms  max ${fmt(p.max)}ms`);
  return lines;
}

/** Which seeds failed the step and why the first did, in one line (a long reason is cut). */
function failureLine(s: SweepStep): string[] {
  if (!s.failedSeeds || !s.firstFailure) return [];
  const why = s.firstFailure.message.length > 300 ? `${s.firstFailure.message.slice(0, 300)}...` : s.firstFailure.message;
  return [`    failed   seed${s.failedSeeds.length === 1 ? '' : 's'} ${s.failedSeeds.join(', ')}; seed ${s.firstFailure.seed}: ${why}`];
}

function stepLines(s: SweepStep): string[] {
  if (s.skipped) return [`  ${s.name} [run]: skipped (--no-exec) — what the script changes is missing from the steps after it`];
  if (s.type === 'request') return [`  ${s.name}: ${s.requests} requests, ${s.passed}/${s.runs} passed`, ...failureLine(s), ...requestLines(s)];
  // A script's pass count is always shown: the steps after it rest on what it changed.
  if (s.type === 'run') return [`  ${s.name} [run]: ${s.passed}/${s.runs} passed${s.requests ? `, ${s.requests} requests` : ''}`, ...failureLine(s), ...(s.requests ? requestLines(s) : [])];
  return s.passed !== s.runs ? [`  ${s.name} [${s.type}]: ${s.passed}/${s.runs} passed`, ...failureLine(s)] : [];
}

export function renderSweepText(r: SweepResult): string {
  const seeds = r.seeds.length;
  const lines = [`sweep ${r.scenario}: ${seeds} seed(s) × ${r.combinations.length} combination(s), 95% intervals across seeds`];
  for (const c of r.combinations) {
    lines.push('', `${c.label.length ? c.label.join(' ') : '(scenario as written)'}: ${c.passed}/${c.runs} runs passed`);
    for (const s of c.steps) lines.push(...stepLines(s));
  }
  return `${lines.join('\n')}\n`;
}
