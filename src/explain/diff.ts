// `meshsim diff`: the same flows through two states of a mesh, and the flows whose outcome, path or
// deciding rule changed. Which endpoint (or cluster) answered is chance, not configuration, so it
// is not compared; east-west gateways are left out of the path for the same reason.
import type { Decision, RequestRecord } from '../result/types';
import type { World } from '../run/world';
import { flowKey, sendFlow, type Flow } from './flows';

export interface FlowOutcome {
  /** The status (`200`, `403`) or the outcome (`reset`, `timeout`...). */
  outcome: string;
  /** Proxy kinds in order, e.g. `ztunnel,waypoint,ztunnel`. */
  path: string;
  /** The decision that settled it, e.g. `ztunnel DENY (allow policies exist, but none allowed)`. */
  deciding: string;
  /** Set when the flow could not be sent in this variant (its client does not exist...). */
  unsent?: string;
}

export type ChangeKind = 'outcome' | 'path' | 'rule';

export interface FlowChange {
  flow: Flow;
  before: FlowOutcome;
  after: FlowOutcome;
  changed: ChangeKind[];
}

export interface DiffInput {
  before: World;
  after: World;
  flows: readonly Flow[];
  seed: number;
}

export interface DiffResult {
  /** Distinct flows compared. */
  compared: number;
  changes: FlowChange[];
}

const proxyKind = (at: string) => (at.startsWith('waypoint ') ? 'waypoint' : at.startsWith('ztunnel-') ? 'ztunnel' : at);
const AUTH_KINDS = new Set(['authz', 'authn', 'peer-authn']);

function decisionText(d: Decision): string {
  const rule = d.rule !== null && d.rule !== undefined ? ` rule ${d.rule}` : '';
  return `${proxyKind(d.at)} ${d.result} ${d.policy ? `${d.policy}${rule}` : `(${d.reason ?? 'default'})`}`;
}

/** The first enforced denial; else the last allow that named a policy; else the route verdict for a 404. */
export function decidingRule(r: RequestRecord): string {
  const enforced = r.decisions.filter((d) => AUTH_KINDS.has(d.kind) && !d.detail?.['dryRun'] && d.result !== 'AUDIT');
  const deny = enforced.find((d) => d.result === 'DENY');
  if (deny) return decisionText(deny);
  const noRoute = r.decisions.find((d) => d.kind === 'route' && d.result === 'no-route');
  if (noRoute) return `${proxyKind(noRoute.at)} no route`;
  const allows = enforced.filter((d) => d.policy);
  return allows.length ? allows.map(decisionText).join(', ') : '-';
}

export function outcomeOf(r: RequestRecord | string): FlowOutcome {
  if (typeof r === 'string') return { outcome: 'not sent', path: '-', deciding: '-', unsent: r };
  const path = r.hops.filter((h) => h.kind !== 'pod' && h.kind !== 'eastwest-gateway').map((h) => h.kind).join(',');
  return { outcome: r.outcome === 'response' ? String(r.status) : r.outcome, path: path || 'direct', deciding: decidingRule(r) };
}

function changesBetween(a: FlowOutcome, b: FlowOutcome): ChangeKind[] {
  const out: ChangeKind[] = [];
  if (a.outcome !== b.outcome) out.push('outcome');
  if (a.path !== b.path) out.push('path');
  if (a.deciding !== b.deciding) out.push('rule');
  return out;
}

export function diffVariants(input: DiffInput): DiffResult {
  const seen = new Set<string>();
  const changes: FlowChange[] = [];
  for (const flow of input.flows) {
    const key = flowKey(flow);
    if (seen.has(key)) continue;
    seen.add(key);
    const before = outcomeOf(sendFlow(input.before, flow, input.seed));
    const after = outcomeOf(sendFlow(input.after, flow, input.seed));
    const changed = changesBetween(before, after);
    if (changed.length) changes.push({ flow, before, after, changed });
  }
  return { compared: seen.size, changes };
}
