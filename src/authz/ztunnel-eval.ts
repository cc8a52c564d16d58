// ztunnel's per-connection check (istio/ztunnel src/state.rs assert_rbac, authz.md §2.1): any enforced
// DENY match rejects; no enforced ALLOW policy allows; any ALLOW match allows; otherwise reject.
// Dry-run policies are only logged (recorded as shadow decisions).
import type { Decision } from '../result/types';
import { parseIdentityFlat, type PeerIdentity } from './identity';
import { parseIp } from './ip';
import { Memo } from './memo';
import { flat, urlPath } from './strings';
import type { AuthzDecision, ZtunnelConnection } from './types';
import { groupHolds, type ZtFacts, type ZtMatch, type ZtPolicy } from './ztunnel-policy';
import { planZtunnel, portSlot, type PlannedGroups, type ZtPlan } from './ztunnel-plan';
import { decisionOf, NO_SHADOW, ZtunnelMemo, type Verdict } from './decision-memo';
import { FAST_PATHS } from '../fast-paths';

export const NOT_ALLOWED = 'allow policies exist, but none allowed';
export const explicitlyDenied = (key: string) => `explicitly denied by: ${key}`;

/** Per-index parse caches shared by all policy sets of one compiled configuration. */
export interface ParseCaches {
  identities: Memo<PeerIdentity>;
  ips: Memo<number[] | null>;
  /** `:authority` lower-cased, for the waypoint. */
  hosts: Memo<string>;
  /** The URL path Envoy's RBAC matches (no query or fragment), for the waypoint. */
  paths: Memo<string>;
}

export function newParseCaches(): ParseCaches {
  return {
    identities: new Memo(parseIdentityFlat),
    ips: new Memo(parseIp),
    hosts: new Memo((h) => flat(h.toLowerCase())),
    paths: new Memo((p) => flat(urlPath(p))),
  };
}

/** The policies one destination workload's ztunnel evaluates, split the way assert_rbac uses them. */
export interface ZtunnelPolicySet {
  /** Every policy, in a stable order (for explain / `istioctl ztunnel-config policy`). */
  policies: ZtPolicy[];
  deny: ZtPolicy[];
  allow: ZtPolicy[];
  dryRun: ZtPolicy[];
  caches: ParseCaches;
  /** Which connection facts any policy reads, so the others are not parsed per connection. */
  uses: { src: boolean; dst: boolean };
  /** Verdicts already reached; null when dry-run policies make each connection's record its own. */
  memo: ZtunnelMemo<AuthzDecision> | null;
  /** `deny` and `allow` laid out for the walk, made on first use and shared by sets sharing the lists. */
  plan: PlanSlot;
}

/** Most sets of a large mesh never see traffic, so a plan is made when a connection first needs it. */
class PlanSlot {
  private made: ZtPlan | null = null;

  constructor(
    private readonly deny: ZtPolicy[],
    private readonly allow: ZtPolicy[],
  ) {}

  get plan(): ZtPlan {
    return (this.made ??= planZtunnel(this.deny, this.allow));
  }
}

const usesField = (policies: ZtPolicy[], pos: keyof ZtMatch, neg: keyof ZtMatch) => policies.some((p) => p.groups.some((g) => g.clauses.some((c) => c.some((m) => m[pos] || m[neg]))));

export function makeZtunnelPolicySet(policies: ZtPolicy[], caches: ParseCaches): ZtunnelPolicySet {
  const sorted = [...policies].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const uses = { src: usesField(sorted, 'sourceIps', 'notSourceIps'), dst: usesField(sorted, 'destinationIps', 'notDestinationIps') };
  const deny = sorted.filter((p) => !p.dryRun && p.action === 'DENY');
  const allow = sorted.filter((p) => !p.dryRun && p.action === 'ALLOW');
  return withLists({ policies: sorted, deny, allow, dryRun: sorted.filter((p) => p.dryRun), caches, uses, plan: new PlanSlot(deny, allow) });
}

/** One shape for every set, so the hot path sees a single hidden class. */
function withLists(l: Omit<ZtunnelPolicySet, 'memo'>): ZtunnelPolicySet {
  return {
    policies: l.policies,
    deny: l.deny,
    allow: l.allow,
    dryRun: l.dryRun,
    caches: l.caches,
    uses: l.uses,
    plan: l.plan,
    memo: l.dryRun.length > 0 || !FAST_PATHS ? null : new ZtunnelMemo(l.uses.src, l.uses.dst),
  };
}

/** `set`'s policy lists with a memo of its own: the verdicts a workload remembers are its own traffic's. */
export function sharingPolicies(set: ZtunnelPolicySet): ZtunnelPolicySet {
  return withLists(set);
}

const NO_ALLOW_POLICIES: Verdict = { allowed: true, kind: 'authz', result: 'ALLOW', policy: null, rule: null, reason: 'no allow policies' };
const NONE_ALLOWED: Verdict = { allowed: false, kind: 'authz', result: 'DENY', policy: null, rule: null, reason: NOT_ALLOWED };

function connectionFacts(set: ZtunnelPolicySet, conn: ZtunnelConnection): ZtFacts {
  const { caches } = set;
  return {
    id: conn.srcIdentity === null ? null : caches.identities.get(conn.srcIdentity),
    src: set.uses.src ? caches.ips.get(conn.srcIp) : null,
    dst: set.uses.dst ? caches.ips.get(conn.dstIp) : null,
    port: conn.dstPort,
  };
}

/** The verdict of the first group of `l` that holds, or null. */
function firstHolding(l: PlannedGroups, f: ZtFacts): Verdict | null {
  const { groups } = l;
  for (let i = 0; i < groups.length; i++) if (groupHolds(groups[i]!, f)) return l.verdicts[i]!;
  return null;
}

/** assert_rbac on the enforced policies. */
function verdict(set: ZtunnelPolicySet, f: ZtFacts): Verdict {
  const { plan } = set.plan;
  const slot = portSlot(plan, f.port);
  const denied = firstHolding(plan.deny[slot]!, f);
  if (denied !== null) return denied;
  if (plan.allow === null) return NO_ALLOW_POLICIES;
  return firstHolding(plan.allow[slot]!, f) ?? NONE_ALLOWED;
}

const answer = (v: Verdict, decision: Decision): AuthzDecision => ({ allowed: v.allowed, shadow: NO_SHADOW, decision });

export function evaluateZtunnel(set: ZtunnelPolicySet, conn: ZtunnelConnection, at: string): AuthzDecision {
  const { memo } = set;
  if (memo !== null) {
    const entry = memo.get(conn) ?? memo.remember(conn, verdict(set, connectionFacts(set, conn)));
    return entry.answerFor(at, conn.srcIdentity, answer);
  }
  const f = connectionFacts(set, conn);
  const shadow = set.dryRun.length ? dryRunDecisions(set.dryRun, f, at, conn.srcIdentity) : NO_SHADOW;
  const v = verdict(set, f);
  return { allowed: v.allowed, shadow, decision: decisionOf(v, at, conn.srcIdentity) };
}

function dryRunDecisions(policies: ZtPolicy[], f: ZtFacts, at: string, sourceIdentity: string | null): Decision[] {
  const out: Decision[] = [];
  for (const p of policies) {
    const rule = p.match(f);
    if (rule >= 0) out.push({ at, kind: 'authz', result: p.action, policy: p.key, rule, reason: `dry-run: would ${p.action === 'DENY' ? 'deny' : 'allow'}`, sourceIdentity, detail: { dryRun: true } });
  }
  return out;
}
