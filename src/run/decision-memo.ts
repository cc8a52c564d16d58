// Remembers the data plane's decisions for one request shape on one view of the mesh. Given the
// same view and request, a decision is a function of its random choices alone (sim/choice.ts), so
// the decisions form a tree keyed by the choices' outcomes: a new request draws its uniform values
// one by one, classifies each with the function the code used there before, and follows the tree
// to a stored result. Only a path not seen yet runs the data plane, replaying the values already
// drawn, so the random stream is consumed exactly as without the memo. A decision that looked at
// the clock or at state that outlives the request (round-robin, outlier detection, circuit
// breakers, another cluster) is never stored.
import type { Classifier, NotingSource } from '../../sim/choice';
import type { DataplaneContext } from '../dataplane/context';
import type { TraceResult } from '../dataplane/trace';

interface Branch {
  classify: Classifier;
  next: Map<number, Branch | TraceResult>;
}

/**
 * Requests a memo keeps decisions for, each counted with the calls its app made (a generated mesh's
 * fan-out nests a dozen calls in one decision, each with its hops): past this, new paths are
 * computed and not stored.
 */
const MAX_STORED_REQUESTS = 4096;
/**
 * Requests, calls counted, that all the memos of one run may keep at once: steps side by side each
 * have a memo, and a generated what-if runs dozens of them.
 */
const RUN_STORED_REQUESTS = 8192;

/**
 * Decisions a memo stored, with every call in them: only these are walked by more than one
 * request, so only their walk plans are worth keeping (latency.ts).
 */
const storedTraces = new WeakSet<TraceResult>();

/** Whether a memo stored this decision (or a call of one), so later requests walk it again. */
export function isStoredDecision(t: TraceResult): boolean {
  return storedTraces.has(t);
}

function markStored(t: TraceResult): void {
  storedTraces.add(t);
  if (t.calls) for (const c of t.calls) markStored(c);
}

/** What the memos of one run may still store (see RUN_STORED_REQUESTS). */
export class MemoBudget {
  constructor(public remaining = RUN_STORED_REQUESTS) {}
}

/** Computations in a row (no remembered decision between them) that could not be stored before the memo stops trying. */
const GIVE_UP_AFTER = 64;

/** One memoised computation's random source (replaying, then drawing) and what it has seen. */
class Recording {
  volatile = false;
  draws = 0;
  readonly notes: (Classifier | number)[] = [];
  private replay: number[] = [];
  private replayLength = 0;
  private replayAt = 0;
  readonly rng: NotingSource;

  constructor(source: () => number) {
    const rng: NotingSource = () => {
      this.draws++;
      return this.replayAt < this.replayLength ? this.replay[this.replayAt++]! : source();
    };
    rng.note = (classify, outcome) => {
      this.notes.push(classify, outcome);
    };
    this.rng = rng;
  }

  /** Starts a computation that first replays `replay[0..length)`. */
  reset(replay: number[], length: number): void {
    this.volatile = false;
    this.draws = 0;
    this.notes.length = 0;
    this.replay = replay;
    this.replayLength = length;
    this.replayAt = 0;
  }
}

/**
 * The context a memoised decision runs in: the view's context with the recording's random source;
 * reading the clock, long-lived proxy state or another cluster marks the decision volatile.
 */
class RecordingContext implements DataplaneContext {
  readonly view: DataplaneContext['view'];
  readonly engines: DataplaneContext['engines'];
  readonly rng: NotingSource;
  depth?: number;

  constructor(
    private readonly base: DataplaneContext,
    readonly rec: Recording,
  ) {
    this.view = base.view;
    this.engines = base.engines;
    this.rng = rec.rng;
  }

  get lbState(): DataplaneContext['lbState'] {
    this.rec.volatile = true;
    return this.base.lbState;
  }

  // Arrow properties: the data path hands these around unbound (`ctx.clock`).
  readonly appOf: DataplaneContext['appOf'] = (w) => this.base.appOf(w);

  readonly clock = (): number => {
    this.rec.volatile = true;
    return this.base.clock();
  };

  readonly peer = (cluster: string): DataplaneContext => {
    this.rec.volatile = true;
    // Its choices still come from this source, in order.
    return { ...this.base.peer(cluster), rng: this.rng };
  };

  withDepth(depth: number): DataplaneContext {
    const deeper = new RecordingContext(this.base, this.rec);
    deeper.depth = depth;
    return deeper;
  }
}

/**
 * What decides a request on a context: the data plane, for a step's one request. An object with a
 * method rather than a callback, so the memo calls the same function in every step and run.
 */
export interface Decider {
  decide(ctx: DataplaneContext): TraceResult;
}

export class DecisionMemo {
  private root: Branch | TraceResult | undefined;
  private stored = 0;
  private misses = 0;
  private disabled = false;
  private readonly recording: RecordingContext;
  private readonly rec: Recording;
  /**
   * The values a request drew on its way down the tree. Overwritten in place, never truncated:
   * setting an array's length to 0 drops its storage, and every request would allocate it anew.
   */
  private readonly drawn: number[] = [];

  constructor(
    private readonly ctx: DataplaneContext,
    private readonly decider: Decider,
    private readonly budget: MemoBudget,
  ) {
    this.rec = new Recording(ctx.rng);
    this.recording = new RecordingContext(ctx, this.rec);
  }

  /** Whether this memo serves `ctx` (a new view of the mesh, or another step's random source, needs a new memo). */
  isFor(ctx: DataplaneContext): boolean {
    // Concurrent steps make the world rebuild its context object for the same view; what decides is unchanged.
    const own = this.ctx;
    return ctx === own || (ctx.view === own.view && ctx.engines === own.engines && ctx.rng === own.rng && ctx.depth === own.depth);
  }

  /** The decision for the next request: remembered, or computed (and remembered when it may be). */
  next(): TraceResult {
    if (this.disabled) return this.decider.decide(this.ctx);
    const drawn = this.drawn;
    let count = 0;
    let node = this.root;
    const source = this.ctx.rng;
    while (node !== undefined && isBranch(node)) {
      const u = source();
      drawn[count++] = u;
      node = node.next.get(node.classify(u));
    }
    if (node !== undefined) {
      this.misses = 0;
      return node;
    }
    const rec = this.rec;
    rec.reset(drawn, count);
    const result = this.decider.decide(this.recording);
    const weight = rec.volatile || rec.draws * 2 !== rec.notes.length ? 0 : requestsIn(result);
    if (weight > 0 && this.stored + weight <= MAX_STORED_REQUESTS && weight <= this.budget.remaining) {
      this.store(rec.notes, result, weight);
      this.misses = 0;
    } else if (++this.misses >= GIVE_UP_AFTER) this.release();
    return result;
  }

  /** Stops remembering: the stored decisions go with the tree, and their share of the budget returns. */
  release(): void {
    this.disabled = true;
    this.root = undefined;
    this.budget.remaining += this.stored;
    this.stored = 0;
  }

  private store(notes: readonly (Classifier | number)[], result: TraceResult, weight: number): void {
    this.budget.remaining -= weight;
    markStored(result);
    if (notes.length === 0) {
      this.root = result;
      this.stored += weight;
      return;
    }
    if (this.root === undefined) this.root = { classify: notes[0] as Classifier, next: new Map() };
    let node = this.root;
    for (let i = 0; i < notes.length; i += 2) {
      // Same view, same request, same earlier outcomes: the code cannot have taken another shape.
      if (!isBranch(node)) throw new Error('decision memo: a stored decision made fewer random choices than a new one');
      const outcome = notes[i + 1] as number;
      const last = i + 2 === notes.length;
      let child = node.next.get(outcome);
      if (child === undefined) {
        child = last ? result : { classify: notes[i + 2] as Classifier, next: new Map() };
        node.next.set(outcome, child);
        if (last) this.stored += weight;
      }
      node = child;
    }
  }
}

/** The request a decision answers and every call made while answering it, at any depth. */
function requestsIn(t: TraceResult): number {
  let n = 1;
  if (t.calls) for (const c of t.calls) n += requestsIn(c);
  return n;
}

function isBranch(n: Branch | TraceResult): n is Branch {
  return (n as Branch).classify !== undefined;
}
