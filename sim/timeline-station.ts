/**
 * A first-come-first-served station with `c` identical servers whose service times are known on
 * arrival, played without events of its own: a customer starts at the later of its arrival and the
 * earliest time a server frees, so `admit` answers at once when its service will end and the
 * caller schedules what follows. Fed the same arrivals, it gives the start and end times of the
 * event-driven `Station` (FCFS keeps starts in arrival order, and a server's free time is all
 * that decides the next start); what it saves is the event per service end.
 */

export interface TimelineStationStats {
  name: string;
  servers: number;
  /** Fraction of server time busy since the station was created, in [0, 1]. */
  utilisation: number;
  /** Mean wait before service of the customers admitted so far, in ms. */
  meanWaitMs: number;
  /** Most customers waiting (not in service) at once. */
  maxQueueLength: number;
  admitted: number;
  /** Waiting / in service now. */
  queueLength: number;
  busy: number;
}

export class TimelineStation {
  readonly name: string;
  readonly servers: number;
  /** When each server finishes the work it has been given. */
  private readonly freeAt: Float64Array;
  /** Start times of the customers admitted to wait, in order (starts never decrease): the line. */
  private starts = new Float64Array(16);
  private head = 0;
  private waiting = 0;
  private readonly createdAt: number;
  private admitted = 0;
  private waitSum = 0;
  private serviceSum = 0;
  private maxQueue = 0;

  constructor(createdAtMs: number, options: { name: string; servers?: number }) {
    const servers = options.servers ?? 1;
    if (!(Number.isInteger(servers) && servers >= 1)) throw new RangeError(`station ${options.name}: servers must be an integer ≥ 1 (got ${servers})`);
    this.name = options.name;
    this.servers = servers;
    this.freeAt = new Float64Array(servers).fill(createdAtMs);
    this.createdAt = createdAtMs;
  }

  /**
   * A customer arrives at `nowMs` (never earlier than the previous arrival) needing
   * `serviceTimeMs`: returns when its service ends.
   */
  admit(nowMs: number, serviceTimeMs: number): number {
    if (!(serviceTimeMs >= 0 && serviceTimeMs < Infinity)) {
      throw new RangeError(`station ${this.name}: service time must be a finite number ≥ 0 ms (got ${serviceTimeMs})`);
    }
    const f = this.freeAt;
    let k = 0;
    let first = f[0];
    for (let j = 1; j < f.length; j++) {
      if (f[j] < first) {
        first = f[j];
        k = j;
      }
    }
    const start = first > nowMs ? first : nowMs;
    const end = start + serviceTimeMs;
    f[k] = end;
    this.admitted++;
    this.serviceSum += serviceTimeMs;
    if (start > nowMs) {
      this.waitSum += start - nowMs;
      this.dropStarted(nowMs);
      this.pushStart(start);
      if (this.waiting > this.maxQueue) this.maxQueue = this.waiting;
    }
    return end;
  }

  stats(nowMs: number): TimelineStationStats {
    this.dropStarted(nowMs);
    let ahead = 0;
    let busy = 0;
    for (const t of this.freeAt) {
      if (t > nowMs) {
        // A server's work after now is one unbroken stretch: arrivals are never in the future.
        ahead += t - nowMs;
        busy++;
      }
    }
    const elapsed = nowMs - this.createdAt;
    return {
      name: this.name,
      servers: this.servers,
      utilisation: elapsed > 0 ? (this.serviceSum - ahead) / (elapsed * this.servers) : 0,
      meanWaitMs: this.admitted > 0 ? this.waitSum / this.admitted : 0,
      maxQueueLength: this.maxQueue,
      admitted: this.admitted,
      queueLength: this.waiting,
      busy,
    };
  }

  /** Forgets the waiting customers whose service has begun by `nowMs`. */
  private dropStarted(nowMs: number): void {
    const s = this.starts;
    while (this.waiting !== 0 && s[this.head] <= nowMs) {
      this.head = this.head + 1 === s.length ? 0 : this.head + 1;
      this.waiting--;
    }
  }

  private pushStart(start: number): void {
    let s = this.starts;
    if (this.waiting === s.length) {
      const bigger = new Float64Array(s.length * 2);
      for (let i = 0; i < this.waiting; i++) bigger[i] = s[(this.head + i) % s.length];
      this.starts = s = bigger;
      this.head = 0;
    }
    let tail = this.head + this.waiting;
    if (tail >= s.length) tail -= s.length;
    s[tail] = start;
    this.waiting++;
  }
}
