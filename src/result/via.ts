// `via`: the proxy hop kinds between the first and the last pod of a request's path (CONTRACT §3).
import type { HopKind, RequestRecord } from './types';

export function viaOf(r: Pick<RequestRecord, 'hops'>): HopKind[] {
  const hops = r.hops;
  const end = hops.length > 1 && hops[hops.length - 1]!.kind === 'pod' ? hops.length - 1 : hops.length;
  return hops.slice(1, end).map((h) => h.kind);
}
