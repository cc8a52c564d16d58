// Header operations (set / add / remove) as Envoy applies them for route filters.
import type { HTTPHeaderFilter, VSHeaders } from '../k8s/types';
import type { HeaderOps } from './types';

/** Gateway API header filter: names lower-cased, later duplicates ignored. Null when empty. */
export function fromHeaderFilter(f: HTTPHeaderFilter | undefined): HeaderOps | null {
  if (!f) return null;
  const ops: HeaderOps = {};
  const set = dedupe(f.set?.map((h) => [h.name, h.value] as [string, string]));
  const add = dedupe(f.add?.map((h) => [h.name, h.value] as [string, string]));
  if (set) ops.set = set;
  if (add) ops.add = add;
  if (f.remove?.length) ops.remove = f.remove.map((n) => n.toLowerCase());
  return ops.set || ops.add || ops.remove ? ops : null;
}

/** VirtualService headers.request / headers.response. */
export function fromVsHeaderOps(h: VSHeaders['request']): HeaderOps | null {
  if (!h) return null;
  return fromHeaderFilter({
    set: Object.entries(h.set ?? {}).map(([name, value]) => ({ name, value })),
    add: Object.entries(h.add ?? {}).map(([name, value]) => ({ name, value })),
    remove: h.remove,
  });
}

function dedupe(pairs: [string, string][] | undefined): [string, string][] | undefined {
  if (!pairs?.length) return undefined;
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const [n, v] of pairs) {
    const name = n.toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    out.push([name, v]);
  }
  return out;
}

/**
 * Applies ops to a header map in place: remove, then set (overwrite or add), then add (append,
 * comma-joined as the backend observes repeated headers). Returns an authority override when
 * `host` / `:authority` is set or added, which Envoy treats as an authority rewrite.
 */
export function applyHeaderOps(headers: Record<string, string>, ops: HeaderOps): string | undefined {
  let authority: string | undefined;
  if (ops.remove) for (const n of ops.remove) delete headers[n];
  if (ops.set)
    for (const [n, v] of ops.set) {
      if (n === 'host' || n === ':authority') authority = v;
      else headers[n] = v;
    }
  if (ops.add)
    for (const [n, v] of ops.add) {
      if (n === 'host' || n === ':authority') authority = v;
      else headers[n] = headers[n] === undefined ? v : `${headers[n]},${v}`;
    }
  return authority;
}

/** Response side: the caller applies these to the upstream response headers. */
export function applyResponseHeaderOps(headers: Record<string, string>, ops: HeaderOps | null): Record<string, string> {
  if (!ops) return headers;
  const out = { ...headers };
  applyHeaderOps(out, ops);
  return out;
}
