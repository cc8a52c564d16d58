// A step's summary counts requests by shape (status, outcome, path, backend, mirrors). A builder
// sums its shapes every so often rather than keeping one per request until the end, since every
// fan-out request is a shape of its own: the counts must come out as a tally of the records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hop, RequestRecord } from '../../src/result/types';
import { SummaryBuilder } from '../../src/run/summary';

const HOPS: Hop[] = [
  { kind: 'pod', name: 'curl', namespace: 'a', node: 'n1', cluster: 'c1' },
  { kind: 'ztunnel', name: 'ztunnel-n1', node: 'n1', cluster: 'c1', protocol: 'HBONE' },
  { kind: 'pod', name: 'srv', namespace: 'b', node: 'n2', cluster: 'c1' },
];

function record(i: number, pod: number, status: number, mirror: boolean): RequestRecord {
  return {
    id: i,
    startMs: i,
    latencyMs: 1 + (i % 7),
    from: { cluster: 'c1', namespace: 'a', pod: 'curl', node: 'n1', identity: null },
    to: { host: 'srv.b', port: 80 },
    method: 'GET',
    path: '/',
    outcome: 'response',
    status,
    backend: { cluster: `c${pod % 3}`, namespace: 'b', pod: `srv-${pod}`, node: 'n2', workload: `srv-w${pod % 5}` },
    hops: HOPS,
    decisions: [],
    ...(mirror ? { mirroredTo: [{ cluster: 'c1', namespace: 'b', pod: `shadow-${pod % 4}`, node: 'n2' }] } : {}),
  };
}

function tally(records: RequestRecord[], key: (r: RequestRecord) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) {
    const k = key(r);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

describe('SummaryBuilder', () => {
  it('counts thousands of distinct shapes as a tally of their records', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(4000), fc.constantFrom(200, 503), fc.boolean()), { minLength: 2500, maxLength: 3500 }), (specs) => {
        const records = specs.map(([pod, status, mirror], i) => record(i + 1, pod, status, mirror));
        const b = new SummaryBuilder();
        for (const r of records) b.add(r);
        const s = b.build();
        expect(s.count).toBe(records.length);
        expect(s.statuses).toEqual(tally(records, (r) => String(r.status)));
        expect(s.backends).toEqual(tally(records, (r) => `b/${r.backend!.pod}`));
        expect(s.workloads).toEqual(tally(records, (r) => `b/${r.backend!.workload}`));
        expect(s.clusters).toEqual(tally(records, (r) => r.backend!.cluster));
        expect(s.mirrored ?? {}).toEqual(tally(records, (r) => (r.mirroredTo ? `b/${r.mirroredTo[0]!.pod}` : undefined)));
        expect(s.paths).toEqual([{ via: ['ztunnel'], count: records.length }]);
        // Keys come out sorted whenever the shapes were summed.
        expect(Object.keys(s.backends)).toEqual(Object.keys(s.backends).sort());
      }),
      { numRuns: 20 },
    );
  });
});
