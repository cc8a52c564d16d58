// Parsing what a sweep varies, and the statistics it reports.
import { describe, expect, it } from 'vitest';
import { LatencyStats } from '../../sim';
import { combinations, meanCI, parseSeeds, parseSet, sweepProblems, tQuantile975, type SetParam } from '../../src/sweep';

describe('parseSeeds', () => {
  it.each([
    ['1..4', [1, 2, 3, 4]],
    ['7', [7]],
    ['1,5,9', [1, 5, 9]],
    ['1..2,10..11', [1, 2, 10, 11]],
    [' 3 .. 4 ', [3, 4]],
  ])('%s', (text, seeds) => {
    expect(parseSeeds(text)).toEqual({ ok: true, value: seeds });
  });

  it.each([
    ['4..1', /empty/],
    ['a', /not a seed/],
    ['1,1', /twice/],
    ['1..', /not a seed/],
  ])('rejects %s', (text, message) => {
    const r = parseSeeds(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('parseSet', () => {
  it.each([
    ['latency.proxies.waypoint.workers=1,2,4', ['latency', 'proxies', 'waypoint', 'workers'], [1, 2, 4]],
    ['latency.waypoint.workers=1,2,4', ['latency', 'proxies', 'waypoint', 'workers'], [1, 2, 4]],
    ['latency.ztunnel.cpu=30us', ['latency', 'proxies', 'ztunnel', 'cpu'], ['30us']],
    ['spec.latency.propagation=100ms', ['latency', 'propagation'], ['100ms']],
    ['istio.features.PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true,false', ['istio', 'features', 'PILOT_AUTO_ALLOW_WAYPOINT_POLICY'], [true, false]],
    ['steps.0.request.count=5', ['steps', 0, 'request', 'count'], [5]],
  ])('%s', (text, keys, values) => {
    const r = parseSet(text);
    expect(r.ok && r.value.keys).toEqual(keys);
    expect(r.ok && r.value.values).toEqual(values);
  });

  it.each([['novalue'], ['=1'], ['a b=1'], ['a=1,,2']])('rejects %s', (text) => {
    expect(parseSet(text).ok).toBe(false);
  });

  it('crosses combinations, the first --set varying slowest', () => {
    const a = parseSet('a=1,2');
    const b = parseSet('b=x,y');
    if (!a.ok || !b.ok) throw new Error('parse');
    expect(combinations([a.value, b.value]).map((c) => c.label.join(' '))).toEqual(['a=1 b=x', 'a=1 b=y', 'a=2 b=x', 'a=2 b=y']);
    expect(combinations([])).toEqual([{ index: 0, label: [], assignments: [] }]);
  });
});

describe('sweepProblems', () => {
  const sets = (...texts: string[]): SetParam[] =>
    texts.map((t) => {
      const p = parseSet(t);
      if (!p.ok) throw new Error(p.message);
      return p.value;
    });

  it('accepts distinct paths and values within the replication limit', () => {
    expect(sweepProblems(32, sets('latency.waypoint.workers=1,2,4', 'steps.0.request.rate=100/s,1000/s'))).toEqual([]);
  });

  it('refuses one path set twice, also through the latency.<proxy> short form', () => {
    expect(sweepProblems(2, sets('latency.waypoint.workers=1', 'spec.latency.proxies.waypoint.workers=2'))).toEqual([
      '--set latency.proxies.waypoint.workers: the same path as --set latency.waypoint.workers; list every value in one --set',
    ]);
  });

  it('refuses a value listed twice for one path', () => {
    expect(sweepProblems(2, sets('seed=1,2,1'))).toEqual(['--set seed: a value is listed twice']);
  });

  it('refuses a grid past the replication limit before any combination is built', () => {
    const ten = Array.from({ length: 10 }, (_, i) => i + 1).join(',');
    expect(sweepProblems(3, sets(`latency.waypoint.workers=${ten}`, `latency.ztunnel.workers=${ten}`, `latency.sidecar.workers=${ten}`, `latency.gateway.workers=${ten}`, `steps.0.request.count=${ten}`))).toEqual([
      '300,000 replications (3 seed(s) × 100,000 combinations); a sweep plays at most 100,000',
    ]);
  });
});

describe('meanCI', () => {
  it.each([
    [[], 0, 0],
    [[5], 5, 0],
    // mean 2, sd 1, n 3: t(0.975, 2) = 4.303 → 4.303 / √3
    [[1, 2, 3], 2, 2.484339],
    [[10, 10, 10, 10], 10, 0],
  ])('%j', (values, mean, ci95) => {
    const r = meanCI(values);
    expect(r.mean).toBe(mean);
    expect(r.ci95).toBeCloseTo(ci95, 5);
  });

  it('t quantile approaches the normal one', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(31)).toBeCloseTo(2.04, 2);
    expect(tQuantile975(1000)).toBeCloseTo(1.962, 3);
  });
});

describe('LatencyStats runs', () => {
  it.each([
    ['exact', 500, 1000],
    ['sketch', 5000, 1000],
  ])('%s: a run pooled on its own after a structured clone answers and merges like the original', (_, n, exactLimit) => {
    const a = new LatencyStats({ exactLimit });
    for (let i = 0; i < n; i++) a.add(((i * 7919) % 1000) / 10);
    const copy = LatencyStats.pool([structuredClone(a.asRun())], { exactLimit });
    for (const p of [0, 50, 90, 99, 100]) expect(copy.percentile(p)).toBe(a.percentile(p));
    expect([copy.count, copy.sum, copy.min, copy.max, copy.exact]).toEqual([a.count, a.sum, a.min, a.max, a.exact]);
    const m1 = new LatencyStats({ exactLimit });
    const m2 = new LatencyStats({ exactLimit });
    m1.merge(a);
    m2.merge(copy);
    expect(m2.percentile(99)).toBe(m1.percentile(99));
  });
});
