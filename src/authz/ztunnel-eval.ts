// ztunnel's per-connection check (istio/ztunnel src/state.rs assert_rbac, authz.md §2.1): any enforced
// DENY match rejects; no enforced ALLOW policy allows; any ALLOW match allows; otherwise reject.
// Dry-run policies are only logged (recorded as shadow decisions).
import type { Decision } from '../result/types';
import { parseIdentityFlat, type PeerIdentity } from './identity';
import { parseIp } from './ip';
import { Memo } from './memo';
import { flat, urlPath } from './strings';
import type { AuthzDecision, ZtunnelConnection } from './types';
import type { ZtFacts, ZtMatch, ZtPolicy } from './ztunnel-policy';
import { decisionOf, ZtunnelMemo, type Verdict } from './decision-memo';
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
}

const usesField = (policies: ZtPolicy[], pos: keyof ZtMatch, neg: keyof ZtMatch) => policies.some((p) => p.groups.some((g) => g.clauses.some((c) => c.some((m) => m[pos] || m[neg]))));

export function makeZtunnelPolicySet(policies: ZtPolicy[], caches: ParseCaches): ZtunnelPolicySet {
  const sorted = [...policies].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const uses = { src: usesField(sorted, 'sourceIps', 'notSourceIps'), dst: usesField(sorted, 'destinationIps', 'notDestinationIps') };
  const deny = sorted.filter((p) => !p.dryRun && p.action === 'DENY');
  const allow = sorted.filter((p) => !p.dryRun && p.action === 'ALLOW');
  return withLists({ policies: sorted, deny, allow, dryRun: sorted.filter((p) => p.dryRun), caches, uses });
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
    memo: l.dryRun.length > 0 || !FAST_PATHS ? null : new ZtunnelMemo(l.uses.src, l.uses.dst),
  };
}

/** `set`'s policy lists with a memo of its own: the verdicts a workload remembers are its own traffic's. */
export function sharingPolicies(set: ZtunnelPolicySet): ZtunnelPolicySet {
  return withLists(set);
}

const NO_SHADOW: Decision[] = [];
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

/** assert_rbac on the enforced policies. */
function verdict(set: ZtunnelPolicySet, f: ZtFacts): Verdict {
  for (const p of set.deny) {
    const rule = p.match(f);
    if (rule >= 0) return { allowed: false, kind: p.origin === 'peer-authn' ? 'peer-authn' : 'authz', result: 'DENY', policy: p.key, rule, reason: p.reason };
  }
  if (set.allow.length === 0) return NO_ALLOW_POLICIES;
  for (const p of set.allow) {
    const rule = p.match(f);
    if (rule >= 0) return { allowed: true, kind: 'authz', result: 'ALLOW', policy: p.key, rule, reason: p.reason };
  }
  return NONE_ALLOWED;
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
