// Everything about the selected step: its details, distributions and the kept requests.
import type { RequestRecord } from '../../../src/result/types';
import { viaOf } from '../../../src/result/via';
import { cdfPoints, latencyBins, percentiles, shares, timeline } from '../aggregate';
import type { ViewStep } from '../model';
import { cdf, histogram, latencyDomain, shareBars, timelineChart } from './charts';
import { add, ms, type Sel } from './dom';
import { renderStepDetails } from './steps';

function countBy(requests: RequestRecord[], key: (r: RequestRecord) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) {
    const k = key(r);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function via(r: RequestRecord): string {
  return viaOf(r).join(' → ') || '(direct)';
}

export function renderStep<P extends Element>(root: Sel<P>, s: ViewStep, onRequest: (r: RequestRecord) => void): void {
  renderStepDetails(root, s);
  const requests = s.requests ?? [];
  const summary = s.summary;
  if (!summary && requests.length === 0) return;

  const total = summary?.count ?? requests.length;
  const kept = requests.length;
  const sampleNote = kept < total ? ` (from ${kept} kept of ${total} requests)` : '';
  const latencies = requests.map((r) => r.latencyMs);
  const [p50, p90, p99] = percentiles(latencies, [0.5, 0.9, 0.99]);
  const marks = summary?.latencyMs ?? { p50: p50!, p90: p90!, p99: p99! };

  const stats = add(root, 'div', 'stats');
  for (const [k, v] of [
    ['requests', String(total)],
    ['p50', ms(marks.p50)],
    ['p90', ms(marks.p90)],
    ['p99', ms(marks.p99)],
    ...(summary?.latencyMs.max !== undefined ? [['max', ms(summary.latencyMs.max)]] : []),
    ...(summary?.throughputRps !== undefined ? [['throughput', `${summary.throughputRps.toFixed(1)}/s`]] : []),
  ] as [string, string][]) {
    const d = add(stats, 'div', 'stat');
    add(d, 'span', 'stat-val', v);
    add(d, 'span', 'stat-key', k);
  }

  const charts = add(root, 'div', 'charts');
  const bins = summary?.latencyBins ?? latencyBins(latencies);
  histogram(charts, bins, marks, summary?.latencyBins ? '' : sampleNote);
  cdf(charts, cdfPoints(latencies), latencyDomain(bins, marks), marks, sampleNote);
  const buckets = summary?.timeline ?? timeline(requests);
  if (buckets.length >= 3) timelineChart(charts, buckets, summary?.timeline ? '' : sampleNote);

  const bars = add(root, 'div', 'charts');
  shareBars(bars, 'statuses', 'status', shares(summary?.statuses ?? countBy(requests, (r) => (r.status === undefined ? undefined : String(r.status)))));
  shareBars(bars, 'outcomes', 'outcome', shares(summary?.outcomes ?? countBy(requests, (r) => r.outcome)));
  shareBars(bars, 'backends', 'backend', shares(summary?.backends ?? countBy(requests, (r) => (r.backend ? `${r.backend.namespace}/${r.backend.pod}` : undefined))));
  if (summary?.clusters && Object.keys(summary.clusters).length > 1) shareBars(bars, 'clusters', 'answering cluster', shares(summary.clusters));
  if (summary?.paths.length) {
    shareBars(bars, 'paths', 'path (proxy hops)', shares(Object.fromEntries(summary.paths.map((p) => [p.via.join(' → ') || '(direct)', p.count]))));
  }
  if (summary?.denies?.length) {
    noteList(bars, 'denies', 'denied by', summary.denies.map((d) => `${d.count} × at ${d.at} by ${d.policy ?? '(no policy)'}${d.reason ? `: ${d.reason}` : ''}`));
  }
  if (summary?.connectionPool?.length) {
    const what = { queued: 'waited for a pooled connection', overflow: 'turned away (503 overflow)' };
    noteList(bars, 'connection-pool', 'connection pool', summary.connectionPool.map((p) => `${p.count} × ${what[p.result]} at ${p.at}${p.policy ? ` (DestinationRule ${p.policy})` : ''}`));
  }

  if (kept === 0) return;
  add(root, 'h3', undefined, `requests${kept < total ? ` (the first ${kept} of ${total} kept)` : ''}`);
  const wrap = add(root, 'div', 'table-wrap');
  const table = add(wrap, 'table', 'requests');
  const hr = add(add(table, 'thead'), 'tr');
  for (const c of ['#', 'start', 'request', 'answer', 'latency', 'via', 'backend']) add(hr, 'th', undefined, c);
  const body = add(table, 'tbody');
  body.selectAll('tr').data(requests).join('tr')
    .attr('data-request', (r) => r.id)
    .attr('class', (r) => (r.outcome === 'response' && (r.status ?? 0) < 400 ? 'ok' : 'bad'))
    .attr('tabindex', 0)
    .on('click', (_ev, r) => onRequest(r))
    .on('keydown', (ev: KeyboardEvent, r) => {
      if (ev.key === 'Enter') onRequest(r);
    })
    .selectAll('td')
    .data((r) => [String(r.id), ms(r.startMs), `${r.method} ${r.to.host}${r.path}`, r.outcome === 'response' ? String(r.status ?? '') : r.outcome, ms(r.latencyMs), via(r), r.backend ? `${r.backend.namespace}/${r.backend.pod}` : '–'])
    .join('td')
    .text((d) => d);
}

/** A captioned list of counted notes beside the charts. */
function noteList<P extends Element>(root: Sel<P>, id: string, caption: string, items: string[]): void {
  const fig = add(root, 'figure', `chart ${id}`).attr('id', id);
  add(fig, 'figcaption', undefined, caption);
  const ul = add(fig, 'ul');
  for (const item of items) add(ul, 'li', undefined, item);
}
