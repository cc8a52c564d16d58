// reference/routing.md §5.7: an HTTP/1.1 pool carries one request per connection, past
// maxConnections requests wait in the pending queue. Whatever order requests arrive, end and give
// up in, the connections in use never exceed maxConnections, waiting requests are served first
// come first served, and once every request is gone the pool is empty again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/dataplane/trace';
import { ConnectionPool, DEFAULT_CONNECTION_POOL } from '../../src/routing';
import { PoolWaits } from '../../src/run/pool-waits';

type State = 'serving' | 'travelling' | 'parked' | 'done';

interface Req {
  trace: TraceResult;
  state: State;
  resumed: number;
}

/** What a step does to one of the requests: send a new one, or act on the k-th one still around. */
const op = fc.oneof(fc.constant({ kind: 'send' as const }), fc.record({ kind: fc.constantFrom('arrive' as const, 'end' as const, 'give-up' as const), k: fc.nat() }));

function play(maxConnections: number, pending: number, ops: { kind: string; k?: number }[]): { pool: ConnectionPool; reqs: Req[]; maxServing: number; order: number[] } {
  const pool = new ConnectionPool({ ...DEFAULT_CONNECTION_POOL, maxConnections, http1MaxPendingRequests: pending });
  const waits = new PoolWaits();
  const reqs: Req[] = [];
  const order: number[] = [];
  let maxServing = 0;
  const serving = () => reqs.filter((r) => r.state === 'serving').length;
  const act = (kind: string, r: Req) => {
    if (kind === 'arrive' && r.state === 'travelling') {
      const i = reqs.indexOf(r);
      r.state = waits.arrive(r.trace, pool, () => {
        r.resumed++;
        r.state = 'serving';
        order.push(i);
      })
        ? 'serving'
        : 'parked';
      if (r.state === 'serving') order.push(i);
    } else if (kind === 'end' && r.state === 'serving') {
      r.state = 'done';
      waits.release(r.trace);
    } else if (kind === 'give-up' && (r.state === 'travelling' || r.state === 'parked')) {
      r.state = 'done';
      waits.release(r.trace);
    }
    maxServing = Math.max(maxServing, serving());
  };
  for (const o of ops) {
    if (o.kind === 'send') {
      const slot = pool.tryAcquire(0);
      if (!slot.ok) continue;
      const trace = { holds: [pool], ...(slot.queued ? { queued: { pool, hop: 0 } } : {}) } as unknown as TraceResult;
      reqs.push({ trace, state: slot.queued ? 'travelling' : 'serving', resumed: 0 });
      maxServing = Math.max(maxServing, serving());
      continue;
    }
    const live = reqs.filter((r) => r.state !== 'done');
    if (live.length) act(o.kind, live[o.k! % live.length]!);
  }
  // Everyone still around arrives and is served, or gives up.
  for (let guard = 0; reqs.some((r) => r.state !== 'done') && guard < 10_000; guard++) {
    const r = reqs.find((x) => x.state !== 'done')!;
    act(r.state === 'travelling' ? 'arrive' : r.state === 'serving' ? 'end' : 'give-up', r);
  }
  return { pool, reqs, maxServing, order };
}

describe('requests queued by an HTTP/1.1 connection pool', () => {
  it('never use more connections than maxConnections, are each resumed at most once, and leave the pool empty', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (conns, pending, ops) => {
        const { pool, reqs, maxServing } = play(conns, pending, ops);
        expect(maxServing).toBeLessThanOrEqual(conns);
        for (const r of reqs) expect(r.resumed).toBeLessThanOrEqual(1);
        expect(pool.stats).toEqual({ active: 0, pending: 0, retries: 0 });
        // The pool is whole again: as many requests as it has connections go straight through.
        for (let i = 0; i < conns; i++) expect(pool.tryAcquire(0)).toEqual({ ok: true, queued: false });
      }),
      { numRuns: 500 },
    );
  });

  it('serves parked requests in the order they arrived, and keeps a freed connection for one still on its way', () => {
    const pool = new ConnectionPool({ ...DEFAULT_CONNECTION_POOL, maxConnections: 1, http1MaxPendingRequests: 5 });
    const waits = new PoolWaits();
    const trace = (queued: boolean) => ({ holds: [pool], ...(queued ? { queued: { pool, hop: 0 } } : {}) }) as unknown as TraceResult;
    const first = trace(false);
    expect(pool.tryAcquire(0)).toEqual({ ok: true, queued: false });
    const [a, b, c] = [trace(true), trace(true), trace(true)];
    for (let i = 0; i < 3; i++) expect(pool.tryAcquire(0)).toEqual({ ok: true, queued: true });
    const served: string[] = [];
    // c and b reach the proxy first; a is still on its way.
    expect(waits.arrive(c, pool, () => served.push('c'))).toBe(false);
    expect(waits.arrive(b, pool, () => served.push('b'))).toBe(false);
    waits.release(first);
    expect(served).toEqual(['c']);
    waits.release(c);
    expect(served).toEqual(['c', 'b']);
    waits.release(b);
    // Nobody is parked: the connection is kept for a, which then goes straight through.
    expect(waits.arrive(a, pool, () => served.push('a'))).toBe(true);
    waits.release(a);
    expect(pool.stats).toEqual({ active: 0, pending: 0, retries: 0 });
  });
});
