// One request hop by hop: a sequence diagram (one lifeline per hop, time going down) and a table
// of the time at each hop, the identity each proxy saw and the decisions it took.
import type { CallRecord, Hop, RequestRecord } from '../../../src/result/types';
import { decisionsByHop, describeDecision, stopOf } from '../decisions';
import { add, ms, type Sel } from './dom';

type AnyRequest = RequestRecord | CallRecord;

const COL_W = 150;
const ROW_MIN = 34;
const TOP = 54;

function hopTitle(h: Hop): string {
  return h.kind === 'pod' ? h.name : `${h.kind} ${h.namespace ? `${h.namespace}/` : ''}${h.name}`;
}

function answer(r: AnyRequest): string {
  return r.outcome === 'response' ? `${r.status ?? ''}` : r.outcome;
}

export function renderRequest<P extends Element>(root: Sel<P>, r: AnyRequest, depth = 0): void {
  const box = add(root, 'div', 'request-detail').attr('data-depth', depth);
  const head = add(box, 'div', 'req-head');
  if ('id' in r) add(head, 'span', 'req-id', `#${r.id}`);
  add(head, 'span', 'req-line', `${r.method} ${r.to.host}:${r.to.port}${r.path}`);
  add(head, 'span', `status ${r.outcome === 'response' && (r.status ?? 0) < 400 ? 'ok' : 'bad'}`, answer(r));
  add(head, 'span', 'muted', `${ms(r.latencyMs)} · started at ${ms(r.startMs)}`);
  if (r.error) add(box, 'div', 'req-error', r.error);
  if ('from' in r && r.from.identity) add(box, 'div', 'muted', `client identity ${r.from.identity}`);

  const byHop = decisionsByHop(r.hops, r.decisions);
  const stop = stopOf(r);
  drawSequence(box, r, stop?.hop);

  const table = add(box, 'table', 'hops');
  const hr = add(add(table, 'thead'), 'tr');
  for (const c of ['#', 't', 'hop', 'where', 'identity seen', 'decisions']) add(hr, 'th', undefined, c);
  const body = add(table, 'tbody');
  r.hops.forEach((h, i) => {
    const tr = add(body, 'tr', stop?.hop === i ? 'stopped' : undefined).attr('data-hop', i).attr('data-kind', h.kind);
    add(tr, 'td', undefined, String(i));
    add(tr, 'td', 'num', h.atMs === undefined ? '–' : ms(h.atMs));
    add(tr, 'td', `kind-${h.kind}`, `${hopTitle(h)}${h.protocol ? ` (${h.protocol})` : ''}`);
    add(tr, 'td', 'muted', [h.cluster, h.node].filter(Boolean).join(' / '));
    const here = byHop.get(i) ?? [];
    const ids = [...new Set(here.map((d) => d.sourceIdentity).filter((x): x is string => !!x))];
    add(tr, 'td', 'identity', ids.join('\n') || (i === 0 && 'from' in r ? r.from.identity ?? '' : ''));
    const cell = add(tr, 'td', 'decisions');
    for (const d of here) add(cell, 'div', `decision result-${d.result.toLowerCase()}`, describeDecision(d)).attr('title', d.detail ? JSON.stringify(d.detail) : null);
  });
  const unplaced = byHop.get(-1) ?? [];
  if (unplaced.length) {
    const ul = add(box, 'ul', 'decisions unplaced');
    for (const d of unplaced) add(ul, 'li', undefined, describeDecision(d));
  }
  if (r.body) add(box, 'pre', 'body', r.body.length > 2000 ? `${r.body.slice(0, 2000)}…` : r.body);
  if (r.calls?.length && depth < 4) {
    add(box, 'h3', undefined, `calls made while answering (${r.calls.length})`);
    for (const c of r.calls) renderRequest(box, c, depth + 1);
  }
}

/** Lifelines left to right in hop order; each arrow lands at the time the hop was reached. */
function drawSequence<P extends Element>(root: Sel<P>, r: AnyRequest, stopHop: number | undefined): void {
  const n = r.hops.length;
  if (n === 0) return;
  const total = Math.max(r.latencyMs, ...r.hops.map((h) => h.atMs ?? 0), 1e-6);
  const pxPerMs = 240 / total;
  const ys: number[] = [];
  r.hops.forEach((h, i) => {
    const y = TOP + (h.atMs ?? 0) * pxPerMs;
    ys.push(i === 0 ? TOP : Math.max(y, ys[i - 1]! + ROW_MIN));
  });
  const endY = Math.max(TOP + total * pxPerMs, ys[n - 1]! + ROW_MIN);
  const width = n * COL_W;
  const svg = add(root, 'div', 'sequence-frame').append('svg').attr('class', 'sequence').attr('width', width).attr('height', endY + 30).attr('viewBox', `0 0 ${width} ${endY + 30}`);
  const x = (i: number) => i * COL_W + COL_W / 2;
  const cols = svg.selectAll('g.lifeline').data(r.hops).join('g').attr('class', (h) => `lifeline kind-${h.kind}`);
  cols.append('rect').attr('x', (_, i) => x(i) - COL_W / 2 + 6).attr('y', 4).attr('width', COL_W - 12).attr('height', 34).attr('rx', 4);
  cols.append('text').attr('x', (_, i) => x(i)).attr('y', 18).attr('text-anchor', 'middle').attr('class', 'll-kind').text((h) => h.kind);
  cols.append('text').attr('x', (_, i) => x(i)).attr('y', 32).attr('text-anchor', 'middle').attr('class', 'll-name').text((h) => clip(h.pod ?? h.name, 22));
  cols.append('title').text(hopTitle);
  cols.append('line').attr('x1', (_, i) => x(i)).attr('x2', (_, i) => x(i)).attr('y1', 38).attr('y2', endY + 10);

  for (let i = 1; i < n; i++) {
    const h = r.hops[i]!;
    const g = svg.append('g').attr('class', 'msg');
    g.append('line').attr('x1', x(i - 1)).attr('y1', ys[i - 1]!).attr('x2', x(i) - 4).attr('y2', ys[i]!);
    g.append('text').attr('x', (x(i - 1) + x(i)) / 2).attr('y', (ys[i - 1]! + ys[i]!) / 2 - 4).attr('text-anchor', 'middle')
      .text(`${h.protocol ?? ''} ${h.atMs === undefined ? '' : ms(h.atMs)}`.trim());
  }
  const last = stopHop ?? n - 1;
  const back = svg.append('g').attr('class', `msg reply ${r.outcome === 'response' && (r.status ?? 0) < 400 ? 'ok' : 'bad'}`);
  back.append('line').attr('x1', x(last)).attr('y1', endY).attr('x2', x(0) + 4).attr('y2', endY);
  back.append('text').attr('x', (x(0) + x(last)) / 2).attr('y', endY - 5).attr('text-anchor', 'middle').text(`${answer(r)} after ${ms(r.latencyMs)}`);
  if (stopHop !== undefined) {
    const m = svg.append('g').attr('class', 'deny-mark seq-stop');
    m.append('circle').attr('cx', x(stopHop)).attr('cy', ys[stopHop]!).attr('r', 10);
    m.append('text').attr('x', x(stopHop)).attr('y', ys[stopHop]! + 4).attr('text-anchor', 'middle').text('✕');
    const d = stopOf(r)?.decision;
    m.append('title').text(d ? describeDecision(d) : `stopped: ${answer(r)}${r.error ? ` (${r.error})` : ''}`);
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
