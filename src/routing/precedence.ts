// Istio's precedence sort of Gateway API matches (conversion.go sortHTTPRoutes): path kind
// Exact > Prefix > Regex > none, longer path first, method, more headers, more query params;
// stable, so ties keep creation time / namespace / name / rule / match order.
import type { CompiledMatch } from './match';
import type { RouteEntry } from './model';

function pathRank(m: CompiledMatch): number {
  switch (m.path?.kind) {
    case 'exact':
      return 3;
    case 'prefix':
    case 'segment-prefix':
      return 2;
    case 'regex':
      return 1;
    default:
      return -1;
  }
}

function pathLength(m: CompiledMatch): number {
  const p = m.path;
  return p && 'value' in p ? p.value.length : 0;
}

export function compareEntries(a: RouteEntry, b: RouteEntry): number {
  // Routes without any match always go last.
  if (!a.match) return b.match ? 1 : 0;
  if (!b.match) return -1;
  const m1 = a.match;
  const m2 = b.match;
  return (
    pathRank(m2) - pathRank(m1) ||
    pathLength(m2) - pathLength(m1) ||
    (m2.method ? 1 : 0) - (m1.method ? 1 : 0) ||
    m2.headers.length - m1.headers.length ||
    m2.query.length - m1.query.length
  );
}

/** Array.prototype.sort is stable (ES2019), which the tie-breaks rely on. */
export function sortByPrecedence(entries: RouteEntry[]): RouteEntry[] {
  return entries.sort(compareEntries);
}
