// Accumulates what one request did, hop by hop, and how it ended.
import type { ServiceInfo, WorkloadInfo } from '../control/model';
import type { ConnectionPool } from '../routing';
import type { Decision, Hop, Outcome } from '../result/types';
import { FAST_PATHS } from '../fast-paths';

export interface TraceResult {
  /** What the client asked for. */
  request: { host: string; port: number; method: string; path: string };
  outcome: Outcome;
  status?: number;
  body?: string;
  responseHeaders?: Record<string, string>;
  /** Why the client saw what it saw (`NoHealthyUpstream`, `RBAC: access denied`, ...). */
  error?: string;
  hops: Hop[];
  decisions: Decision[];
  /** The Service the client addressed, if any. */
  service?: ServiceInfo;
  /** The pod whose app answered. */
  backend?: WorkloadInfo;
  /** Headers as the app received them. */
  requestHeaders?: Record<string, string>;
  /** Extra time the app took (httpbin /delay). */
  appDelayMs?: number;
  /** Requests the answering app made while handling this one, in order. */
  calls?: TraceResult[];
  /** Pods that received a mirrored copy (RequestMirror): fire-and-forget, not part of the path. */
  mirrored?: WorkloadInfo[];
  /** Circuit-breaker slots this request holds until it completes (the runner releases them). */
  holds?: ConnectionPool[];
  /** The HTTP/1.1 connection pool the request waits in at the proxy of hop `hop` until a connection frees up. */
  queued?: { pool: ConnectionPool; hop: number };
  /** Delay injected by a fault rule, in ms. */
  faultDelayMs?: number;
  /** A route timeout: `ms` counted from the hop at index `hop` (the waypoint) until the response returns there. */
  routeTimeout?: { ms: number; hop: number };
  /**
   * A per-try timeout (VirtualService perTryTimeout, HTTPRoute backendRequest with a retry): each
   * attempt from the proxy at `hop` gets `ms`; a timed-out attempt is tried again up to `retries`
   * times after Envoy's jittered backoff, then the client gets 504.
   */
  perTryTimeout?: PerTryTimeout;
  failedAttempts?: FailedAttempts;
}

/**
 * Attempts the proxy at `hop` made before the one the path shows (retries after a 5xx or a connect
 * failure): each a path of its own from that proxy, walked in turn, with Envoy's backoff between.
 */
export interface FailedAttempts {
  hop: number;
  attempts: TraceResult[];
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface PerTryTimeout {
  ms: number;
  hop: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export class Trace {
  constructor(readonly request: TraceResult['request']) {}

  readonly hops: Hop[] = [];
  readonly decisions: Decision[] = [];
  // Made on first use: most requests make no call, mirror nothing and hold no pool slot.
  private calls: TraceResult[] | undefined = undefined;
  private mirrored: WorkloadInfo[] | undefined = undefined;
  private holds: ConnectionPool[] | undefined = undefined;
  service?: ServiceInfo;

  private faultDelayMs = 0;
  private routeTimeout?: { ms: number; hop: number };
  private perTry?: PerTryTimeout;
  private failed?: FailedAttempts;
  private queued?: { pool: ConnectionPool; hop: number };

  /** A fault rule's delay before the request goes on. */
  delay(ms: number): void {
    this.faultDelayMs += ms;
  }

  /** The route's request timeout, counted from the current hop. */
  timeoutAt(ms: number): void {
    this.routeTimeout = { ms, hop: this.hops.length - 1 };
  }

  /** Each attempt from the current hop gets `ms` (see TraceResult.perTryTimeout). */
  perTryTimeoutAt(ms: number, retries: number, backoffBaseMs: number, backoffMaxMs: number): void {
    this.perTry = { ms, hop: this.hops.length - 1, retries, backoffBaseMs, backoffMaxMs };
  }

  /**
   * An attempt from the proxy at hop `proxyHop` failed: its hops past the proxy leave the path and
   * become an attempt of their own, so its time still counts.
   */
  failedAttempt(proxyHop: number, outcome: { ok: true; status: number; backend: WorkloadInfo; delayMs?: number } | { ok: false }, backoff: { baseMs: number; maxMs: number }): void {
    // The proxy's hop is copied: a walk may write its arrival time into the hops it walks.
    const hops = [{ ...this.hops[proxyHop]! }, ...this.hops.slice(proxyHop + 1)];
    this.hops.length = proxyHop + 1;
    const attempt: TraceResult = outcome.ok
      ? { request: this.request, outcome: 'response', status: outcome.status, hops, decisions: [], backend: outcome.backend, ...(outcome.delayMs ? { appDelayMs: outcome.delayMs } : {}) }
      : { request: this.request, outcome: 'reset', hops, decisions: [] };
    this.failed ??= { hop: proxyHop, attempts: [], backoffBaseMs: backoff.baseMs, backoffMaxMs: backoff.maxMs };
    this.failed.attempts.push(attempt);
  }

  /** The pool holds the request in its pending queue at the current hop (the first such proxy on its path). */
  queue(pool: ConnectionPool): void {
    this.queued ??= { pool, hop: this.hops.length - 1 };
  }

  hop(h: Hop): void {
    this.hops.push(h);
  }

  /** A call the answering app made while handling the request. */
  call(child: TraceResult): void {
    (this.calls ??= []).push(child);
  }

  /** A proxy mirrored the request to `w`, which answered. */
  mirror(w: WorkloadInfo): void {
    (this.mirrored ??= []).push(w);
  }

  /** The request holds a slot of a proxy's connection pool until it completes. */
  hold(pool: ConnectionPool): void {
    (this.holds ??= []).push(pool);
  }

  decide(d: Decision | Decision[]): void {
    if (Array.isArray(d)) for (const x of d) this.decisions.push(x);
    else this.decisions.push(d);
  }

  end(outcome: Outcome, fields?: Partial<Omit<TraceResult, 'outcome' | 'hops' | 'decisions' | 'request'>>): TraceResult {
    // Optional keys only when present, in this order, then `fields` (as a spread of each would
    // place them, without making an object per key).
    const r: TraceResult = { request: this.request, outcome, hops: this.hops, decisions: this.decisions, service: this.service };
    if (this.calls !== undefined) r.calls = this.calls;
    if (this.mirrored !== undefined) r.mirrored = this.mirrored;
    if (this.holds !== undefined) r.holds = this.holds;
    if (this.faultDelayMs) r.faultDelayMs = this.faultDelayMs;
    if (this.routeTimeout) r.routeTimeout = this.routeTimeout;
    if (this.perTry) r.perTryTimeout = this.perTry;
    if (this.failed) r.failedAttempts = this.failed;
    if (this.queued) r.queued = this.queued;
    return fields === undefined ? r : Object.assign(r, fields);
  }

  reset(error: string): TraceResult {
    return this.end('reset', { error });
  }

  respond(status: number, body: string, error?: string, headers: Record<string, string> = {}): TraceResult {
    return this.end('response', { status, body, error, responseHeaders: headers });
  }
}

/*
 * Hops are immutable once made (the walk keeps arrival times apart), so the hops of a workload are
 * made once per mesh view and shared by every request that passes there.
 */
const podHops = new WeakMap<WorkloadInfo, Hop>();
const ztunnelHops = new WeakMap<WorkloadInfo, Hop>();
const ztunnelTcpHops = new WeakMap<WorkloadInfo, Hop>();

export function podHop(w: WorkloadInfo): Hop {
  if (!FAST_PATHS) return makePodHop(w);
  let h = podHops.get(w);
  if (h === undefined) podHops.set(w, (h = makePodHop(w)));
  return h;
}

/** A pod's hop; a server outside the cluster is named by its address alone. */
function makePodHop(w: WorkloadInfo): Hop {
  return w.external ? { kind: 'external', name: w.name } : { kind: 'pod', name: w.name, namespace: w.namespace, node: w.node, cluster: w.cluster };
}

const ztunnelNames = new Map<string, string>();

export function ztunnelName(node: string): string {
  if (!FAST_PATHS) return `ztunnel-${node}`;
  let name = ztunnelNames.get(node);
  if (name === undefined) ztunnelNames.set(node, (name = `ztunnel-${node}`));
  return name;
}

export function ztunnelHop(w: WorkloadInfo, protocol: Hop['protocol']): Hop {
  const cache = !FAST_PATHS ? undefined : protocol === 'HBONE' ? ztunnelHops : protocol === 'TCP' ? ztunnelTcpHops : undefined;
  if (cache === undefined) return { kind: 'ztunnel', name: ztunnelName(w.node), node: w.node, cluster: w.cluster, protocol };
  let h = cache.get(w);
  if (h === undefined) cache.set(w, (h = { kind: 'ztunnel', name: ztunnelName(w.node), node: w.node, cluster: w.cluster, protocol }));
  return h;
}
