// One route entry as a table holds it. On a large mesh a route decision costs mostly memory reads
// (each object it touches is likely a cache miss), so what deciding reads is copied into this one
// object: the match, whether only the path is checked, the plain-forward parts of the decision,
// and the entry's place in its table's key map.
import type { Decision } from '../result/types';
import { matchRest, type CompiledMatch, type MatchContext, type StringMatcher } from './match';
import type { RouteEntry } from './model';
import { plainForwardOf, type PlainForward } from './plain-forward';
import type { RouteTable } from './table';
import type { BackendTarget, ClusterPolicy, HeaderOps, LbPolicy, RetryPolicy } from './types';

export class Candidate {
  // Fields in the order a lookup reads them: those of the key map and the match first.
  /** The table it belongs to (tables share one key map). */
  readonly table: RouteTable;
  /** The path it is filed under (an exact path or a segment prefix); null when it is scanned. */
  readonly key: string | null = null;
  readonly exact: boolean = false;
  /** The next candidate filed under the same hash (in table order within one table). */
  nextInSlot: Candidate | null = null;
  readonly index: number;
  /** It checks nothing but the path: once the index offers it, it matches. */
  readonly pathOnly: boolean;
  /**
   * Set when the match's other conditions are at most an exact method and one exact header
   * (checked here without reading the match); else the match is evaluated.
   */
  readonly simple: boolean = false;
  readonly method: string | null = null;
  readonly header: string | null = null;
  readonly headerValue: string | null = null;
  readonly match: CompiledMatch | null;
  /** Non-null when the entry is a plain forward (plain-forward.ts); the fields up to `hashLb` then hold it. */
  readonly backend: BackendTarget | null = null;
  readonly cluster: ClusterPolicy | null = null;
  readonly label: string;
  readonly rule: number | string;
  readonly retry: RetryPolicy | null;
  readonly timeouts: PlainForward['timeouts'];
  readonly responseHeaderOps: HeaderOps | null = null;
  readonly hashLb: LbPolicy | null = null;
  /** The `matched` decision of a plain forward for the proxy `at`, made on first use and shared. */
  at = '';
  decision: Decision | null = null;
  readonly entry: RouteEntry;

  constructor(table: RouteTable, index: number, entry: RouteEntry) {
    this.table = table;
    this.index = index;
    this.entry = entry;
    const m = entry.match;
    this.match = m;
    this.pathOnly = m === null || (m.method === null && m.headers.length === 0 && m.query.length === 0 && m.scheme === null && m.authority === null);
    if (m !== null && !this.pathOnly && m.query.length === 0 && m.scheme === null && m.authority === null) {
      const method = m.method === null ? null : plainExact(m.method);
      const h = m.headers.length === 1 ? m.headers[0]! : null;
      const header = h && !h.invert && h.name.charCodeAt(0) !== 58 /* : pseudo-header */ ? plainExact(h.m) : null;
      if ((m.method === null || method !== null) && (m.headers.length === 0 || header !== null)) {
        this.simple = true;
        this.method = method;
        this.header = header === null ? null : h!.name;
        this.headerValue = header;
      }
    }
    const p = m?.path;
    if (p?.kind === 'segment-prefix' || (p?.kind === 'exact' && !p.ignoreCase)) {
      this.key = p.value;
      this.exact = p.kind === 'exact';
    }
    const route = entry.route;
    this.label = route.label;
    this.rule = route.rule;
    this.retry = route.retry;
    this.timeouts = route.timeouts;
    const plain = plainForwardOf(route);
    if (plain) {
      this.backend = plain.backend;
      this.cluster = plain.cluster;
      this.responseHeaderOps = plain.responseHeaderOps;
      this.hashLb = plain.hashLb;
    }
  }

  /** Whether the match's conditions other than the path hold (the index has checked the path). */
  restHolds(ctx: MatchContext): boolean {
    if (this.pathOnly) return true;
    if (!this.simple) return matchRest(this.match!, ctx);
    // A missing header fails an exact match, as in matchRest.
    return (this.method === null || ctx.method === this.method) && (this.header === null || ctx.headers[this.header] === this.headerValue);
  }

  /** The plain forward, when this entry is one. */
  plain(): (Candidate & PlainForward) | null {
    return this.backend !== null ? (this as Candidate & PlainForward) : null;
  }
}

/** The value of a case-sensitive exact matcher, else null. */
function plainExact(m: StringMatcher): string | null {
  return m.kind === 'exact' && !m.ignoreCase ? m.value : null;
}
