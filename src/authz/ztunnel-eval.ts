// ztunnel's per-connection check (istio/ztunnel src/state.rs assert_rbac, authz.md §2.1): any enforced
// DENY match rejects; no enforced ALLOW policy allows; any ALLOW match allows; otherwise reject.
// Dry-run policies are only logged (recorded as shadow decisions).
import type { Decision } from '../result/types';
import { parseIdentity, type PeerIdentity } from './identity';
import { parseIp } from './ip';
import { Memo } from './memo';
import type { AuthzDecision, ZtunnelConnection } from './types';
import type { ZtFacts, ZtPolicy } from './ztunnel-policy';

export const NOT_ALLOWED = 'allow policies exist, but none allowed';
export const explicitlyDenied = (key: string) => `explicitly denied by: ${key}`;

/** Per-index parse caches shared by all policy sets of one compiled configuration. */
export interface ParseCaches {
  identities: Memo<PeerIdentity>;
  ips: Memo<number[] | null>;
}

export function newParseCaches(): ParseCaches {
  return { identities: new Memo(parseIdentity), ips: new Memo(parseIp) };
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
}

export function makeZtunnelPolicySet(policies: ZtPolicy[], caches: ParseCaches): ZtunnelPolicySet {
  const sorted = [...policies].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    policies: sorted,
    deny: sorted.filter((p) => !p.dryRun && p.action === 'DENY'),
    allow: sorted.filter((p) => !p.dryRun && p.action === 'ALLOW'),
    dryRun: sorted.filter((p) => p.dryRun),
    caches,
    uses: {
      src: sorted.some((p) => p.groups.some((g) => g.clauses.some((c) => c.some((m) => m.sourceIps || m.notSourceIps)))),
      dst: sorted.some((p) => p.groups.some((g) => g.clauses.some((c) => c.some((m) => m.destinationIps || m.notDestinationIps)))),
    },
  };
}

const NO_SHADOW: Decision[] = [];

export function evaluateZtunnel(set: ZtunnelPolicySet, conn: ZtunnelConnection, at: string): AuthzDecision {
  const { caches } = set;
  const f: ZtFacts = {
    id: conn.srcIdentity === null ? null : caches.identities.get(conn.srcIdentity),
    src: set.uses.src ? caches.ips.get(conn.srcIp) : null,
    dst: set.uses.dst ? caches.ips.get(conn.dstIp) : null,
    port: conn.dstPort,
  };
  const sourceIdentity = conn.srcIdentity;
  const shadow = set.dryRun.length ? dryRunDecisions(set.dryRun, f, at, sourceIdentity) : NO_SHADOW;
  for (const p of set.deny) {
    const rule = p.match(f);
    if (rule >= 0) {
      const kind = p.origin === 'peer-authn' ? 'peer-authn' : 'authz';
      return { allowed: false, shadow, decision: { at, kind, result: 'DENY', policy: p.key, rule, reason: p.reason, sourceIdentity } };
    }
  }
  if (set.allow.length === 0) {
    return { allowed: true, shadow, decision: { at, kind: 'authz', result: 'ALLOW', policy: null, rule: null, reason: 'no allow policies', sourceIdentity } };
  }
  for (const p of set.allow) {
    const rule = p.match(f);
    if (rule >= 0) {
      return { allowed: true, shadow, decision: { at, kind: 'authz', result: 'ALLOW', policy: p.key, rule, reason: p.reason, sourceIdentity } };
    }
  }
  return { allowed: false, shadow, decision: { at, kind: 'authz', result: 'DENY', policy: null, rule: null, reason: NOT_ALLOWED, sourceIdentity } };
}

function dryRunDecisions(policies: ZtPolicy[], f: ZtFacts, at: string, sourceIdentity: string | null): Decision[] {
  const out: Decision[] = [];
  for (const p of policies) {
    const rule = p.match(f);
    if (rule >= 0) out.push({ at, kind: 'authz', result: p.action, policy: p.key, rule, reason: `dry-run: would ${p.action === 'DENY' ? 'deny' : 'allow'}`, sourceIdentity, detail: { dryRun: true } });
  }
  return out;
}
