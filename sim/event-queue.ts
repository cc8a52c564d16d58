/**
 * The pending-event set of the kernel: a binary min-heap ordered by (time, insertion sequence).
 *
 * Layout, chosen for the hot loop:
 * - every event lives in a *slot*; the slot's time, sequence number, handler and argument sit in
 *   parallel arrays (two Float64Arrays, two plain arrays), so pushing an event allocates nothing
 *   once the arrays have grown to the working-set size;
 * - the heap itself is an Int32Array of slot numbers, so sifting moves one integer per level;
 * - freed slots go on a free-list stack and are reused.
 *
 * Cancellation is lazy: a cancelled slot stays in the heap with its handler replaced by a marker
 * and is discarded when it reaches the top. That keeps cancel O(1) and the sift loops free of
 * position bookkeeping.
 *
 * Event ids pack (slot, sequence) into one number: `slot + SLOT_LIMIT * (seq mod GEN_LIMIT)`, so a
 * stale id (its event already ran and the slot was reused) is recognised and ignored.
 */

export type Handler<T> = (arg: T) => void;

/** Opaque number naming one scheduled event; pass it to `cancel`. */
export type EventId = number;

type AnyHandler = (arg: unknown) => void;

const SLOT_LIMIT = 2 ** 24; // pending events at once
const GEN_LIMIT = 2 ** 29; // SLOT_LIMIT * GEN_LIMIT = 2^53, the exact-integer range of a double

const CANCELLED: AnyHandler = () => {};

export class EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  // Sized with the typed arrays and filled from the start: an array that starts empty changes its
  // elements kind on the first push of each run, and code compiled in an earlier run deoptimizes.
  private fns: (AnyHandler | undefined)[];
  private args: unknown[];
  private heap: Int32Array;
  private freeSlots: Int32Array;
  private freeTop = 0;
  private slotsUsed = 0;
  private heapSize = 0;
  private cancelledInHeap = 0;
  private nextSeq = 0;

  /** Filled by `popUntil`: the event just removed. */
  lastTime = 0;
  lastFn: AnyHandler = CANCELLED;
  lastArg: unknown = undefined;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity | 0);
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.heap = new Int32Array(cap);
    this.freeSlots = new Int32Array(cap);
    this.fns = new Array<AnyHandler | undefined>(cap).fill(undefined);
    this.args = new Array<unknown>(cap).fill(undefined);
  }

  /** Events still to run (cancelled ones excluded). */
  get size(): number {
    return this.heapSize - this.cancelledInHeap;
  }

  /** Time of the next event to run, or Infinity when none is pending. */
  peekTime(): number {
    if (this.cancelledInHeap !== 0) this.dropCancelledHead();
    return this.heapSize === 0 ? Infinity : this.times[this.heap[0]];
  }

  /** Adds an event; `time` must already be validated by the caller. */
  push<T>(time: number, fn: Handler<T>, arg: T): EventId {
    const slot = this.place(time, fn, arg);
    return slot + SLOT_LIMIT * (this.seqs[slot] % GEN_LIMIT);
  }

  /**
   * Adds an event that will never be cancelled. An id is past the small-integer range, so each
   * one returned is a heap number: events pushed on every hop would allocate one apiece.
   */
  post<T>(time: number, fn: Handler<T>, arg: T): void {
    this.place(time, fn, arg);
  }

  private place<T>(time: number, fn: Handler<T>, arg: T): number {
    const slot = this.allocSlot();
    this.times[slot] = time;
    this.seqs[slot] = this.nextSeq++;
    this.fns[slot] = fn as AnyHandler;
    this.args[slot] = arg;
    this.siftUp(slot, this.heapSize++);
    return slot;
  }

  /** Cancels a pending event. Returns false when it already ran or was already cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % SLOT_LIMIT;
    if (!(slot >= 0 && slot < this.slotsUsed)) return false;
    const fn = this.fns[slot];
    if (fn === undefined || fn === CANCELLED) return false;
    if (this.seqs[slot] % GEN_LIMIT !== (id - slot) / SLOT_LIMIT) return false;
    this.fns[slot] = CANCELLED;
    this.args[slot] = undefined;
    this.cancelledInHeap++;
    return true;
  }

  /**
   * Removes the next event if its time is ≤ `limit`, storing it in lastTime/lastFn/lastArg.
   * Returns false (and leaves the queue as it was) otherwise.
   */
  popUntil(limit: number): boolean {
    if (this.cancelledInHeap !== 0) this.dropCancelledHead();
    if (this.heapSize === 0) return false;
    const heap = this.heap;
    const slot = heap[0];
    const time = this.times[slot];
    if (time > limit) return false;
    this.lastTime = time;
    this.lastFn = this.fns[slot] as AnyHandler;
    this.lastArg = this.args[slot];
    this.removeTop(slot);
    return true;
  }

  private dropCancelledHead(): void {
    while (this.heapSize !== 0) {
      const slot = this.heap[0];
      if (this.fns[slot] !== CANCELLED) return;
      this.cancelledInHeap--;
      this.removeTop(slot);
    }
  }

  private removeTop(slot: number): void {
    this.fns[slot] = undefined;
    this.args[slot] = undefined;
    this.freeSlots[this.freeTop++] = slot;
    const last = this.heap[--this.heapSize];
    if (this.heapSize !== 0) this.siftDown(last);
  }

  private allocSlot(): number {
    if (this.freeTop !== 0) return this.freeSlots[--this.freeTop];
    const slot = this.slotsUsed++;
    if (slot === this.times.length) this.grow();
    return slot;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    if (cap > SLOT_LIMIT) throw new RangeError(`event queue: more than ${SLOT_LIMIT} pending events`);
    this.times = growF64(this.times, cap);
    this.seqs = growF64(this.seqs, cap);
    const heap = new Int32Array(cap);
    heap.set(this.heap);
    this.heap = heap;
    const free = new Int32Array(cap);
    free.set(this.freeSlots);
    this.freeSlots = free;
    for (let i = this.fns.length; i < cap; i++) {
      this.fns.push(undefined);
      this.args.push(undefined);
    }
  }

  /** Moves `slot` up from the hole at `i` to its place. */
  private siftUp(slot: number, i: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const t = times[slot];
    const s = seqs[slot];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = heap[p];
      const pt = times[ps];
      if (pt < t || (pt === t && seqs[ps] < s)) break;
      heap[i] = ps;
      i = p;
    }
    heap[i] = slot;
  }

  /** Places `slot` starting from the hole at the root. */
  private siftDown(slot: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const n = this.heapSize;
    const t = times[slot];
    const s = seqs[slot];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let cs = heap[c];
      let ct = times[cs];
      const r = c + 1;
      if (r < n) {
        const rs = heap[r];
        const rt = times[rs];
        if (rt < ct || (rt === ct && seqs[rs] < seqs[cs])) {
          c = r;
          cs = rs;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && s < seqs[cs])) break;
      heap[i] = cs;
      i = c;
    }
    heap[i] = slot;
  }
}

/**
 * Puts the queue's code, at load, in the state a run leaves it in. V8 optimizes a method with the
 * feedback its calls gathered and the field types its objects have shown, and a branch no call has
 * taken has no feedback: without this, the first two events due at the same instant or the first
 * cancelled one, often well into a run or replications into a sweep, would deoptimize the sifts
 * and the kernel loop they are inlined into, and every thread would compile them again. Rounds
 * enough for the methods to have feedback before the ties; fractional times, several handlers, and
 * arguments that are objects or absent, as runs post.
 */
function primeQueue(): void {
  const q = new EventQueue(16);
  const handlers: AnyHandler[] = [() => {}, () => {}];
  const args: unknown[] = [undefined, {}];
  for (let round = 0; round < 16; round++) {
    for (let i = 0; i < 16; i++) q.post(0.5, handlers[i % 2]!, args[i % 2]);
    q.cancel(q.push(0.5, handlers[0]!, undefined));
    while (q.popUntil(0.5));
  }
}

primeQueue();

function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
