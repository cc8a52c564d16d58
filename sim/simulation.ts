/**
 * The simulation clock and event loop.
 *
 * Simulated time is a float number of **milliseconds**, starting at 0. Events run in order of
 * (time, scheduling order): two events at the same time run in the order they were scheduled, so
 * a run is a deterministic function of its seed.
 *
 * Two ways to schedule:
 * - `schedule(delayMs, fn)` / `scheduleAt(timeMs, fn)`: `fn` receives the simulation. Convenient;
 *   a closure per call if the caller builds one.
 * - `scheduleCall(delayMs, handler, arg)` / `scheduleCallAt(...)`: the hot-path form. Pass a
 *   long-lived handler (e.g. a module-level function) and the object it acts on; the kernel stores
 *   the pair in preallocated arrays, so nothing is allocated per event.
 *
 * Both return an EventId for `cancel`. `postCall` / `postCallAt` are the same for events that
 * are never cancelled, and return nothing.
 */
import { EventQueue, type EventId, type Handler } from './event-queue';
import { Streams, type Rng, type Seed } from './random';

export interface SimulationOptions {
  /** Seed of every named random stream (default 1). */
  seed?: Seed;
  /** Initial capacity of the event queue; it grows as needed. */
  initialCapacity?: number;
}

export class Simulation {
  private readonly queue: EventQueue;
  private readonly rngs: Streams;
  private _now = 0;
  private _processed = 0;
  private stopRequested = false;
  private running = false;

  constructor(options: SimulationOptions = {}) {
    this.queue = new EventQueue(options.initialCapacity);
    this.rngs = new Streams(options.seed ?? 1);
  }

  /** Current simulated time in ms. */
  get now(): number {
    return this._now;
  }

  get seed(): Seed {
    return this.rngs.seed;
  }

  /** Events run so far (cancelled ones are not counted). */
  get eventsProcessed(): number {
    return this._processed;
  }

  /** Events scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.queue.size;
  }

  /** The named random stream `name` of this simulation's seed. */
  stream(name: string): Rng {
    return this.rngs.get(name);
  }

  schedule(delayMs: number, fn: (sim: Simulation) => void): EventId {
    return this.scheduleCall(delayMs, fn, this);
  }

  scheduleAt(timeMs: number, fn: (sim: Simulation) => void): EventId {
    return this.scheduleCallAt(timeMs, fn, this);
  }

  scheduleCall<T>(delayMs: number, handler: Handler<T>, arg: T): EventId {
    return this.queue.push(this.timeAfter(delayMs), handler, arg);
  }

  scheduleCallAt<T>(timeMs: number, handler: Handler<T>, arg: T): EventId {
    return this.queue.push(this.checkedTime(timeMs), handler, arg);
  }

  /** `scheduleCall` for an event that is never cancelled: no EventId is made (one is a heap number). */
  postCall<T>(delayMs: number, handler: Handler<T>, arg: T): void {
    this.queue.post(this.timeAfter(delayMs), handler, arg);
  }

  /** `scheduleCallAt` for an event that is never cancelled. */
  postCallAt<T>(timeMs: number, handler: Handler<T>, arg: T): void {
    this.queue.post(this.checkedTime(timeMs), handler, arg);
  }

  private timeAfter(delayMs: number): number {
    if (!(delayMs >= 0 && delayMs < Infinity)) {
      throw new RangeError(`schedule: delay must be a finite number ≥ 0 ms (got ${delayMs})`);
    }
    return this._now + delayMs;
  }

  private checkedTime(timeMs: number): number {
    if (!(timeMs >= this._now && timeMs < Infinity)) {
      throw new RangeError(`scheduleAt: time must be finite and ≥ now (${this._now} ms), got ${timeMs}`);
    }
    return timeMs;
  }

  /** Cancels a pending event; false if it already ran, was cancelled, or is unknown. */
  cancel(id: EventId): boolean {
    return this.queue.cancel(id);
  }

  /** Time of the next pending event, or Infinity. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Runs the next event. Returns false when none was pending. */
  step(): boolean {
    this.enter('step');
    try {
      const q = this.queue;
      if (!q.popUntil(Infinity)) return false;
      this._now = q.lastTime;
      this._processed++;
      q.lastFn(q.lastArg);
      return true;
    } finally {
      this.running = false;
    }
  }

  /**
   * Runs events in order until none is left, `stop()` is called, or the next event lies after
   * `untilMs`. Events at exactly `untilMs` run. Unless stopped, the clock then stands at
   * `untilMs` (when given), so a run of 30 s always ends 30 s later even if nothing happened.
   * An exception thrown by a handler propagates; the simulation stays usable.
   */
  run(untilMs: number = Infinity): void {
    if (!(untilMs >= this._now)) {
      throw new RangeError(`run: until must be ≥ now (${this._now} ms), got ${untilMs}`);
    }
    this.enter('run');
    this.stopRequested = false;
    try {
      if (this.loop(untilMs) && untilMs !== Infinity) this._now = untilMs;
    } finally {
      this.running = false;
    }
  }

  /** Makes the current `run` return after the event being processed. */
  stop(): void {
    this.stopRequested = true;
  }

  /** The hot loop. Returns false when stopped. */
  private loop(untilMs: number): boolean {
    const q = this.queue;
    while (q.popUntil(untilMs)) {
      this._now = q.lastTime;
      this._processed++;
      q.lastFn(q.lastArg);
      if (this.stopRequested) return false;
    }
    return true;
  }

  /** Handlers run inside run/step; letting them re-enter would run events out of their turn. */
  private enter(what: string): void {
    if (this.running) throw new Error(`${what}: called from inside an event handler`);
    this.running = true;
  }
}
