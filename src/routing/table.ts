// One service port's ordered route list with an index that finds the first matching entry
// without scanning every route: exact paths and path-separated prefixes are looked up by key;
// only entries that cannot be keyed (regex, plain prefix, header-only) are scanned.
import { matchAll, matchRest, type MatchContext } from './match';
import type { RouteEntry } from './model';

const NONE: readonly number[] = Object.freeze([]);

export class RouteTable {
  // Created on first use: a table per service port is kept, and most use only one of these.
  private exact: Map<string, number[]> | null = null;
  private segment: Map<string, number[]> | null = null;
  /** Lengths of the indexed segment prefixes: a path boundary is looked up only at these lengths. */
  private segmentLengths: Set<number> | null = null;
  private readonly scan: number[] = [];

  constructor(readonly entries: RouteEntry[]) {
    entries.forEach((e, i) => {
      const p = e.match?.path;
      if (p?.kind === 'exact' && !p.ignoreCase) push((this.exact ??= new Map()), p.value, i);
      else if (p?.kind === 'segment-prefix') {
        push((this.segment ??= new Map()), p.value, i);
        (this.segmentLengths ??= new Set()).add(p.value.length);
      } else this.scan.push(i);
    });
  }

  /** Index of the first entry (in precedence order) matching the request, or -1. */
  firstMatch(ctx: MatchContext): number {
    const path = ctx.path;
    let best = this.exact === null ? Infinity : this.firstIn(this.exact.get(path) ?? NONE, ctx, Infinity, false);
    const lengths = this.segmentLengths;
    if (lengths !== null && this.segment !== null) {
      for (let i = 1; i <= path.length; i++) {
        if ((i === path.length || path.charCodeAt(i) === 47) && lengths.has(i)) {
          const list = this.segment.get(i === path.length ? path : path.slice(0, i));
          if (list) best = this.firstIn(list, ctx, best, false);
        }
      }
    }
    best = this.firstIn(this.scan, ctx, best, true);
    return best === Infinity ? -1 : best;
  }

  private firstIn(list: readonly number[], ctx: MatchContext, best: number, withPath: boolean): number {
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      if (i >= best) return best;
      const m = this.entries[i]!.match;
      if (m === null || (withPath ? matchAll(m, ctx) : matchRest(m, ctx))) return i;
    }
    return best;
  }
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}
