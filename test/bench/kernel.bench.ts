/**
 * Kernel throughput: simulated events per second of the sim/ event loop, beside a plain JS
 * binary heap (one object per event, comparator on (time, seq)) running the same models with the
 * same random numbers. Budgets (DESIGN.md): ≥ 5 M events/s on M/M/1 and ≥ 0.6× the plain heap.
 */
import { Rng, Simulation, Station, streams } from '../../sim';
import { throughput, type BenchRow, type BenchSuite } from './suite';

type Handler<T> = (arg: T) => void;

/** What the models need from an event loop; both implementations provide it. */
interface Loop {
  readonly now: number;
  scheduleCall<T>(delayMs: number, handler: Handler<T>, arg: T): unknown;
  run(): void;
  readonly eventsProcessed: number;
}

// ---- the baseline: a textbook binary heap of event objects --------------------------------

interface PlainEvent {
  time: number;
  seq: number;
  fn: Handler<unknown>;
  arg: unknown;
}

class PlainHeapLoop implements Loop {
  now = 0;
  eventsProcessed = 0;
  private seq = 0;
  private readonly heap: PlainEvent[] = [];

  scheduleCall<T>(delayMs: number, fn: Handler<T>, arg: T): void {
    const heap = this.heap;
    const ev: PlainEvent = { time: this.now + delayMs, seq: this.seq++, fn: fn as Handler<unknown>, arg };
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(ev, heap[p])) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = ev;
  }

  run(): void {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0];
      const last = heap.pop() as PlainEvent;
      if (heap.length > 0) {
        let i = 0;
        const n = heap.length;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= n) break;
          if (c + 1 < n && before(heap[c + 1], heap[c])) c++;
          if (!before(heap[c], last)) break;
          heap[i] = heap[c];
          i = c;
        }
        heap[i] = last;
      }
      this.now = top.time;
      this.eventsProcessed++;
      top.fn(top.arg);
    }
  }
}

function before(a: PlainEvent, b: PlainEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

// ---- the models -----------------------------------------------------------------------------

const exp = (rng: Rng, mean: number): number => -mean * Math.log(1 - rng.next());

/** M/M/1, λ = 0.9, μ = 1, hand-written on the event loop: two events per customer. */
class MM1 {
  arrived = 0;
  waiting = 0;
  busy = false;
  constructor(readonly loop: Loop, readonly rng: Rng, readonly customers: number) {}

  static start(m: MM1): void {
    m.loop.scheduleCall(exp(m.rng, 1 / 0.9), MM1.arrive, m);
  }
  static arrive(m: MM1): void {
    if (m.busy) m.waiting++;
    else {
      m.busy = true;
      m.loop.scheduleCall(exp(m.rng, 1), MM1.depart, m);
    }
    if (++m.arrived < m.customers) m.loop.scheduleCall(exp(m.rng, 1 / 0.9), MM1.arrive, m);
  }
  static depart(m: MM1): void {
    if (m.waiting > 0) {
      m.waiting--;
      m.loop.scheduleCall(exp(m.rng, 1), MM1.depart, m);
    } else m.busy = false;
  }
}

/** The classic hold model: `pending` events in the queue; each schedules one successor. */
class Hold {
  remaining: number;
  constructor(readonly loop: Loop, readonly rng: Rng, readonly pending: number, events: number) {
    this.remaining = events - pending;
  }
  static start(m: Hold): void {
    for (let i = 0; i < m.pending; i++) m.loop.scheduleCall(exp(m.rng, 1), Hold.fire, m);
  }
  static fire(m: Hold): void {
    if (m.remaining > 0) {
      m.remaining--;
      m.loop.scheduleCall(exp(m.rng, 1), Hold.fire, m);
    }
  }
}

const CUSTOMERS = 100_000;
const HOLD_PENDING = 10_000;
const HOLD_EVENTS = 300_000;
const rng = (): Rng => streams(1).get('bench');

function mm1On(loop: Loop): number {
  MM1.start(new MM1(loop, rng(), CUSTOMERS));
  loop.run();
  return loop.eventsProcessed;
}

function holdOn(loop: Loop): number {
  Hold.start(new Hold(loop, rng(), HOLD_PENDING, HOLD_EVENTS));
  loop.run();
  return loop.eventsProcessed;
}

/** M/M/1 through sim's Station and the closure-taking `schedule` API: what callers usually write. */
function mm1Station(): number {
  const sim = new Simulation({ seed: 1 });
  const station = new Station(sim, { name: 'q' });
  const r = rng();
  let arrived = 0;
  const done = (): void => {};
  const arrive = (s: Simulation): void => {
    station.request(exp(r, 1), done);
    if (++arrived < CUSTOMERS) s.schedule(exp(r, 1 / 0.9), arrive);
  };
  sim.schedule(exp(r, 1 / 0.9), arrive);
  sim.run();
  return sim.eventsProcessed;
}

const suite: BenchSuite = {
  name: 'kernel',
  async run(): Promise<BenchRow[]> {
    const ops = await throughput([
      { name: 'plain-mm1', fn: () => mm1On(new PlainHeapLoop()) },
      { name: 'sim-mm1', fn: () => mm1On(new Simulation()) },
      { name: 'plain-hold', fn: () => holdOn(new PlainHeapLoop()) },
      { name: 'sim-hold', fn: () => holdOn(new Simulation()) },
      { name: 'sim-station', fn: mm1Station },
    ]);
    const get = (k: string): number => ops.get(k) ?? 0;
    const plainMM1 = { name: 'plain JS binary heap, M/M/1', value: get('plain-mm1') };
    const plainHold = { name: `plain JS binary heap, hold model`, value: get('plain-hold') };
    return [
      {
        name: 'M/M/1 events/s (scheduleCall)',
        value: get('sim-mm1'),
        unit: 'events/s',
        baseline: plainMM1,
        target: '≥ 5 M/s and ≥ 0.6× baseline',
        met: get('sim-mm1') >= 5e6 && get('sim-mm1') >= 0.6 * plainMM1.value,
        note: `λ=0.9, μ=1, ${CUSTOMERS} customers per iteration`,
      },
      {
        name: `hold model, ${HOLD_PENDING / 1000}k pending`,
        value: get('sim-hold'),
        unit: 'events/s',
        baseline: plainHold,
        target: '≥ 0.6× baseline',
        met: get('sim-hold') >= 0.6 * plainHold.value,
        note: `${HOLD_EVENTS} events per iteration, exponential(1) hold times`,
      },
      {
        name: 'M/M/1 via Station + schedule',
        value: get('sim-station'),
        unit: 'events/s',
        baseline: plainMM1,
        note: 'closure per arrival, Station bookkeeping',
      },
    ];
  },
};

export default suite;
