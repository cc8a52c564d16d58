/**
 * A first-come-first-served station with `c` identical servers and an optional waiting-room
 * capacity (SimPy's Resource, specialised to service times known at arrival).
 *
 * A customer arrives with `request(serviceTimeMs, ...)`; it starts service as soon as a server is
 * free, in arrival order, and its callback runs when service ends, with the time it waited. The
 * waiting line is a ring buffer and each server keeps its own in-service record, so requests
 * allocate nothing once the buffers have grown.
 */
import type { Simulation } from './simulation';

/** Called when service ends (rejected = false) or, synchronously, when the queue is full (rejected = true, waitMs = 0). */
export type StationDone<T> = (arg: T, waitMs: number, rejected: boolean) => void;

export interface StationOptions {
  name: string;
  /** Number of servers, ≥ 1 (default 1). */
  servers?: number;
  /** Most customers allowed to wait (not counting those in service); default unbounded. */
  queueCapacity?: number;
}

export interface StationStats {
  name: string;
  servers: number;
  /** Fraction of server time busy since the station was created, in [0, 1]. */
  utilisation: number;
  /** Time-weighted mean number waiting (not in service). */
  meanQueueLength: number;
  /** Mean wait before service of customers that started service, in ms. */
  meanWaitMs: number;
  maxQueueLength: number;
  /** Customers whose service has ended. */
  served: number;
  rejected: number;
  /** Currently waiting / in service. */
  queueLength: number;
  busy: number;
}

type AnyDone = StationDone<unknown>;

interface Server {
  station: Station;
  done: AnyDone | undefined;
  arg: unknown;
  waitMs: number;
}

function callPlain(done: (waitMs: number, rejected: boolean) => void, waitMs: number, rejected: boolean): void {
  done(waitMs, rejected);
}

export class Station {
  readonly name: string;
  readonly servers: number;
  readonly queueCapacity: number;

  private readonly idle: Server[] = [];
  // Waiting line: ring buffer over parallel arrays.
  private qArrival: Float64Array;
  private qService: Float64Array;
  private qDone: (AnyDone | undefined)[];
  private qArg: unknown[];
  private qHead = 0;
  private qLen = 0;

  private readonly createdAt: number;
  private lastChange: number;
  private busyArea = 0;
  private queueArea = 0;
  private waitSum = 0;
  private started = 0;
  private _served = 0;
  private _rejected = 0;
  private maxQueue = 0;

  constructor(private readonly sim: Simulation, options: StationOptions) {
    const servers = options.servers ?? 1;
    if (!(Number.isInteger(servers) && servers >= 1)) throw new RangeError(`station ${options.name}: servers must be an integer ≥ 1 (got ${servers})`);
    const cap = options.queueCapacity ?? Infinity;
    if (!(cap >= 0)) throw new RangeError(`station ${options.name}: queueCapacity must be ≥ 0 (got ${cap})`);
    this.name = options.name;
    this.servers = servers;
    this.queueCapacity = cap;
    for (let i = 0; i < servers; i++) this.idle.push({ station: this, done: undefined, arg: undefined, waitMs: 0 });
    const size = 64;
    this.qArrival = new Float64Array(size);
    this.qService = new Float64Array(size);
    this.qDone = new Array<AnyDone | undefined>(size).fill(undefined);
    this.qArg = new Array<unknown>(size).fill(undefined);
    this.createdAt = sim.now;
    this.lastChange = sim.now;
  }

  get queueLength(): number {
    return this.qLen;
  }

  get busy(): number {
    return this.servers - this.idle.length;
  }

  /** Low-allocation form: `done(arg, waitMs, rejected)`. Returns false when rejected. */
  requestCall<T>(serviceTimeMs: number, done: StationDone<T>, arg: T): boolean {
    if (!(serviceTimeMs >= 0 && serviceTimeMs < Infinity)) {
      throw new RangeError(`station ${this.name}: service time must be a finite number ≥ 0 ms (got ${serviceTimeMs})`);
    }
    const d = done as AnyDone;
    if (this.idle.length !== 0) {
      this.account();
      this.begin(this.idle.pop() as Server, serviceTimeMs, 0, d, arg);
      return true;
    }
    if (this.qLen >= this.queueCapacity) {
      this._rejected++;
      d(arg, 0, true);
      return false;
    }
    this.account();
    this.enqueue(serviceTimeMs, d, arg);
    return true;
  }

  /** Convenience form: `done(waitMs, rejected)`. */
  request(serviceTimeMs: number, done: (waitMs: number, rejected: boolean) => void): boolean {
    return this.requestCall(serviceTimeMs, callPlain, done);
  }

  stats(): StationStats {
    this.account();
    const elapsed = this.sim.now - this.createdAt;
    return {
      name: this.name,
      servers: this.servers,
      utilisation: elapsed > 0 ? this.busyArea / (elapsed * this.servers) : 0,
      meanQueueLength: elapsed > 0 ? this.queueArea / elapsed : 0,
      meanWaitMs: this.started > 0 ? this.waitSum / this.started : 0,
      maxQueueLength: this.maxQueue,
      served: this._served,
      rejected: this._rejected,
      queueLength: this.qLen,
      busy: this.busy,
    };
  }

  /** Event handler: service on `server` has ended. Static so scheduling it allocates nothing. */
  private static endService(server: Server): void {
    server.station.complete(server);
  }

  private complete(server: Server): void {
    const done = server.done as AnyDone;
    const arg = server.arg;
    const waitMs = server.waitMs;
    this.account();
    this._served++;
    if (this.qLen !== 0) {
      const h = this.qHead;
      const nextDone = this.qDone[h] as AnyDone;
      const nextArg = this.qArg[h];
      this.qDone[h] = undefined;
      this.qArg[h] = undefined;
      this.qHead = h + 1 === this.qArrival.length ? 0 : h + 1;
      this.qLen--;
      this.begin(server, this.qService[h], this.sim.now - this.qArrival[h], nextDone, nextArg);
    } else {
      server.done = undefined;
      server.arg = undefined;
      this.idle.push(server);
    }
    done(arg, waitMs, false);
  }

  private begin(server: Server, serviceTimeMs: number, waitMs: number, done: AnyDone, arg: unknown): void {
    server.done = done;
    server.arg = arg;
    server.waitMs = waitMs;
    this.waitSum += waitMs;
    this.started++;
    this.sim.postCall(serviceTimeMs, Station.endService, server);
  }

  private enqueue(serviceTimeMs: number, done: AnyDone, arg: unknown): void {
    if (this.qLen === this.qArrival.length) this.growQueue();
    let tail = this.qHead + this.qLen;
    if (tail >= this.qArrival.length) tail -= this.qArrival.length;
    this.qArrival[tail] = this.sim.now;
    this.qService[tail] = serviceTimeMs;
    this.qDone[tail] = done;
    this.qArg[tail] = arg;
    this.qLen++;
    if (this.qLen > this.maxQueue) this.maxQueue = this.qLen;
  }

  private growQueue(): void {
    const old = this.qArrival.length;
    const size = old * 2;
    const arrival = new Float64Array(size);
    const service = new Float64Array(size);
    const done = new Array<AnyDone | undefined>(size).fill(undefined);
    const arg = new Array<unknown>(size).fill(undefined);
    for (let i = 0; i < this.qLen; i++) {
      const j = (this.qHead + i) % old;
      arrival[i] = this.qArrival[j];
      service[i] = this.qService[j];
      done[i] = this.qDone[j];
      arg[i] = this.qArg[j];
    }
    this.qArrival = arrival;
    this.qService = service;
    this.qDone = done;
    this.qArg = arg;
    this.qHead = 0;
  }

  /** Adds the time since the last change to the busy and queue-length integrals. */
  private account(): void {
    const now = this.sim.now;
    const dt = now - this.lastChange;
    if (dt !== 0) {
      this.busyArea += dt * (this.servers - this.idle.length);
      this.queueArea += dt * this.qLen;
      this.lastChange = now;
    }
  }
}
