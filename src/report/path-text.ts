// One request's path as a line of text:
// finance/curl-5b8d7-k2j4h → ztunnel(c1-node-a) → waypoint accounts/waypoint → ztunnel(c1-node-b) → accounts/accounts-6f7c9-x2x7q
import type { Hop, RequestRecord } from '../result/types';

export function hopText(h: Hop): string {
  switch (h.kind) {
    case 'pod':
      return h.namespace ? `${h.namespace}/${h.name}` : h.name;
    case 'ztunnel':
      return `ztunnel(${h.node})`;
    case 'waypoint':
      return `waypoint ${h.namespace}/${h.name}`;
    case 'sidecar':
      return `sidecar(${h.namespace}/${h.name})`;
    default:
      return `${h.kind} ${h.namespace ? `${h.namespace}/` : ''}${h.name}`;
  }
}

/** What the client saw, in a few words. */
export function outcomeText(r: RequestRecord): string {
  if (r.outcome === 'response') {
    const body = (r.body ?? '').trim();
    const short = body.length > 60 || body.includes('\n') ? `${body.split('\n')[0]!.slice(0, 57)}…` : body;
    return `${r.status}${short ? ` ${JSON.stringify(short)}` : ''}`;
  }
  return `${r.outcome}${r.error ? ` (${r.error})` : ''}`;
}

export function pathText(r: RequestRecord): string {
  const parts = r.hops.map(hopText);
  const answered = r.outcome === 'response' && r.hops[r.hops.length - 1]?.kind === 'pod' && r.hops.length > 1;
  return answered ? parts.join(' → ') : `${parts.join(' → ')} ✗`;
}
