// Circuit breaking and outlier detection as pure state machines (§5.7–5.8).
import { describe, expect, it } from 'vitest';
import { ConnectionPool, DEFAULT_CONNECTION_POOL, OutlierDetector } from '../../src/routing';

const settings = { ...DEFAULT_CONNECTION_POOL, maxConnections: 1, http1MaxPendingRequests: 1 };

describe('ConnectionPool', () => {
  it('HTTP/1.1: one request per connection, then the pending queue, then 503 UO', () => {
    const pool = new ConnectionPool(settings);
    const r = [pool.tryAcquire(0), pool.tryAcquire(0), pool.tryAcquire(0)];
    expect(r).toEqual([
      { ok: true, queued: false },
      { ok: true, queued: true },
      { ok: false, status: 503, flag: 'UO', reason: 'pending request queue full' },
    ]);
    expect(pool.release(1)).toBe(true); // the queued request takes the connection
    expect(pool.release(2)).toBe(false);
    expect(pool.stats).toEqual({ active: 0, pending: 0, retries: 0 });
  });
  // Envoy's conn pool (conn_pool_base.cc): with no connection free a request goes to the pending
  // queue; max requests is checked only when a connection takes it, after the one before released.
  it('HTTP/1.1 with http2MaxRequests equal to maxConnections: a request still waits for the busy connection', () => {
    const pool = new ConnectionPool({ ...settings, http2MaxRequests: 1 });
    expect([pool.tryAcquire(0), pool.tryAcquire(0), pool.tryAcquire(0).ok]).toEqual([{ ok: true, queued: false }, { ok: true, queued: true }, false]);
  });
  it('HTTP/1.1 with a free connection but requests at http2MaxRequests: overflow, not a wait', () => {
    const pool = new ConnectionPool({ ...settings, maxConnections: 2, http2MaxRequests: 1 });
    expect([pool.tryAcquire(0), pool.tryAcquire(0)]).toEqual([{ ok: true, queued: false }, { ok: false, status: 503, flag: 'UO', reason: 'max requests reached' }]);
  });
  it('HTTP/2: http2MaxRequests concurrent requests, no queue', () => {
    const pool = new ConnectionPool({ ...DEFAULT_CONNECTION_POOL, http2MaxRequests: 2 }, true);
    expect([pool.tryAcquire(0).ok, pool.tryAcquire(0).ok, pool.tryAcquire(0).ok]).toEqual([true, true, false]);
  });
  it('defaults are effectively unlimited', () => {
    const pool = new ConnectionPool(DEFAULT_CONNECTION_POOL);
    for (let i = 0; i < 10_000; i++) expect(pool.tryAcquire(0)).toEqual({ ok: true, queued: false });
  });
  it('maxRetries bounds concurrent retries', () => {
    const pool = new ConnectionPool({ ...DEFAULT_CONNECTION_POOL, maxRetries: 1 });
    expect([pool.tryRetry(), pool.tryRetry()]).toEqual([true, false]);
    pool.retryDone();
    expect(pool.tryRetry()).toBe(true);
  });
});

const od = { consecutive5xxErrors: 3, consecutiveGatewayErrors: 0, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionTimeMs: 300_000, maxEjectionPercent: 100, minHealthPercent: 0 };

describe('OutlierDetector', () => {
  it('ejects after N consecutive 5xx; a success resets the count', () => {
    const d = new OutlierDetector(od, 3);
    d.onResponse('a', 500, 0);
    d.onResponse('a', 503, 1);
    d.onResponse('a', 200, 2);
    d.onResponse('a', 500, 3);
    d.onResponse('a', 500, 4);
    expect(d.isEjected('a', 5)).toBe(false);
    expect(d.onResponse('a', 502, 6)).toBe(true);
    expect(d.isEjected('a', 7)).toBe(true);
  });
  it('returns at the first sweep tick after base × times ejected', () => {
    const d = new OutlierDetector(od, 3);
    for (let i = 0; i < 3; i++) d.onResponse('a', 500, 1000);
    expect(d.isEjected('a', 39_999)).toBe(true); // ejection ends at 31 s; next tick at 40 s
    expect(d.isEjected('a', 40_000)).toBe(false);
    for (let i = 0; i < 3; i++) d.onResponse('a', 500, 40_001);
    expect(d.isEjected('a', 100_000)).toBe(true); // second ejection lasts 60 s
    expect(d.isEjected('a', 110_000)).toBe(false);
  });
  it('maxEjectionPercent caps ejections but the first host may always go', () => {
    const d = new OutlierDetector({ ...od, maxEjectionPercent: 10 }, 3);
    for (const h of ['a', 'b']) for (let i = 0; i < 3; i++) d.onResponse(h, 500, 0);
    expect([d.isEjected('a', 1), d.isEjected('b', 1)]).toEqual([true, false]);
  });
  it('consecutiveGatewayErrors counts only 502/503/504; 0 disables consecutive5xx', () => {
    const d = new OutlierDetector({ ...od, consecutive5xxErrors: 0, consecutiveGatewayErrors: 2 }, 2);
    d.onResponse('a', 500, 0);
    d.onResponse('a', 500, 0);
    expect(d.isEjected('a', 1)).toBe(false);
    d.onResponse('a', 503, 2);
    d.onResponse('a', 504, 3);
    expect(d.isEjected('a', 4)).toBe(true);
  });
});
