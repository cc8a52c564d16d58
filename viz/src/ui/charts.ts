// A step's distributions: latency histogram and CDF with p50/p90/p99, status/outcome/backend
// shares, and throughput and latency over simulated time.
import { max } from 'd3-array';
import { axisBottom, axisLeft, axisRight } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { LatencySummary } from '../../../src/result/types';
import type { LatencyBins, TimelineBucket } from '../model';
import type { Share } from '../aggregate';
import { add, ms, pct, type Sel } from './dom';

const W = 420;
const H = 200;
const M = { top: 14, right: 16, bottom: 32, left: 46 };
/** Room for the timeline's latency axis on the right. */
const RIGHT_AXIS = 44;

function frame<P extends Element>(root: Sel<P>, id: string, title: string) {
  const fig = add(root, 'figure', 'chart').attr('id', id);
  add(fig, 'figcaption', undefined, title);
  const svg = fig.append('svg').attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H);
  return svg;
}

type Marks = Pick<LatencySummary, 'p50' | 'p90' | 'p99'>;

function percentileLines(svg: Sel<SVGSVGElement>, x: (v: number) => number, marks: Marks): void {
  const g = svg.append('g').attr('class', 'pmarks');
  for (const [name, v] of [['p50', marks.p50], ['p90', marks.p90], ['p99', marks.p99]] as const) {
    if (!Number.isFinite(v)) continue;
    const px = x(v);
    const m = g.append('g').attr('class', `pmark ${name}`).attr('data-p', name);
    m.append('line').attr('x1', px).attr('x2', px).attr('y1', M.top).attr('y2', H - M.bottom);
    const left = px > W - M.right - 70;
    m.append('text').attr('x', left ? px - 3 : px + 3).attr('text-anchor', left ? 'end' : 'start').attr('y', M.top + 10 + (name === 'p90' ? 12 : name === 'p99' ? 24 : 0)).text(`${name} ${ms(v)}`);
  }
}

/** One latency axis for the histogram and the CDF: the bins, widened to show p99. */
export function latencyDomain(bins: LatencyBins, marks: Marks): [number, number] {
  const lo = bins.edgesMs[0] ?? 0;
  const hi = Math.max(bins.edgesMs[bins.edgesMs.length - 1] ?? 1, Number.isFinite(marks.p99) ? marks.p99 : 0);
  return [lo, hi > lo ? hi : lo + 1];
}

export function histogram<P extends Element>(root: Sel<P>, bins: LatencyBins, marks: Marks, note: string): void {
  const svg = frame(root, 'histogram', `latency histogram${note}`);
  if (bins.counts.length === 0) return;
  const x = scaleLinear().domain(latencyDomain(bins, marks)).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, max(bins.counts) ?? 1]).nice().range([H - M.bottom, M.top]);
  svg.append('g').selectAll('rect').data(bins.counts).join('rect').attr('class', 'bar')
    .attr('x', (_, i) => x(bins.edgesMs[i]!) + 0.5)
    .attr('width', (_, i) => Math.max(1, x(bins.edgesMs[i + 1]!) - x(bins.edgesMs[i]!) - 1))
    .attr('y', (c) => y(c)).attr('height', (c) => y(0) - y(c))
    .append('title').text((c, i) => `${ms(bins.edgesMs[i]!)} – ${ms(bins.edgesMs[i + 1]!)}: ${c}`);
  svg.append('g').attr('transform', `translate(0,${H - M.bottom})`).call(axisBottom(x).ticks(6).tickFormat((v) => ms(+v)));
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5));
  percentileLines(svg, x, marks);
}

export function cdf<P extends Element>(root: Sel<P>, points: [number, number][], domain: [number, number], marks: Marks, note: string): void {
  const svg = frame(root, 'cdf', `latency CDF${note}`);
  if (points.length === 0) return;
  const lo = Math.min(domain[0], points[0]![0]);
  const x = scaleLinear().domain([lo, Math.max(domain[1], points[points.length - 1]![0])]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const steps: [number, number][] = [[lo, 0]];
  for (const [v, f] of points) {
    steps.push([v, steps[steps.length - 1]![1]], [v, f]);
  }
  svg.append('path').attr('class', 'cdf-line').attr('d', line<[number, number]>().x((d) => x(d[0])).y((d) => y(d[1]))(steps) ?? '');
  svg.append('g').attr('transform', `translate(0,${H - M.bottom})`).call(axisBottom(x).ticks(6).tickFormat((v) => ms(+v)));
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5).tickFormat((v) => pct(+v)));
  percentileLines(svg, x, marks);
}

/** Horizontal bars of shares, one row each. */
export function shareBars<P extends Element>(root: Sel<P>, id: string, title: string, data: Share[]): void {
  const fig = add(root, 'figure', 'chart shares').attr('id', id);
  add(fig, 'figcaption', undefined, title);
  const table = add(fig, 'div', 'share-rows');
  for (const s of data) {
    const row = add(table, 'div', 'share-row').attr('data-key', s.key);
    add(row, 'span', `share-key key-${cssKey(s.key)}`, s.key);
    const track = add(row, 'span', 'share-track');
    add(track, 'span', `share-fill key-${cssKey(s.key)}`).style('width', `${(s.share * 100).toFixed(2)}%`);
    add(row, 'span', 'share-val', `${s.count} · ${pct(s.share)}`);
  }
  if (data.length === 0) add(table, 'div', 'muted', 'none');
}

/** Class suffix for colouring known keys (2xx/4xx/5xx, outcomes); other keys get none. */
function cssKey(k: string): string {
  if (/^[2-5]\d\d$/.test(k)) return `${k[0]}xx`;
  return /^[a-z-]+$/.test(k) ? k : 'other';
}

export function timelineChart<P extends Element>(root: Sel<P>, buckets: TimelineBucket[], note: string): void {
  const svg = frame(root, 'timeline', `requests/s (bars), p50 and p99 latency (lines) over simulated time${note}`);
  if (buckets.length < 2) return;
  const w = buckets[1]!.startMs - buckets[0]!.startMs;
  const x = scaleLinear().domain([buckets[0]!.startMs, buckets[buckets.length - 1]!.startMs + w]).range([M.left, W - M.right - RIGHT_AXIS]);
  const rate = (b: TimelineBucket) => (b.count * 1000) / w;
  const yr = scaleLinear().domain([0, max(buckets, rate) ?? 1]).nice().range([H - M.bottom, M.top]);
  const yl = scaleLinear().domain([0, max(buckets, (b) => (Number.isFinite(b.p99) ? b.p99 : 0)) ?? 1]).nice().range([H - M.bottom, M.top]);
  svg.append('g').selectAll('rect').data(buckets).join('rect').attr('class', 'bar rate')
    .attr('x', (b) => x(b.startMs) + 0.5).attr('width', Math.max(1, x(buckets[0]!.startMs + w) - x(buckets[0]!.startMs) - 1))
    .attr('y', (b) => yr(rate(b))).attr('height', (b) => yr(0) - yr(rate(b)))
    .append('title').text((b) => `${ms(b.startMs)}: ${b.count} requests (${rate(b).toFixed(1)}/s), ${b.errors} errors, p50 ${ms(b.p50)}, p99 ${ms(b.p99)}`);
  const pts = buckets.filter((b) => Number.isFinite(b.p50));
  for (const [cls, f] of [['p50', (b: TimelineBucket) => b.p50], ['p99', (b: TimelineBucket) => b.p99]] as const) {
    svg.append('path').attr('class', `lat-line ${cls}`).attr('d', line<TimelineBucket>().x((b) => x(b.startMs + w / 2)).y((b) => yl(f(b)))(pts) ?? '');
  }
  svg.append('g').attr('transform', `translate(0,${H - M.bottom})`).call(axisBottom(x).ticks(6).tickFormat((v) => ms(+v)));
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(yr).ticks(5));
  svg.append('g').attr('transform', `translate(${W - M.right - RIGHT_AXIS},0)`).attr('class', 'right-axis').call(axisRight(yl).ticks(4).tickFormat((v) => ms(+v)));
}
