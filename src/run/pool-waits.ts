// Requests queued by a proxy's HTTP/1.1 connection pool (DestinationRule `tcp.maxConnections` and
// `http.http1MaxPendingRequests`, reference/routing.md §5.7) wait at that proxy until a request on
// one of the pool's connections ends, first come first served. The data plane decided at the start
// that the request queues; here it waits in time. A connection freed before the queued request has
// reached its proxy is kept for it (a permit); one that gives up waiting leaves the queue.
import type { TraceResult } from '../dataplane/trace';
import type { ConnectionPool } from '../routing';

interface Ticket {
  pool: ConnectionPool;
  state: 'parked' | 'granted' | 'closed';
  resume?: () => void;
}

export class PoolWaits {
  /** Parked requests per pool, oldest first. */
  private readonly parked = new Map<ConnectionPool, Ticket[]>();
  /** Connections handed to queued requests that have not reached their proxy yet. */
  private readonly permits = new Map<ConnectionPool, number>();
  /** The queue ticket of a decided request (a trace is one request: queued decisions are never shared). */
  private readonly tickets = new WeakMap<TraceResult, Ticket>();
  private readonly released = new WeakSet<TraceResult>();

  /**
   * A queued request reached its proxy: true when a connection is free for it now; otherwise it is
   * parked and `resume` runs when one is.
   */
  arrive(trace: TraceResult, pool: ConnectionPool, resume: () => void): boolean {
    const held = this.permits.get(pool) ?? 0;
    if (held > 0) {
      this.permits.set(pool, held - 1);
      this.tickets.set(trace, { pool, state: 'granted' });
      return true;
    }
    const ticket: Ticket = { pool, state: 'parked', resume };
    this.tickets.set(trace, ticket);
    let q = this.parked.get(pool);
    if (q === undefined) this.parked.set(pool, (q = []));
    q.push(ticket);
    return false;
  }

  /** Whether the request is waiting for a connection (parked, or queued and not there yet). */
  waiting(trace: TraceResult): boolean {
    const q = trace.queued;
    if (q === undefined) return false;
    const t = this.tickets.get(trace);
    return t === undefined || t.state === 'parked';
  }

  /** A request (or one call an app made) ended: its pool slots are given back, once. */
  release(trace: TraceResult): void {
    // Most requests hold no pool slot: nothing to give back, nothing to remember.
    if (trace.holds === undefined || trace.holds.length === 0) return;
    if (this.released.has(trace)) return;
    this.released.add(trace);
    for (const pool of trace.holds) {
      if (trace.queued?.pool === pool && this.tickets.get(trace)?.state !== 'granted') this.leave(trace, pool);
      else this.giveBack(pool);
    }
  }

  /**
   * A client's request ended: its slots and those of every call made on its behalf that has not
   * given them back yet (the data plane took them all when it decided the request).
   */
  releaseTree(trace: TraceResult): void {
    this.release(trace);
    for (const c of trace.calls ?? []) this.releaseTree(c);
  }

  /** The request stopped waiting (its route timed out while it was queued): it leaves the queue. */
  abandon(trace: TraceResult): void {
    const q = trace.queued;
    if (q !== undefined && this.waiting(trace)) this.leave(trace, q.pool);
  }

  private leave(trace: TraceResult, pool: ConnectionPool): void {
    const ticket = this.tickets.get(trace);
    if (ticket?.state === 'closed') return;
    if (ticket?.state === 'parked') {
      const q = this.parked.get(pool)!;
      q.splice(q.indexOf(ticket), 1);
    }
    this.tickets.set(trace, { pool, state: 'closed' });
    // Queued requests are counted as pending until a connection is handed to one of them; when
    // every one of them already has its connection, this one's goes back to the pool.
    if (pool.stats.pending > 0) pool.cancelPending();
    else {
      this.permits.set(pool, (this.permits.get(pool) ?? 1) - 1);
      this.giveBack(pool);
    }
  }

  private giveBack(pool: ConnectionPool): void {
    if (!pool.release(0)) return;
    const next = this.parked.get(pool)?.shift();
    if (next === undefined) {
      this.permits.set(pool, (this.permits.get(pool) ?? 0) + 1);
      return;
    }
    next.state = 'granted';
    next.resume!();
  }
}
