// Envoy circuit breaking for one cluster on one waypoint replica, as a pure state machine the
// caller drives: requests acquire a slot, wait in the pending queue, or overflow (503, flag UO).
import type { ConnectionPoolSettings } from './types';

export type AcquireResult = { ok: true; queued: false } | { ok: true; queued: true } | { ok: false; status: 503; flag: 'UO'; reason: string };

export class ConnectionPool {
  private active = 0;
  private pending = 0;
  private retries = 0;

  /**
   * @param http2 HTTP/2 upstreams multiplex: concurrency is bounded by http2MaxRequests only;
   *   HTTP/1.1 holds one request per connection, so maxConnections bounds it and extra requests queue.
   */
  constructor(
    readonly settings: ConnectionPoolSettings,
    readonly http2 = false,
  ) {}

  /** A new request. `queued` means it waits until `release` promotes it. */
  tryAcquire(_nowMs: number): AcquireResult {
    const maxActive = this.http2 ? this.settings.http2MaxRequests : Math.min(this.settings.maxConnections, this.settings.http2MaxRequests);
    if (this.active < maxActive) {
      this.active++;
      return { ok: true, queued: false };
    }
    // Every connection busy: the request waits for one, if the pending queue has room (Envoy checks
    // max requests only when it hands a waiting request a connection, and the request it
    // follows has given its slot back by then). A free connection with requests at the limit: the
    // new request would be refused on it.
    const connectionsBusy = !this.http2 && this.active >= this.settings.maxConnections;
    if (connectionsBusy && this.pending < this.settings.http1MaxPendingRequests) {
      this.pending++;
      return { ok: true, queued: true };
    }
    const reason = connectionsBusy ? 'pending request queue full' : 'max requests reached';
    return { ok: false, status: 503, flag: 'UO', reason };
  }

  /** A request finished. Returns true when a queued request takes the freed slot (the caller starts it). */
  release(_nowMs: number): boolean {
    if (this.pending > 0) {
      this.pending--;
      return true;
    }
    if (this.active > 0) this.active--;
    return false;
  }

  /** A queued request gave up (timeout) before getting a slot. */
  cancelPending(): void {
    if (this.pending > 0) this.pending--;
  }

  /** A retry may start only under the concurrent-retry budget; otherwise it is skipped. */
  tryRetry(): boolean {
    if (this.retries >= this.settings.maxRetries) return false;
    this.retries++;
    return true;
  }

  retryDone(): void {
    if (this.retries > 0) this.retries--;
  }

  get stats(): { active: number; pending: number; retries: number } {
    return { active: this.active, pending: this.pending, retries: this.retries };
  }
}
