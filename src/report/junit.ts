// JUnit XML (the Ant/Jenkins format): one <testsuite> per scenario, one <testcase> per step, with
// the step's failures, its output and, for request steps, a one-paragraph summary of what happened.
import type { RequestSummary, RunResult, StepResult } from '../result/types';
import { flattenSteps, skipReason, stepDurationMs, type FlatStep } from './steps';
import { openTag, xmlText } from './xml';

/** Seconds from simulated milliseconds, without float noise or exponents. */
function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(6)));
}

function counts(m: Record<string, number>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
}

export function requestSummaryText(s: RequestSummary): string {
  const lines = [
    `${s.count} request${s.count === 1 ? '' : 's'}`,
    `statuses: ${counts(s.statuses) || 'none'}`,
    `outcomes: ${counts(s.outcomes) || 'none'}`,
    `latency: p50 ${s.latencyMs.p50}ms p99 ${s.latencyMs.p99}ms max ${s.latencyMs.max}ms`,
    ...s.paths.map((p) => `via ${p.via.length ? p.via.join(' → ') : '(direct)'} ×${p.count}`),
    ...(s.denies ?? []).map((d) => `denied ×${d.count} at ${d.at} by ${d.policy ?? 'no policy'}: ${d.reason}`),
  ];
  return lines.join('\n');
}

function systemOut(s: StepResult): string | undefined {
  if (s.type === 'run') return s.stdout || undefined;
  if (s.type === 'request' && s.summary) return requestSummaryText(s.summary) + (s.sampled ? '\n(requests sampled)' : '');
  return s.changes?.length ? s.changes.join('\n') : undefined;
}

function testcase(scenario: string, f: FlatStep): string[] {
  const s = f.step;
  const body: string[] = [];
  const skipped = skipReason(s);
  if (skipped) body.push(openTag('skipped', [['message', skipped]], true));
  if (!s.passed) {
    // A failed step always gets a <failure>, even when the runner gave no message.
    const failures = s.failures.length ? s.failures : ['step failed'];
    const message = failures.length > 1 ? `${failures[0]} (+${failures.length - 1} more)` : failures[0]!;
    body.push(`${openTag('failure', [['message', message], ['type', `${s.type}-step`]])}${xmlText(failures.join('\n'))}</failure>`);
  }
  const out = systemOut(s);
  if (out) body.push(`<system-out>${xmlText(out)}</system-out>`);
  if (s.stderr) body.push(`<system-err>${xmlText(s.stderr)}</system-err>`);
  const open = openTag('testcase', [['name', f.name], ['classname', scenario], ['time', seconds(stepDurationMs(s))]], body.length === 0);
  return body.length ? [`    ${open}`, ...body.map((b) => `      ${b}`), '    </testcase>'] : [`    ${open}`];
}

interface Totals {
  tests: number;
  failures: number;
  skipped: number;
  ms: number;
}

function suite(r: RunResult, id: number): { lines: string[]; totals: Totals } {
  const flat = flattenSteps(r.steps);
  const totals: Totals = {
    tests: flat.length,
    failures: flat.filter((f) => !f.step.passed).length,
    skipped: flat.filter((f) => skipReason(f.step) !== undefined).length,
    // Top-level steps run one after another; nested steps overlap their parent.
    ms: r.steps.reduce((t, s) => t + stepDurationMs(s), 0),
  };
  const open = openTag('testsuite', [
    ['name', r.scenario],
    ['tests', totals.tests],
    ['failures', totals.failures],
    ['errors', 0],
    ['skipped', totals.skipped],
    ['time', seconds(totals.ms)],
    ['id', id],
    ['package', 'meshsim'],
  ]);
  const lines = [
    `  ${open}`,
    '    <properties>',
    `      ${openTag('property', [['name', 'seed'], ['value', r.seed]], true)}`,
    `      ${openTag('property', [['name', 'apiVersion'], ['value', r.apiVersion]], true)}`,
    '    </properties>',
    ...flat.flatMap((f) => testcase(r.scenario, f)),
    '  </testsuite>',
  ];
  return { lines, totals };
}

/** JUnit XML for one or more runs; every run is a <testsuite> named after its scenario. */
export function renderJUnit(results: RunResult[]): string {
  const suites = results.map((r, i) => suite(r, i));
  const sum = (k: keyof Totals): number => suites.reduce((t, s) => t + s.totals[k], 0);
  const open = openTag('testsuites', [
    ['name', 'meshsim'],
    ['tests', sum('tests')],
    ['failures', sum('failures')],
    ['errors', 0],
    ['time', seconds(sum('ms'))],
  ]);
  return ['<?xml version="1.0" encoding="UTF-8"?>', open, ...suites.flatMap((s) => s.lines), '</testsuites>', ''].join('\n');
}
