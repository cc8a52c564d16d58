// Which hop of a request a decision belongs to, and which side a ztunnel hop served.
import { isAppHop } from '../result/via';
import type { Decision, Hop } from '../result/types';

/** The spellings a Decision's `at` uses for this hop (`ztunnel-node-1`, `waypoint ns/name`, ...). */
export function hopLabels(h: Hop): string[] {
  const qualified = h.namespace ? `${h.namespace}/${h.name}` : h.name;
  return [h.name, `${h.kind} ${qualified}`, qualified, ...(h.pod ? [h.pod] : [])];
}

const INBOUND_KINDS = new Set<Decision['kind']>(['authz', 'authn', 'peer-authn']);

/**
 * Decisions grouped by the index of the hop that took them; key -1 holds those that match no hop.
 * A ztunnel listed twice under one name (same-node traffic) took its policy decisions on the
 * inbound side, the others (load balancing, retries) on the outbound side.
 */
export function decisionsByHop(hops: Hop[], decisions: Decision[]): Map<number, Decision[]> {
  const out = new Map<number, Decision[]>();
  for (const d of decisions) {
    const candidates = hops.flatMap((h, i) => (h.kind !== 'pod' && hopLabels(h).includes(d.at) ? [i] : []));
    const idx = candidates.length === 0 ? -1 : INBOUND_KINDS.has(d.kind) ? candidates[candidates.length - 1]! : candidates[0]!;
    const list = out.get(idx);
    if (list) list.push(d);
    else out.set(idx, [d]);
  }
  return out;
}

/**
 * Whether the ztunnel at `i` served the destination side. A ztunnel reached from a proxy is the
 * destination's; one right after the client pod is the client's unless it sits on another node
 * (only the destination is captured) or, on the client's node, it took a policy decision.
 */
export function isInboundZtunnel(hops: Hop[], i: number, here: Decision[] = []): boolean {
  const h = hops[i];
  if (!h || h.kind !== 'ztunnel' || i === 0) return false;
  if (hops[i - 1]!.kind !== 'pod') return true;
  if (h.node !== undefined && h.node !== hops[0]!.node) return true;
  const next = hops[i + 1];
  return next?.kind === 'pod' && next.node === h.node && here.some((d) => INBOUND_KINDS.has(d.kind));
}

/** The hop whose app answered: the last hop, when it is a pod other than the client or a server outside the cluster. */
export function answeringPodIndex(hops: Hop[]): number {
  const last = hops.length - 1;
  return last > 0 && isAppHop(hops[last]) ? last : -1;
}
