import { describe, expect, it } from 'vitest';
import { bucketWidth, cdfPoints, flatRequests, latencyBins, pathWeights, percentiles, shares, timeline } from '../../viz/src/aggregate';
import type { Hop } from '../../src/result/types';
import { deniedRequest, requestStep, resetRequest, splitRequest } from './fixtures';

describe('latencyBins', () => {
  it.each([
    { values: [], edges: [], counts: [] },
    { values: [1, 2, 3, 4], target: 3, edges: [1, 2, 3, 4, 5], counts: [1, 1, 1, 1] },
    { values: [0.12, 0.18, 0.31], target: 2, edges: [0.1, 0.2, 0.3, 0.4], counts: [2, 0, 1] },
    { values: [0.7, 0.7], edges: [0.7, 0.8], counts: [2] },
  ])('bins $values into round edges', ({ values, target, edges, counts }) => {
    const b = latencyBins(values, target);
    expect(b.edgesMs.map((e) => +e.toFixed(6))).toEqual(edges);
    expect(b.counts).toEqual(counts);
  });

  it('counts every value exactly once, whatever the spread', () => {
    const values = Array.from({ length: 997 }, (_, i) => 0.3 + ((i * 7919) % 1000) / 137);
    const b = latencyBins(values);
    expect(b.counts.reduce((s, c) => s + c, 0)).toBe(values.length);
    expect(b.edgesMs).toHaveLength(b.counts.length + 1);
    expect(b.edgesMs[0]).toBeLessThanOrEqual(Math.min(...values));
    expect(b.edgesMs[b.edgesMs.length - 1]).toBeGreaterThan(Math.max(...values));
  });
});

describe('cdfPoints and percentiles', () => {
  it('steps once per distinct value up to 1', () => {
    expect(cdfPoints([3, 1, 2, 2])).toEqual([[1, 0.25], [2, 0.75], [3, 1]]);
    expect(cdfPoints([])).toEqual([]);
  });
  it.each([
    { values: [1, 2, 3, 4, 5], ps: [0, 0.5, 1], out: [1, 3, 5] },
    { values: [10, 20], ps: [0.5], out: [15] },
  ])('percentiles of $values', ({ values, ps, out }) => {
    expect(percentiles(values, ps)).toEqual(out);
  });
});

describe('shares', () => {
  it('orders by count, then key, and folds the tail', () => {
    expect(shares({ '200': 90, '503': 5, '403': 5, '404': 0 }, 2)).toEqual([
      { key: '200', count: 90, share: 0.9 },
      { key: '403', count: 5, share: 0.05 },
      { key: 'others (1)', count: 5, share: 0.05 },
    ]);
    expect(shares(undefined)).toEqual([]);
  });
});

describe('timeline', () => {
  it.each([
    { span: 1000, max: 60, width: 20 },
    { span: 59, max: 60, width: 1 },
    { span: 0, max: 60, width: 0.00002 },
    { span: 250_000, max: 50, width: 5000 },
  ])('buckets of $width ms for a $span ms span', ({ span, max, width }) => {
    expect(bucketWidth(span, max)).toBeCloseTo(width, 10);
  });

  it('counts requests, errors and latency per slice, with empty slices kept', () => {
    const rs = [
      { startMs: 0, latencyMs: 1, outcome: 'response' as const, status: 200 },
      { startMs: 5, latencyMs: 3, outcome: 'reset' as const },
      { startMs: 25, latencyMs: 2, outcome: 'response' as const, status: 503 },
    ];
    const t = timeline(rs, 3);
    expect(t.map((b) => [b.startMs, b.count, b.errors])).toEqual([[0, 2, 1], [10, 0, 0], [20, 1, 1]]);
    expect(t[0]!.p50).toBe(2);
    expect(t[1]!.p50).toBeNaN();
  });
});

describe('pathWeights', () => {
  const byName = (h: Hop) => `${h.kind}:${h.pod ?? h.name}`;

  it('weights each edge by the requests that took it (the 90/10 split)', () => {
    const rs = Array.from({ length: 20 }, (_, i) => splitRequest(i, i, i % 10 === 9));
    const w = pathWeights(rs, byName);
    const count = (a: string, b: string) => w.edges.find((e) => e.from.endsWith(a) && e.to.endsWith(b))?.count;
    expect(count('curl-5b8d7-k2j4h', 'ztunnel-c1-node-a')).toBe(20);
    expect(count('waypoint-7d9f4-qq2lp', 'ztunnel-c1-node-b')).toBe(18);
    expect(count('waypoint-7d9f4-qq2lp', 'ztunnel-c1-node-c')).toBe(2);
    expect(w.vertices.get('waypoint:waypoint-7d9f4-qq2lp')).toBe(20);
    expect(w.stops).toEqual([]);
  });

  it('marks where a denied or reset request stopped, with the deciding policy', () => {
    const w = pathWeights([deniedRequest(1, 0), deniedRequest(2, 1), resetRequest(3, 2)], byName);
    expect(w.stops.map((s) => [s.vertex, s.count, s.what, s.decisions[0]?.policy])).toEqual([
      ['waypoint:waypoint-7d9f4-qq2lp', 2, '403', 'accounts/deny-post'],
      ['ztunnel:ztunnel-c1-node-c', 1, 'reset', 'ledger/ledger-l4'],
    ]);
  });

  it('adds no edge between hops drawn as one vertex, and counts a vertex once per request', () => {
    const sameBox = (h: Hop) => (h.kind === 'ztunnel' ? 'zt' : byName(h));
    const w = pathWeights([resetRequest(1, 0)], sameBox);
    expect(w.edges).toEqual([{ from: 'pod:curl-5b8d7-k2j4h', to: 'zt', count: 1 }]);
    expect(w.vertices.get('zt')).toBe(1);
  });

  it('includes the calls apps made while answering', () => {
    const parent = splitRequest(1, 0, false);
    parent.calls = [{ ...resetRequest(2, 0.7) }];
    expect(flatRequests(requestStep('s', [parent]))).toHaveLength(2);
  });
});
