// Which hop took which decision, and where a request was stopped. A Decision names its proxy in
// `at` (`ztunnel-node-1`, `waypoint ns/name`); a hop is known by its name, pod and kind.
import type { Decision, Hop, RequestRecord } from '../../src/result/types';
import { isAppHop } from '../../src/result/via';

const POLICY_KINDS = new Set<Decision['kind']>(['authz', 'authn', 'peer-authn']);

function hopNames(h: Hop): string[] {
  const qualified = h.namespace ? `${h.namespace}/${h.name}` : h.name;
  return [h.name, `${h.kind} ${qualified}`, qualified, ...(h.pod ? [h.pod] : [])];
}

/**
 * Decisions per hop index (-1: no hop matched). A proxy listed twice (a ztunnel serving both
 * sides on one node) took policy decisions on its inbound, later, side and the others first.
 */
export function decisionsByHop(hops: Hop[], decisions: Decision[]): Map<number, Decision[]> {
  const out = new Map<number, Decision[]>();
  for (const d of decisions) {
    const at: number[] = [];
    hops.forEach((h, i) => {
      if (h.kind !== 'pod' && hopNames(h).includes(d.at)) at.push(i);
    });
    const i = at.length === 0 ? -1 : POLICY_KINDS.has(d.kind) ? at[at.length - 1]! : at[0]!;
    const list = out.get(i);
    if (list) list.push(d);
    else out.set(i, [d]);
  }
  return out;
}

export interface Stop {
  /** Index of the hop that stopped the request. */
  hop: number;
  decision?: Decision;
  /** `403`, `reset`, `timeout`... */
  what: string;
}

/** Where a request that got no answer from its destination app ended, and why. */
export function stopOf(r: Pick<RequestRecord, 'hops' | 'decisions' | 'outcome' | 'status'>): Stop | undefined {
  const deny = r.decisions.find((d) => POLICY_KINDS.has(d.kind) && d.result === 'DENY');
  const last = r.hops.length - 1;
  const reachedApp = last > 0 && isAppHop(r.hops[last]);
  if (!deny && reachedApp && r.outcome === 'response') return undefined;
  const what = r.outcome === 'response' ? String(r.status ?? 'response') : r.outcome;
  if (deny) {
    const byHop = decisionsByHop(r.hops, [deny]);
    const hop = [...byHop.keys()][0]!;
    return { hop: hop >= 0 ? hop : last, decision: deny, what };
  }
  return { hop: Math.max(last, 0), what };
}

/** `accounts/deny-post rule 0: reason` for tooltips. */
export function describeDecision(d: Decision): string {
  const rule = d.rule === null || d.rule === undefined ? '' : ` rule ${d.rule}`;
  const reason = d.reason ? `: ${d.reason}` : '';
  const who = d.sourceIdentity ? ` (saw ${d.sourceIdentity})` : '';
  return `${d.kind} ${d.result} at ${d.at} by ${d.policy ?? '(no policy)'}${rule}${reason}${who}`;
}
