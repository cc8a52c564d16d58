// Means with 95% intervals side by side: one band per group (a sweep's parameter combination), one
// whisker per series (p50, p90, p99) inside it, on a shared latency axis.
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleBand, scaleLinear } from 'd3-scale';
import { add, ms, type Sel } from './dom';

export interface IntervalPoint {
  /** The band's label on the axis. */
  group: string;
  /** The whole name, shown on hover. */
  title: string;
  value: { mean: number; ci95: number; n: number };
}

export interface IntervalSeries {
  /** Also the marks' class: p50, p90, p99 share the histogram's colours. */
  key: string;
  points: IntervalPoint[];
}

const H = 240;
const M = { top: 16, right: 16, bottom: 40, left: 56 };
const BAND = 96;

/** A combination's values, short: the last segment of each path with its value (`workers=1 · rate=9000/s`). */
export function shortLabel(set: Record<string, unknown>): string {
  const parts = Object.entries(set).map(([path, v]) => `${path.slice(path.lastIndexOf('.') + 1)}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(' · ') : 'as written';
}

export function intervalChart<P extends Element>(root: Sel<P>, series: IntervalSeries[], caption: string): void {
  const groups = [...new Set(series.flatMap((s) => s.points.map((p) => p.group)))];
  const W = Math.max(420, M.left + M.right + groups.length * BAND);
  const fig = add(root, 'figure', 'chart intervals').attr('id', null);
  add(fig, 'figcaption', undefined, caption);
  const svg = fig.append('svg').attr('class', 'interval-chart').attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H);
  const top = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.value.mean + p.value.ci95)));
  const y = scaleLinear().domain([0, top > 0 ? top : 1]).nice().range([H - M.bottom, M.top]);
  const x = scaleBand<string>().domain(groups).range([M.left, W - M.right]).paddingInner(0.2).paddingOuter(0.1);
  const inner = scaleBand<string>().domain(series.map((s) => s.key)).range([0, x.bandwidth()]).padding(0.3);
  for (const s of series) {
    const g = svg.append('g').attr('class', `series ${s.key}`);
    for (const p of s.points) {
      const cx = (x(p.group) ?? 0) + (inner(s.key) ?? 0) + inner.bandwidth() / 2;
      const lo = y(Math.max(0, p.value.mean - p.value.ci95));
      const hi = y(p.value.mean + p.value.ci95);
      const m = g.append('g').attr('class', `ci-mark ${s.key}`).attr('data-p', s.key).attr('data-group', p.group).attr('data-mean', p.value.mean);
      m.append('line').attr('class', 'whisker').attr('x1', cx).attr('x2', cx).attr('y1', lo).attr('y2', hi);
      for (const yy of [lo, hi]) m.append('line').attr('class', 'cap').attr('x1', cx - 4).attr('x2', cx + 4).attr('y1', yy).attr('y2', yy);
      m.append('circle').attr('cx', cx).attr('cy', y(p.value.mean)).attr('r', 3.5);
      m.append('title').text(`${p.title}\n${s.key} ${ms(p.value.mean)} ± ${ms(p.value.ci95)} (95%, ${p.value.n} run${p.value.n === 1 ? '' : 's'})`);
    }
  }
  svg.append('g').attr('transform', `translate(0,${H - M.bottom})`).call(axisBottom(x));
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5).tickFormat((v) => ms(+v)));
  const legend = add(fig, 'div', 'interval-legend');
  for (const s of series) add(legend, 'span', `key ${s.key}`, s.key);
}
