// The sweep report page: reads the embedded SweepResult and shows, step by step, how each
// parameter combination did across the seeds: pass counts, status shares and the per-run latency
// percentiles as means with 95% intervals, drawn side by side so combinations compare at a glance.
import { select } from 'd3-selection';
import type { SweepCombination, SweepResult, SweepStep } from '../../src/sweep';
import { DATA_ELEMENT_ID } from './data-element';
import { add, byId, ms, panel, pct, type Sel } from './ui/dom';
import { intervalChart, shortLabel, type IntervalSeries } from './ui/interval-chart';

function readSweep(): SweepResult {
  return JSON.parse(document.getElementById(DATA_ELEMENT_ID)?.textContent ?? 'null') as SweepResult;
}

const PERCENTILES = ['p50', 'p90', 'p99'] as const;

/** The step at `k` in each combination (they share the scenario's steps). */
function stepAcross(r: SweepResult, k: number): { combo: SweepCombination; step: SweepStep }[] {
  return r.combinations.flatMap((combo) => (combo.steps[k] ? [{ combo, step: combo.steps[k]! }] : []));
}

function comboName(c: SweepCombination): string {
  return c.label.length ? c.label.join(' ') : 'scenario as written';
}

const ci = (m: { mean: number; ci95: number; n: number }): string => (m.n ? `${ms(m.mean)} ± ${ms(m.ci95)}` : '–');

function stepPanel<P extends Element>(root: Sel<P>, r: SweepResult, k: number): void {
  const rows = stepAcross(r, k);
  const first = rows[0]!.step;
  const body = panel(root, `step ${k + 1}`);
  body.attr('data-step', k).classed('sweep-step', true);
  const head = add(body, 'div', 'step-head');
  add(head, 'span', `badge type-${first.type}`, first.type);
  add(head, 'span', 'step-title', first.name);
  if (first.skipped) {
    add(body, 'p', 'muted', 'Skipped (--no-exec): what the script changes is missing from the steps after it.');
    return;
  }
  const withLatency = rows.filter((x) => x.step.latencyMs && x.step.latencyMs.p50.n > 0);
  if (withLatency.length) {
    const series: IntervalSeries[] = PERCENTILES.map((p) => ({
      key: p,
      points: withLatency.map((x) => ({ group: shortLabel(x.combo.set), title: comboName(x.combo), value: x.step.latencyMs![p] })),
    }));
    intervalChart(body, series, `per-run latency percentiles, mean and 95% interval over ${r.seeds.length} seed(s)`);
  }
  // Steps that sent no requests (apply, label, most scripts) have only their pass counts to show.
  const traffic = rows.some((x) => x.step.requests !== undefined);
  const table = add(body, 'table', 'sweep-table');
  const hr = add(add(table, 'thead'), 'tr');
  for (const h of ['combination', 'runs passed', ...(traffic ? ['requests', 'status', 'p50', 'p90', 'p99', 'mean'] : [])]) add(hr, 'th', undefined, h);
  const tbody = add(table, 'tbody');
  for (const { combo, step } of rows) {
    const tr = add(tbody, 'tr', step.passed === step.runs ? 'pass' : 'fail');
    add(tr, 'td', 'combo', comboName(combo));
    add(tr, 'td', 'num', `${step.passed}/${step.runs}`);
    if (!traffic) continue;
    add(tr, 'td', 'num', step.requests === undefined ? '' : String(step.requests));
    const shares = Object.entries(step.statusFractions ?? {}).map(([s, m]) => `${s} ${pct(m.mean)}`);
    const outcomes = Object.entries(step.outcomes ?? {}).filter(([o]) => o !== 'response').map(([o, n]) => `${o} ${n}`);
    add(tr, 'td', undefined, [...shares, ...outcomes].join(', '));
    const l = step.latencyMs;
    for (const p of [...PERCENTILES, 'mean'] as const) add(tr, 'td', 'num', l ? ci(l[p]) : '');
  }
  // Why runs failed: the seeds, and the first one's reason as `meshsim run` gives it.
  const failures: string[] = [];
  for (const { combo, step } of rows) {
    const { failedSeeds: seeds, firstFailure: first } = step;
    if (!seeds || !first) continue;
    failures.push(`${r.combinations.length > 1 ? `${comboName(combo)}: ` : ''}failed in seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')}; seed ${first.seed}: ${first.message}`);
  }
  if (failures.length) {
    const list = add(body, 'ul', 'failures');
    for (const f of failures) add(list, 'li', 'failure', f);
  }
}

function boot(): void {
  const app = byId('app');
  try {
    const r = readSweep();
    const runs = r.combinations.reduce((n, c) => n + c.runs, 0);
    const passed = r.combinations.reduce((n, c) => n + c.passed, 0);
    const head = add(app, 'div', 'run-head');
    add(head, 'span', `verdict ${r.passed ? 'pass' : 'fail'}`, r.passed ? 'PASSED' : 'FAILED');
    add(head, 'span', 'scenario', r.scenario);
    add(head, 'span', 'muted', `${r.seeds.length} seed(s) × ${r.combinations.length} combination(s) · ${passed}/${runs} runs passed`);
    const steps = add(app, 'div', 'sweep-steps');
    const count = Math.max(0, ...r.combinations.map((c) => c.steps.length));
    for (let k = 0; k < count; k++) stepPanel(steps, r, k);
    select(document.body).attr('data-ready', 'true');
  } catch (e) {
    add(app, 'pre', 'fatal', `The report could not be shown: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
}

boot();
