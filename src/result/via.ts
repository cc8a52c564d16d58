// `via`: the proxy hop kinds between the first and the last pod (or server outside the cluster) of a
// request's path (CONTRACT §3).
import type { Hop, HopKind, RequestRecord } from './types';

/** Whether an app answers at the hop: a pod, or a server outside the cluster. */
export function isAppHop(h: Hop | undefined): boolean {
  return h !== undefined && (h.kind === 'pod' || h.kind === 'external');
}

/** Where `via` ends: before the last hop when an app is there. */
export function viaEnd(hops: readonly Hop[]): number {
  return hops.length > 1 && isAppHop(hops[hops.length - 1]) ? hops.length - 1 : hops.length;
}

export function viaOf(r: Pick<RequestRecord, 'hops'>): HopKind[] {
  return r.hops.slice(1, viaEnd(r.hops)).map((h) => h.kind);
}
