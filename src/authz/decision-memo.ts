// Remembered verdicts. An RBAC evaluation is a pure function of its policy set (immutable: a
// configuration change compiles a new index, hence new sets) and of the request facts those policies
// read. A mesh repeats a few (client, destination, request shape) tuples endlessly, so each set keeps
// what it decided per distinct tuple. An entry's key holds every fact the set's policies read, so a
// hit can never differ from a fresh evaluation; sets whose outcome depends on anything else (dry-run
// and AUDIT records, JWT, CUSTOM providers) have no memo.
import type { Decision } from '../result/types';
import type { WaypointOutcome, WaypointRequest, ZtunnelConnection } from './types';
import { FACT_DST, FACT_HOST, FACT_ID, FACT_METHOD, FACT_PATH, FACT_PORT, FACT_REMOTE, FACT_SNI, FACT_SRC, type FactReads } from './waypoint-attrs';

/** A decision without its per-call fields (`at`, `sourceIdentity`). */
export interface Verdict {
  allowed: boolean;
  kind: 'authz' | 'peer-authn';
  result: 'ALLOW' | 'DENY';
  policy: string | null;
  rule: number | null;
  reason: string;
}

export interface WaypointVerdict extends Verdict {
  outcome: WaypointOutcome;
}

/** The records of every answer that has none: frozen, as it is shared, so no caller can add to another's. */
export const NO_SHADOW = Object.freeze([]) as unknown as Decision[];

/** The decision a verdict stands for at one proxy, for one source. */
export function decisionOf(v: Verdict, at: string, sourceIdentity: string | null): Decision {
  return { at, kind: v.kind, result: v.result, policy: v.policy, rule: v.rule, reason: v.reason, sourceIdentity };
}

/**
 * One remembered verdict, its key (in the subclass: the request facts it was reached for) and the
 * last answer built from it. Answers are frozen because repeated calls share them: nothing a caller
 * does to one can change another call's result.
 */
abstract class Entry<V extends Verdict, A> {
  private answer: A | null = null;
  private answerAt = '';
  private answerSource: string | null = null;

  constructor(readonly verdict: V) {}

  answerFor(at: string, sourceIdentity: string | null, build: (v: V, decision: Decision) => A): A {
    if (this.answer !== null && this.answerAt === at && this.answerSource === sourceIdentity) return this.answer;
    const made = Object.freeze(build(this.verdict, Object.freeze(decisionOf(this.verdict, at, sourceIdentity))));
    this.answer = made;
    this.answerAt = at;
    this.answerSource = sourceIdentity;
    return made;
  }
}

/** Distinct keys kept per bucket and buckets per set; past either the memo starts over. */
const PER_BUCKET = 16;
const BUCKETS = 4096;

/**
 * Entries bucketed by one string of their key, scanned within a bucket by the rest; the entry last
 * found or added is tried first (a proxy often sees the same request several times in a row).
 */
abstract class KeyedMemo<R, E extends Entry<Verdict, unknown>> {
  /** Made on first use: most sets of a large mesh never see traffic. */
  private map: Map<string | null, E[]> | null = null;
  private last: E | null = null;

  protected abstract bucketOf(req: R): string | null;
  /** Whether `e` was reached for a request equal to `req` in every fact the policies read. */
  protected abstract matches(e: E, req: R): boolean;

  get(req: R): E | undefined {
    const last = this.last;
    if (last !== null && this.matches(last, req)) return last;
    const list = this.map?.get(this.bucketOf(req));
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      if (this.matches(list[i]!, req)) return (this.last = list[i]!);
    }
    return undefined;
  }

  protected add(req: R, entry: E): E {
    const bucket = this.bucketOf(req);
    const map = (this.map ??= new Map());
    const list = map.get(bucket);
    if (list === undefined) {
      if (map.size >= BUCKETS) map.clear();
      map.set(bucket, [entry]);
    } else {
      if (list.length >= PER_BUCKET) list.length = 0;
      list.push(entry);
    }
    return (this.last = entry);
  }
}

class ZtEntry<A> extends Entry<Verdict, A> {
  readonly identity: string | null;
  readonly port: number;
  readonly srcIp: string;
  readonly dstIp: string;

  constructor(conn: ZtunnelConnection, verdict: Verdict) {
    super(verdict);
    this.identity = conn.srcIdentity;
    this.port = conn.dstPort;
    this.srcIp = conn.srcIp;
    this.dstIp = conn.dstIp;
  }
}

/**
 * ztunnel verdicts by source identity, destination port and the addresses the policies read; bucketed
 * by source address when that is read (many pods share an identity), else by identity.
 */
export class ZtunnelMemo<A> extends KeyedMemo<ZtunnelConnection, ZtEntry<A>> {
  constructor(
    private readonly usesSrc: boolean,
    private readonly usesDst: boolean,
  ) {
    super();
  }

  protected bucketOf(conn: ZtunnelConnection): string | null {
    return this.usesSrc ? conn.srcIp : conn.srcIdentity;
  }

  protected matches(e: ZtEntry<A>, conn: ZtunnelConnection): boolean {
    return e.identity === conn.srcIdentity && e.port === conn.dstPort && (!this.usesSrc || e.srcIp === conn.srcIp) && (!this.usesDst || e.dstIp === conn.dstIp);
  }

  remember(conn: ZtunnelConnection, verdict: Verdict): ZtEntry<A> {
    return this.add(conn, new ZtEntry<A>(conn, verdict));
  }
}

class WpEntry<A> extends Entry<WaypointVerdict, A> {
  readonly tcp: boolean;
  readonly identity: string | null;
  readonly method: string;
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly sni: string | undefined;
  readonly srcIp: string;
  readonly remoteIp: string | undefined;
  readonly dstIp: string;
  /** The value of the first header the policies read (most read one or none), inline... */
  readonly header0: string | undefined;
  /** ...and of the others, in `FactReads.headers` order. */
  readonly headers: (string | undefined)[];

  constructor(req: WaypointRequest, names: string[], verdict: WaypointVerdict) {
    super(verdict);
    this.tcp = req.protocol === 'tcp';
    this.identity = req.srcIdentity;
    this.method = req.method;
    this.port = req.dstPort;
    this.host = req.host;
    this.path = req.path;
    this.sni = req.sni;
    this.srcIp = req.srcIp;
    this.remoteIp = req.remoteIp;
    this.dstIp = req.dstIp;
    this.header0 = names.length > 0 ? req.headers[names[0]!] : undefined;
    this.headers = names.slice(1).map((h) => req.headers[h]);
  }
}

/**
 * Waypoint verdicts by every fact the set's policies read, raw (the path with its query, the host as
 * sent: finer keys than the facts, never coarser); bucketed by path when read, else by identity.
 */
export class WaypointMemo<A> extends KeyedMemo<WaypointRequest, WpEntry<A>> {
  private readonly bits: number;
  private readonly headers: string[];

  constructor(reads: FactReads) {
    super();
    this.bits = reads.bits;
    this.headers = reads.headers;
  }

  protected bucketOf(req: WaypointRequest): string | null {
    return this.bits & FACT_PATH ? req.path : this.bits & FACT_ID ? req.srcIdentity : null;
  }

  protected matches(e: WpEntry<A>, req: WaypointRequest): boolean {
    const b = this.bits;
    if (e.tcp !== (req.protocol === 'tcp')) return false;
    if (b & FACT_PATH && e.path !== req.path) return false;
    if (b & FACT_ID && e.identity !== req.srcIdentity) return false;
    if (b & FACT_METHOD && e.method !== req.method) return false;
    if (b & FACT_PORT && e.port !== req.dstPort) return false;
    if (b & FACT_HOST && e.host !== req.host) return false;
    if (b & FACT_SNI && e.sni !== req.sni) return false;
    if (b & (FACT_SRC | FACT_REMOTE) && e.srcIp !== req.srcIp) return false;
    if (b & FACT_REMOTE && e.remoteIp !== req.remoteIp) return false;
    if (b & FACT_DST && e.dstIp !== req.dstIp) return false;
    const names = this.headers;
    if (names.length === 0) return true;
    if (e.header0 !== req.headers[names[0]!]) return false;
    for (let i = 1; i < names.length; i++) if (e.headers[i - 1] !== req.headers[names[i]!]) return false;
    return true;
  }

  remember(req: WaypointRequest, verdict: WaypointVerdict): WpEntry<A> {
    return this.add(req, new WpEntry<A>(req, this.headers, verdict));
  }
}
