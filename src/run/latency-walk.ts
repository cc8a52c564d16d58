// Plays one request's hops as events on the kernel. The data plane has already decided the path
// (sendRequest, with the config in force when the request started); only time is simulated here:
// at each proxy hop the request queues at that proxy's station, then travels the next network leg;
// the app takes its service time, with its own calls made one after another inside it; the
// response comes back the same way. A station knows on arrival when the pass will end, so the
// next leg is drawn then and one event carries the request to the next hop, unless something
// must happen in time order in between (a pooled HBONE connection, a route timer). Handlers are
// module-level functions scheduled with the walk as their argument, so a walk allocates nothing
// per hop beyond its own object.
import type { Distribution, EventId, Rng, Simulation, TimelineStation } from '../../sim';
import type { Locality, WorkloadInfo } from '../control/model';
import type { PerTryTimeout, TraceResult } from '../dataplane/trace';
import type { Hop } from '../result/types';
import type { LatencyModel, ProxyModel } from './latency-model';
import type { ProxyKind } from './latency-config';
import { legClass, proxyKind } from './latency-model';
import type { PoolWaits } from './pool-waits';
import type { ConnectionPools, PoolSlot, Stations } from './stations';
import { FAST_PATHS } from '../fast-paths';
import { isAppHop } from '../result/via';
import { slotArray } from './object-arrays';

/** What a walk needs from the run (shared) and from its step (random streams). */
export interface WalkEnv {
  sim: Simulation;
  model: LatencyModel;
  stations: Stations;
  pools: ConnectionPools;
  /** Requests waiting for a connection of a proxy's HTTP/1.1 pool. */
  waits: PoolWaits;
  /** What the walk needs of a whole path: per-hop infos and leg distributions (shared by the requests of one decided path). */
  plan(trace: TraceResult): WalkPlan;
  appTime(backend: WorkloadInfo): Distribution;
  /** An answering app made a call, walked from now. */
  countCall(): void;
  net: Rng;
  cpu: Rng;
  app: Rng;
}

/** A hop's proxy kind, station, cost, locality and the identity it sends as (proxies). */
export interface HopInfo {
  kind: ProxyKind | undefined;
  /** Looked up when the request first queues there, so stations are created when first used. */
  station: TimelineStation | undefined;
  cost: ProxyModel | undefined;
  locality: Locality | undefined;
  /** `cluster/kind/namespace/name`: the proxy's own identity for connection pooling ('' for pods). */
  identity: string;
}

/** A hop's info, computed (the straightforward path; cached by the run's `hop` lookup). */
export function hopInfo(h: Hop, model: LatencyModel, locality: (cluster: string | undefined, node: string | undefined) => Locality | undefined): HopInfo {
  const kind = proxyKind(h);
  return {
    kind,
    station: undefined,
    cost: kind === undefined ? undefined : model.proxies[kind],
    locality: locality(h.cluster, h.node),
    identity: kind === undefined ? '' : proxyIdentity(h),
  };
}

/**
 * A path's hops as the walk uses them: `out[i]` is the leg from hop i to i+1, `back[i]` from hop i
 * to i-1; undefined for a hand-over inside one pod (no network).
 */
export interface WalkPlan {
  info: HopInfo[];
  out: (Distribution | undefined)[];
  back: (Distribution | undefined)[];
  /** Whether every hop's info could be cached (a node not known yet is looked up again). */
  settled: boolean;
  /** Per hop reached over HBONE: the pool slot of the last sender seen there. */
  pools: ({ src: string; slot: PoolSlot } | undefined)[];
}

export function walkPlan(hops: readonly Hop[], hop: (h: Hop) => HopInfo, model: LatencyModel): WalkPlan {
  // Loops rather than maps with closures: a path never seen before (every call of a fan-out
  // request) is planned once per request.
  const n = hops.length;
  const info = slotArray<HopInfo>(n) as HopInfo[];
  let settled = true;
  for (let i = 0; i < n; i++) {
    const h = hops[i]!;
    const hi = (info[i] = hop(h));
    if (hi.locality === undefined && h.cluster !== undefined && h.node !== undefined) settled = false;
  }
  const out = slotArray<Distribution>(n);
  const back = slotArray<Distribution>(n);
  for (let i = 0; i + 1 < n; i++) {
    out[i] = legOf(hops, info, i, i + 1, model);
    back[i + 1] = legOf(hops, info, i + 1, i, model);
  }
  return { info, out, back, settled, pools: slotArray(n) };
}

/** The network leg from hop a to hop b, or undefined for a hand-over inside one pod. */
function legOf(hops: readonly Hop[], info: readonly HopInfo[], a: number, b: number, model: LatencyModel): Distribution | undefined {
  const la = info[a]!.locality;
  const lb = info[b]!.locality;
  const cls = legClass(hops[a]!, hops[b]!, la, lb);
  return cls === 'local' ? undefined : model.leg(cls, la, lb);
}

const IN = 0;
const OUT = 1;
const DONE = 2;

/**
 * Who hears that a walk ended: its step's generator, or for a call the walk that made it. An object
 * with a method rather than a callback, so the ended hop code calls the same function in every run.
 */
export interface WalkOwner {
  walkEnded(w: Walk): void;
}

export class Walk implements WalkOwner {
  /** Free for the owner (the request step keeps the request id here). */
  tag = 0;
  /** Whether the hop arrival times are kept (the owner clears it for requests it only counts). */
  timed = true;
  i = 0;
  phase = IN;
  readonly startMs: number;
  endMs = NaN;
  /** The route timeout fired at the waypoint: the client got Envoy's 504. */
  routeTimedOut = false;
  /** The client gave up (step timeout, or nothing ever answered). */
  clientTimedOut = false;
  /** No longer followed: its events are ignored when they come due. */
  abandoned = false;
  /** The answering app's calls, started one after another. */
  calls: Walk[] | undefined;
  callStartMs: number[] | undefined;
  private callIndex = 0;
  private routeTimer: EventId = -1;
  private routeDeadline = Infinity;
  private perTryTimer: EventId = -1;
  /** Attempts from the per-try proxy that timed out and were tried again. */
  private retriesDone = 0;
  /** The next of the trace's failed attempts to play (TraceResult.failedAttempts). */
  private nextAttempt = 0;
  private faultDone = false;
  private clientTimer: EventId = -1;
  /** Identity whose connections carry the request on from the current hop. */
  private src: string;
  private readonly n: number;
  private readonly hops: Hop[];
  private readonly plan: WalkPlan;
  private readonly answered: boolean;
  /** Hop after whose pass a fault delay applies (the last waypoint on the way in), or -1. */
  readonly faultAt: number;
  private clientDeadline = Infinity;
  /** When the request reached each hop (ms after its start), when hops are shared templates. */
  private times: number[] | undefined;

  constructor(
    readonly env: WalkEnv,
    readonly trace: TraceResult,
    srcIdentity: string,
    private readonly owner: WalkOwner,
    readonly parent?: Walk,
  ) {
    this.startMs = env.sim.now;
    this.hops = trace.hops;
    this.plan = env.plan(trace);
    this.n = trace.hops.length;
    this.src = srcIdentity;
    this.answered = trace.backend !== undefined && isAppHop(this.hops[this.n - 1]);
    let faultAt = -1;
    if (trace.faultDelayMs) {
      faultAt = 0;
      for (let k = 0; k < this.n; k++) if (this.hops[k]!.kind === 'waypoint') faultAt = k;
    }
    this.faultAt = faultAt;
  }

  get latencyMs(): number {
    return this.endMs - this.startMs;
  }

  /** Starts the walk now; `clientTimeoutMs` ends it as a timeout if no response came back by then. */
  start(clientTimeoutMs?: number): void {
    if (clientTimeoutMs !== undefined) {
      this.clientDeadline = this.startMs + clientTimeoutMs;
      this.clientTimer = this.env.sim.scheduleCall(clientTimeoutMs, clientTimeout, this);
    }
    if (this.n === 0) {
      finish(this);
      return;
    }
    arrive(this);
  }

  /** Handing the request from hop i to hop i+1 at `atMs`: the one-way leg, plus an HBONE connection if one must be opened. */
  legDelay(from: number, to: number, atMs: number): number {
    const b = this.hops[to]!;
    const env = this.env;
    const leg = to > from ? this.plan.out[from] : this.plan.back[from];
    let d = leg === undefined ? 0 : leg.sample(env.net);
    if (this.phase === IN && this.plan.info[from]!.kind !== undefined && overHbone(b)) {
      const slot = this.poolSlot(to);
      const inner = this.hops[from]!.protocol === 'double-HBONE' && !env.pools.usable(slot, atMs + d) ? this.innerTunnelMs(from, d) : 0;
      d += env.pools.acquireSlot(slot, atMs + d, env.net, inner);
    }
    return d;
  }

  /**
   * The network time of opening the inner tunnel through the east-west gateway at hop `gw`, whose
   * leg on is `onwardMs` one way. ztunnel pools only the outer tunnel to the gateway
   * (outbound.rs proxy_to_double_hbone): a client connection opens an outer stream, for which the
   * gateway connects on to the destination; then the inner TLS handshake; then the inner CONNECT.
   * Three round trips of the whole path.
   */
  private innerTunnelMs(gw: number, onwardMs: number): number {
    const into = this.plan.out[gw - 1];
    const intoMs = into === undefined ? 0 : into.sample(this.env.net);
    return 3 * 2 * (intoMs + onwardMs);
  }

  /** The pool carrying the request from the current sender to hop `k`, kept on the plan per sender. */
  private poolSlot(k: number): PoolSlot {
    const kept = this.plan.pools[k];
    if (kept !== undefined && kept.src === this.src) return kept.slot;
    const slot = this.env.pools.slot(this.src, this.peerIdentity(k));
    this.plan.pools[k] = { src: this.src, slot };
    return slot;
  }

  /** The identity that terminates an HBONE connection to hop `k`. */
  private peerIdentity(k: number): string {
    const h = this.hops[k]!;
    if (h.kind === 'ztunnel') {
      // The inbound ztunnel terminates on behalf of the pod behind it.
      const pod = this.hops[k + 1];
      if (pod === undefined || pod.kind !== 'pod') return `${h.cluster}/${h.name}`;
      const b = this.trace.backend;
      return b !== undefined && b.name === pod.name && b.namespace === pod.namespace ? b.identity : `${pod.cluster}/${pod.namespace}/${pod.name}`;
    }
    return this.plan.info[k]!.identity;
  }

  /**
   * Whether what follows the pass through hop i on the way in can be settled when the request
   * enters it: only when no timer can look at the walk in between (a route timeout reads the
   * sender) and the next leg takes no pooled connection (a pool is used in time order).
   */
  passesOnAtOnce(): boolean {
    if (this.trace.routeTimeout !== undefined || this.trace.perTryTimeout !== undefined || this.trace.queued?.hop === this.i) return false;
    const next = this.hops[this.i + 1];
    return next === undefined || !overHbone(next);
  }

  /**
   * After the pass through hop i on the way in: what the proxy sends on is sent as the proxy. An
   * east-west gateway only relays the client's inner tunnel, which stays the client's own.
   */
  passedIn(): void {
    const info = this.plan.info[this.i]!;
    if (info.kind === 'waypoint' || (info.kind === 'gateway' && this.hops[this.i]!.protocol !== 'double-HBONE')) this.src = info.identity;
  }

  /**
   * Arms the route timeout when the request leaves the proxy that set it, `afterMs` from now: a
   * fault delay comes first, since Envoy's router arms its timer only once the fault filter has
   * let the request through.
   */
  startRouteTimer(afterMs = 0): void {
    const rt = this.trace.routeTimeout;
    if (rt !== undefined && rt.hop === this.i && this.routeTimer === -1) {
      this.routeDeadline = this.env.sim.now + afterMs + rt.ms;
      this.routeTimer = this.env.sim.scheduleCallAt(this.routeDeadline, routeTimeout, this);
    }
  }

  /** Arms this attempt's per-try timeout as the request leaves the proxy that set it, `afterMs` from now. */
  startPerTryTimer(afterMs: number): void {
    const pt = this.trace.perTryTimeout;
    if (pt !== undefined && pt.hop === this.i && this.perTryTimer === -1) this.perTryTimer = this.env.sim.scheduleCall(afterMs + pt.ms, perTryTimeout, this);
  }

  /**
   * After the pass through hop i on the way in: whether the request must wait there for a pooled
   * connection. The route timeout runs while it waits, as Envoy's router timer does.
   */
  waitsForConnection(): boolean {
    const q = this.trace.queued;
    if (q === undefined || q.hop !== this.i || this.phase !== IN) return false;
    if (this.env.waits.arrive(this.trace, q.pool, () => this.env.sim.postCall(0, gotConnection, this))) return false;
    this.startRouteTimer();
    return true;
  }

  /** The response is back at hop i: the timers armed there stop. */
  stopProxyTimersHere(): void {
    if (this.routeTimer !== -1 && this.trace.routeTimeout?.hop === this.i) {
      this.env.sim.cancel(this.routeTimer);
      this.routeTimer = -1;
    }
    if (this.perTryTimer !== -1 && this.trace.perTryTimeout?.hop === this.i) {
      this.env.sim.cancel(this.perTryTimer);
      this.perTryTimer = -1;
    }
  }

  stopClientTimer(): void {
    if (this.clientTimer !== -1) {
      this.env.sim.cancel(this.clientTimer);
      this.clientTimer = -1;
    }
  }

  /** Reached the last hop: the app answers (after its calls), or the proxy that ended it turns back. */
  turnaround(): void {
    const env = this.env;
    if (!this.answered) {
      // Nothing answers a connection that timed out: the client waits for its own timeout.
      if (this.trace.outcome === 'timeout' && this.parent === undefined && this.clientTimer !== -1) return;
      beginReturn(this, env.sim.now);
      return;
    }
    const calls = this.trace.calls;
    if (calls !== undefined && calls.length !== 0) {
      this.calls = [];
      this.callStartMs = [];
      this.nextCall();
      return;
    }
    this.serve(env, env.sim.now);
  }

  /**
   * Whether the answer can be settled before the request reaches hop i: it is the answering pod,
   * whose app makes no calls, and no timer can end the walk first.
   */
  answersAhead(): boolean {
    const calls = this.trace.calls;
    return (
      this.i === this.n - 1 &&
      this.answered &&
      this.plan.info[this.i]!.cost === undefined &&
      (calls === undefined || calls.length === 0) &&
      this.trace.routeTimeout === undefined &&
      this.trace.perTryTimeout === undefined &&
      this.clientTimer === -1 &&
      this.faultAt !== this.i
    );
  }

  /** The request reaches the answering pod at `atMs`, which answers after its service time. */
  serveAt(atMs: number): void {
    this.reached(this.i, atMs);
    this.serve(this.env, atMs);
  }

  /** The app, reached at `atMs`, answers after its service time; the response's first leg back is settled now. */
  private serve(env: WalkEnv, atMs: number): void {
    const service = env.appTime(this.trace.backend!).sample(env.app) + (this.trace.appDelayMs ?? 0);
    beginReturn(this, atMs + service);
  }

  private nextCall(): void {
    const calls = this.trace.calls!;
    if (this.callIndex === calls.length) {
      this.serve(this.env, this.env.sim.now);
      return;
    }
    this.env.countCall();
    const child = new Walk(this.env, calls[this.callIndex++]!, this.trace.backend!.identity, this, this);
    child.timed = this.timed;
    this.calls!.push(child);
    this.callStartMs!.push(this.env.sim.now - this.startMs);
    child.start();
  }

  /** A call this walk's app made ended. */
  walkEnded(child: Walk): void {
    // A call's connection goes back to its pool when the call ends, not when the client's request does.
    child.env.waits.release(child.trace);
    if (this.abandoned) return;
    this.nextCall();
  }

  /** The route timeout fired: the waypoint answers 504 and the upstream part is no longer followed. */
  routeTimedOutNow(): void {
    this.routeTimer = -1;
    this.timeoutAtWaypoint(this.trace.routeTimeout!.hop);
  }

  /** This attempt's per-try timeout fired: the proxy tries again while retries remain, else answers 504. */
  perTryTimedOut(): void {
    this.perTryTimer = -1;
    const pt = this.trace.perTryTimeout!;
    if (this.retriesDone < pt.retries) this.retryFrom(pt);
    else this.timeoutAtWaypoint(pt.hop);
  }

  /**
   * The proxy at `pt.hop` sends the request again after Envoy's jittered exponential backoff
   * (uniform below base × (2^n − 1), at most the maximum), on the same path: a fresh walk from that
   * hop, so events still pending for the abandoned attempt are recognised and dropped. The client's
   * and the route's timers carry over.
   */
  private retryFrom(pt: PerTryTimeout): void {
    const env = this.env;
    const again = new Walk(env, this.trace, this.plan.info[pt.hop]!.identity, this.owner, this.parent);
    this.carryOver(again);
    again.retriesDone = this.retriesDone + 1;
    if (this.routeTimer !== -1) {
      env.sim.cancel(this.routeTimer);
      this.routeTimer = -1;
      again.routeDeadline = this.routeDeadline;
      again.routeTimer = env.sim.scheduleCallAt(this.routeDeadline, routeTimeout, again);
    }
    again.i = pt.hop;
    this.abandoned = true;
    if (this.parent !== undefined) this.parent.replaceCall(this, again);
    const now = env.sim.now;
    const backoff = jitteredBackoff(env.net, again.retriesDone, pt.backoffBaseMs, pt.backoffMaxMs);
    again.startPerTryTimer(backoff);
    const d = backoff + again.legDelay(pt.hop, pt.hop + 1, now + backoff);
    again.i++;
    env.sim.postCallAt(now + d, arrive, again);
  }

  /** The fault delay to add when the request leaves hop i: once, at the hop that injects it. */
  takeFault(): number {
    if (this.i !== this.faultAt || this.faultDone) return 0;
    this.faultDone = true;
    return this.trace.faultDelayMs!;
  }

  /** Whether the trace's failed attempts from hop i are still to be played before the request goes on. */
  playsAttemptsHere(): boolean {
    const fa = this.trace.failedAttempts;
    return fa !== undefined && fa.hop === this.i && this.phase === IN && this.nextAttempt < fa.attempts.length;
  }

  /** Plays the next failed attempt from the proxy: a walk of its own on that attempt's path, which this one waits for. */
  playNextAttempt(): void {
    const fa = this.trace.failedAttempts!;
    const child = new Walk(this.env, fa.attempts[this.nextAttempt++]!, this.plan.info[fa.hop]!.identity, new AttemptOwner(this));
    child.timed = false;
    child.start();
  }

  /** A failed attempt got its answer back to the proxy: after Envoy's backoff, the next attempt, or the request goes on. */
  attemptEnded(): void {
    if (this.abandoned) return;
    const fa = this.trace.failedAttempts!;
    const now = this.env.sim.now;
    const backoff = jitteredBackoff(this.env.net, this.nextAttempt, fa.backoffBaseMs, fa.backoffMaxMs);
    if (this.nextAttempt < fa.attempts.length) this.env.sim.postCallAt(now + backoff, playAttempt, this);
    else forward(this, backoff, now);
  }

  /** What a walk that takes over from this one (same request, same start) keeps: id, timing, client timer. */
  private carryOver(next: Walk): void {
    next.tag = this.tag;
    next.timed = this.timed;
    (next as { startMs: number }).startMs = this.startMs;
    next.times = this.times;
    if (this.clientTimer !== -1) {
      this.stopClientTimer();
      next.clientDeadline = this.clientDeadline;
      next.clientTimer = this.env.sim.scheduleCallAt(this.clientDeadline, clientTimeout, next);
    }
  }

  /** The proxy at `hop` answers 504 (a route or per-try timeout) and the upstream part is no longer followed. */
  private timeoutAtWaypoint(hop: number): void {
    this.cancelProxyTimers();
    this.env.waits.abandon(this.trace);
    // The rest of this walk carries on as a fresh walk from the waypoint, so events still pending
    // for the abandoned upstream part are recognised and dropped.
    const back = new Walk(this.env, this.trace, this.src, this.owner, this.parent);
    this.carryOver(back);
    back.routeTimedOut = true;
    back.calls = this.calls;
    back.callStartMs = this.callStartMs;
    back.i = hop;
    back.phase = OUT;
    this.abandoned = true;
    const h = this.hops[hop]!;
    const handoff = proxyKind(h) !== undefined ? this.env.model.proxies[proxyKind(h)!].handoffMs : 0;
    const now = this.env.sim.now;
    if (back.i === 0) this.env.sim.postCall(handoff, finish, back);
    else this.env.sim.postCallAt(now + (handoff + back.legDelay(back.i, back.i - 1, now)), arriveBack, back);
    if (this.parent !== undefined) this.parent.replaceCall(this, back);
  }

  /** Stops the route and per-try timers: the walk ends, or another takes over its answer. */
  private cancelProxyTimers(): void {
    if (this.routeTimer !== -1) {
      this.env.sim.cancel(this.routeTimer);
      this.routeTimer = -1;
    }
    if (this.perTryTimer !== -1) {
      this.env.sim.cancel(this.perTryTimer);
      this.perTryTimer = -1;
    }
  }

  private replaceCall(old: Walk, now: Walk): void {
    const k = this.calls?.indexOf(old) ?? -1;
    if (k >= 0) this.calls![k] = now;
  }

  end(): void {
    this.phase = DONE;
    this.endMs = this.env.sim.now;
    this.stopClientTimer();
    this.cancelProxyTimers();
    this.owner.walkEnded(this);
  }

  clientGaveUp(): void {
    this.clientTimer = -1;
    this.abandoned = true;
    this.clientTimedOut = true;
    this.end();
  }

  get hopList(): Hop[] {
    return this.hops;
  }

  /** What the walk knows of hop i. */
  infoAt(i: number): HopInfo {
    return this.plan.info[i]!;
  }

  /** The request reaches hop i at `atMs`. */
  reached(i: number, atMs: number): void {
    if (!FAST_PATHS) {
      this.hops[i]!.atMs = round3(atMs - this.startMs);
      return;
    }
    if (this.timed) (this.times ??= [])[i] = round3(atMs - this.startMs);
  }

  /** The hops as recorded: each with the time the request reached it (hops never reached have none). */
  recordedHops(): Hop[] {
    const times = this.times;
    if (times === undefined) return this.hops;
    const out = new Array<Hop>(this.n);
    for (let i = 0; i < this.n; i++) {
      const h = this.hops[i]!;
      const t = times[i];
      out[i] = t === undefined ? h : withTime(h, t);
    }
    return out;
  }
  get hopCount(): number {
    return this.n;
  }
}

/** A copy of a hop with its arrival time, keys in the order the straightforward path writes them. */
function withTime(h: Hop, atMs: number): Hop {
  const out: Hop = Object.assign({}, h);
  out.atMs = atMs;
  return out;
}

/** Whether a hop is reached over an HBONE tunnel (a pooled connection). */
function overHbone(h: Hop): boolean {
  return h.protocol === 'HBONE' || h.protocol === 'double-HBONE';
}

function proxyIdentity(h: Hop): string {
  return `${h.cluster}/${h.kind}/${h.namespace ?? ''}/${h.name}`;
}

// ---------------------------------------------------------------- event handlers

/** The request reaches hop i. */
function arrive(w: Walk): void {
  if (w.abandoned) return;
  const info = w.infoAt(w.i);
  const now = w.env.sim.now;
  w.reached(w.i, now);
  if (info.cost === undefined) {
    forward(w, 0, now);
    return;
  }
  const done = passEnd(w, info, info.cost, now);
  if (w.passesOnAtOnce()) passIn(w, done);
  else w.env.sim.postCallAt(done, passedIn, w);
}

/** When the pass through hop i's proxy, entered at `nowMs`, ends (its station is made on first use). */
function passEnd(w: Walk, info: HopInfo, cost: ProxyModel, nowMs: number): number {
  return (info.station ??= w.env.stations.of(w.hopList[w.i]!)!).admit(nowMs, cost.cpu.sample(w.env.cpu));
}

/** Runs `handler` at `atMs`: as an event when that is later than now, at once otherwise. */
function at(w: Walk, atMs: number, handler: (w: Walk) => void): void {
  const sim = w.env.sim;
  if (atMs > sim.now) sim.postCallAt(atMs, handler, w);
  else handler(w);
}

function passedIn(w: Walk): void {
  if (w.abandoned || w.waitsForConnection()) return;
  passIn(w, w.env.sim.now);
}

/** A queued request got its connection: it leaves the proxy now. */
function gotConnection(w: Walk): void {
  if (w.abandoned) return;
  passIn(w, w.env.sim.now);
}

/** The pass through hop i ends at `atMs`. */
function passIn(w: Walk, atMs: number): void {
  w.passedIn();
  forward(w, w.infoAt(w.i).cost!.handoffMs, atMs);
}

/** Leaves hop i towards hop i+1 `extra` ms (hand-off, fault delay) after `atMs`. */
function forward(w: Walk, extra: number, atMs: number): void {
  const fault = w.takeFault();
  extra += fault;
  w.startRouteTimer(fault);
  if (w.playsAttemptsHere()) {
    // The route timeout covers the retries; a per-try timeout only the attempt that goes on.
    at(w, atMs + extra, playAttempt);
    return;
  }
  w.startPerTryTimer(extra);
  if (w.i === w.hopCount - 1) {
    at(w, atMs + extra, turnaround);
    return;
  }
  const d = extra + w.legDelay(w.i, w.i + 1, atMs);
  w.i++;
  if (atMs + d > w.env.sim.now && w.answersAhead()) w.serveAt(atMs + d);
  else at(w, atMs + d, arrive);
}

function turnaround(w: Walk): void {
  if (w.abandoned) return;
  w.turnaround();
}

/** The response leaves the last hop reached at `atMs`. */
function beginReturn(w: Walk, atMs: number): void {
  w.phase = OUT;
  if (w.i === 0) {
    at(w, atMs, finish);
    return;
  }
  w.env.sim.postCallAt(atMs + w.legDelay(w.i, w.i - 1, atMs), arriveBack, w);
}

/** The response reaches hop i-1 on its way back; what follows its pass there is settled now. */
function arriveBack(w: Walk): void {
  if (w.abandoned) return;
  w.i--;
  w.stopProxyTimersHere();
  const info = w.infoAt(w.i);
  const now = w.env.sim.now;
  if (info.cost === undefined) passOut(w, now, 0);
  else passOut(w, passEnd(w, info, info.cost, now), info.cost.handoffMs);
}

/** The pass through hop i on the way back ends at `atMs`; the hand-off takes `handoff` ms more. */
function passOut(w: Walk, atMs: number, handoff: number): void {
  if (w.i === 0) {
    at(w, atMs + handoff, finish);
    return;
  }
  w.env.sim.postCallAt(atMs + (handoff + w.legDelay(w.i, w.i - 1, atMs)), arriveBack, w);
}

function finish(w: Walk): void {
  if (w.abandoned) return;
  w.end();
}

function routeTimeout(w: Walk): void {
  if (w.abandoned || w.phase === DONE) return;
  w.routeTimedOutNow();
}

function playAttempt(w: Walk): void {
  if (w.abandoned) return;
  w.playNextAttempt();
}

/** Waits for one failed attempt on behalf of the walk that made it. */
class AttemptOwner implements WalkOwner {
  constructor(private readonly from: Walk) {}

  walkEnded(): void {
    this.from.attemptEnded();
  }
}

/**
 * Envoy's jittered exponential backoff before retry `n` (1, 2, ...): uniform below
 * base × (2^n − 1), capped at the maximum (10 × base in Istio's retry policy).
 */
function jitteredBackoff(rng: Rng, n: number, baseMs: number, maxMs: number): number {
  return rng.random() * Math.min(baseMs * (2 ** n - 1), maxMs);
}

function perTryTimeout(w: Walk): void {
  if (w.abandoned || w.phase === DONE) return;
  w.perTryTimedOut();
}

function clientTimeout(w: Walk): void {
  if (w.abandoned || w.phase === DONE) return;
  w.clientGaveUp();
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
