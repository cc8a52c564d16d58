// One service port's ordered route list with an index that finds the first matching entry
// without scanning every route: exact paths and path-separated prefixes are looked up by key;
// only entries that cannot be keyed (regex, plain prefix, header-only) are scanned.
//
// Keys are found by a hash of the path's leading characters, computed while the path is read
// once: a request costs no substrings and no string hashing, only small-integer map lookups at
// the positions where some key could end (their lengths are bits of an integer), each confirmed
// by comparing the key itself. The tables of one index share one map, whose chains are made of
// the candidates themselves, so a lookup reads the map and then the candidate it decides with.
import { matchAll, type MatchContext } from './match';
import { exact, type RouteEntry } from './model';
import { Candidate } from './candidate';

/** The keys of every table of one index: the first candidate filed under each hash. */
export type PathKeys = Map<number, Candidate>;

/** Key lengths below this are bits of an integer; longer ones are kept in an array. */
const SHORT = 31;
const SEGMENT = 1;
const EXACT = 2;

/** FNV-1a step over one UTF-16 code unit. */
function step(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619);
}

/** Where a table's hashes start: tables share one key map, so each hashes from its own seed. */
function seedOf(id: number): number {
  return Math.imul(id + 1, 0x9e3779b1) ^ 0x811c9dc5;
}

/** Map keys stay small integers (no boxed numbers on lookup). */
function slot(h: number): number {
  return h & 0x3fffffff;
}

/** The map key a table with hash seed `seed` files `key` under. */
export function pathKeySlot(seed: number, key: string): number {
  let h = seed;
  for (let i = 0; i < key.length; i++) h = step(h, key.charCodeAt(i));
  return slot(h);
}

export class RouteTable {
  // Fields in the order a request reads them.
  readonly namespace: string;
  readonly port: number;
  /** The next table of a service with the same name (in another namespace or on another port). */
  sameName: RouteTable | null = null;
  readonly seed: number;
  /** Bit L set: some segment-prefix (exact) key has length L < SHORT. */
  private segmentLengths = 0;
  private exactLengths = 0;
  /** Length of the longest key, -1 without keys. */
  private longest = -1;
  private readonly keys: PathKeys;
  /** Entries without a key, tried in order; null when there are none (not read on every request). */
  private scan: Candidate[] | null = null;
  /** For keys of SHORT characters or more: index L holds SEGMENT | EXACT flags. */
  private longLengths: Uint8Array | null = null;
  readonly service: string;
  readonly entries: RouteEntry[];
  private noMatch: string | null = null;

  /** `keys` is shared by the tables of one index (`id` tells them apart); the table files its keys there. */
  constructor(entries: RouteEntry[], namespace: string, service: string, port: number, keys: PathKeys = new Map(), id = 0) {
    this.namespace = namespace;
    this.port = port;
    this.seed = seedOf(id);
    this.keys = keys;
    this.service = service;
    this.entries = entries;
    const long: number[] = [];
    for (const [i, e] of entries.entries()) {
      const c = new Candidate(this, i, e);
      const key = c.key;
      if (key === null) {
        (this.scan ??= []).push(c);
        continue;
      }
      this.file(c, key);
      const len = key.length;
      if (len >= SHORT) long.push(len, c.exact ? EXACT : SEGMENT);
      else if (c.exact) this.exactLengths |= 1 << len;
      else this.segmentLengths |= 1 << len;
      this.longest = Math.max(this.longest, len);
    }
    if (this.scan !== null) this.scan = exact(this.scan);
    if (long.length > 0) {
      this.longLengths = new Uint8Array(this.longest + 1);
      for (let k = 0; k < long.length; k += 2) this.longLengths[long[k]!]! |= long[k + 1]!;
    }
  }

  /** Index of the first entry (in precedence order) matching the request, or -1. */
  firstMatch(ctx: MatchContext): number {
    return this.first(ctx)?.index ?? -1;
  }

  /** The first entry (in precedence order) matching the request, or null. */
  first(ctx: MatchContext): Candidate | null {
    const path = ctx.path;
    const n = path.length;
    // Each lookup yields its key's first match; `best` keeps the earliest of them in table order.
    let best: Candidate | null = null;
    if (this.longest >= 0) {
      const stop = n <= this.longest ? n : this.longest + 1;
      let h = this.seed;
      for (let i = 0; i < stop; i++) {
        const c = path.charCodeAt(i);
        // A segment prefix ends where the path continues with `/` (or where the path ends); it is
        // never empty.
        if (c === 47 && i > 0 && this.hasLength(i, SEGMENT)) best = this.lookup(h, path, i, false, ctx, best);
        h = step(h, c);
      }
      if (n <= this.longest && (this.hasLength(n, EXACT) || (n > 0 && this.hasLength(n, SEGMENT)))) best = this.lookup(h, path, n, true, ctx, best);
    }
    const scan = this.scan;
    if (scan !== null) {
      for (let k = 0; k < scan.length; k++) {
        const c = scan[k]!;
        if (best !== null && c.index >= best.index) break;
        if (c.match === null || matchAll(c.match, ctx)) return c;
      }
    }
    return best;
  }

  /** Why a request found no route here. */
  noMatchReason(): string {
    return (this.noMatch ??= `${this.entries.length} route match(es) exist for ${this.service}.${this.namespace}:${this.port}; none matched (404 NR)`);
  }

  /**
   * The first candidate (before `best`) keyed by the first `len` characters of `path` (hashing to
   * `h`) whose other conditions hold, else `best`. Segment prefixes count at any `/`; exact keys
   * only where the path ends (`whole`).
   */
  private lookup(h: number, path: string, len: number, whole: boolean, ctx: MatchContext, best: Candidate | null): Candidate | null {
    for (let c = this.keys.get(slot(h)) ?? null; c !== null; c = c.nextInSlot) {
      if (c.table !== this || (c.exact ? !whole : len === 0)) continue;
      const key = c.key!;
      if (key.length !== len || !path.startsWith(key)) continue;
      // Candidates of one table follow each other in table order.
      if (best !== null && c.index >= best.index) return best;
      if (c.restHolds(ctx)) return c;
    }
    return best;
  }

  /** Whether some key of this kind has length `len`. */
  private hasLength(len: number, kind: typeof SEGMENT | typeof EXACT): boolean {
    if (len < SHORT) return (((kind === SEGMENT ? this.segmentLengths : this.exactLengths) >>> len) & 1) === 1;
    const long = this.longLengths;
    return long !== null && len < long.length && (long[len]! & kind) !== 0;
  }

  /** Appends the candidate to its hash's chain (so a table's candidates stay in table order). */
  private file(c: Candidate, key: string): void {
    const h = pathKeySlot(this.seed, key);
    let last = this.keys.get(h);
    if (last === undefined) {
      this.keys.set(h, c);
      return;
    }
    while (last.nextInSlot !== null) last = last.nextInSlot;
    last.nextInSlot = c;
  }
}
