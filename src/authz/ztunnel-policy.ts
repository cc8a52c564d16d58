// The ztunnel xDS `Authorization` (istio/ztunnel src/rbac.rs) and its matching: groups are OR-ed, a
// group's clauses AND-ed, a clause's matches OR-ed, a match's fields AND-ed. A match with no field set
// is skipped (never matches); a clause with no matches matches; a policy with no groups never matches.
import { cidrContains, type Cidr } from './ip';
import type { PeerIdentity } from './identity';
import { stringTest, type StringMatchSpec, type StringTest } from './strings';

export interface ZtServiceAccount {
  namespace: string;
  serviceAccount: string;
}

export interface ZtMatch {
  namespaces?: StringMatchSpec[];
  notNamespaces?: StringMatchSpec[];
  serviceAccounts?: ZtServiceAccount[];
  notServiceAccounts?: ZtServiceAccount[];
  principals?: StringMatchSpec[];
  notPrincipals?: StringMatchSpec[];
  sourceIps?: Cidr[];
  notSourceIps?: Cidr[];
  destinationIps?: Cidr[];
  notDestinationIps?: Cidr[];
  destinationPorts?: number[];
  notDestinationPorts?: number[];
}

export interface ZtGroup {
  /** Index of the source rule in the object the policy came from. */
  rule: number;
  clauses: ZtMatch[][];
}

export type ZtScope = 'GLOBAL' | 'NAMESPACE' | 'WORKLOAD_SELECTOR';
export type ZtOrigin = 'authz' | 'peer-authn' | 'waypoint-allow';

export interface ZtPolicy {
  name: string;
  namespace: string;
  /** `namespace/name` as ztunnel reports it. */
  key: string;
  scope: ZtScope;
  action: 'ALLOW' | 'DENY';
  groups: ZtGroup[];
  dryRun: boolean;
  origin: ZtOrigin;
  /** Returns the matching group's source rule index, or -1. */
  match: (f: ZtFacts) => number;
  /** ztunnel's log reason when this policy decides (precomputed: decisions are on the hot path). */
  reason: string;
}

/** What ztunnel knows about a connection, parsed once per evaluation. */
export interface ZtFacts {
  id: PeerIdentity | null;
  src: number[] | null;
  dst: number[] | null;
  port: number;
}

type Check = (f: ZtFacts) => boolean;

const tests = (specs: StringMatchSpec[] | undefined): StringTest[] | undefined => specs?.map((s) => stringTest(s));

function field<T>(pos: T[] | undefined, neg: T[] | undefined, test: (v: T, f: ZtFacts) => boolean): Check | null {
  const p = pos?.length ? pos : null;
  const n = neg?.length ? neg : null;
  if (!p && !n) return null;
  return (f) => {
    if (p) {
      let hit = false;
      for (let i = 0; i < p.length && !hit; i++) hit = test(p[i]!, f);
      if (!hit) return false;
    }
    if (n) for (let i = 0; i < n.length; i++) if (test(n[i]!, f)) return false;
    return true;
  };
}

/** A match's predicate, or null for an empty match (skipped by ztunnel). */
export function compileZtMatch(m: ZtMatch): Check | null {
  const saTest = (sa: ZtServiceAccount, f: ZtFacts) =>
    f.id !== null && f.id.namespace === sa.namespace && f.id.serviceAccount === sa.serviceAccount;
  const checks = [
    field(m.destinationIps, m.notDestinationIps, (c, f) => cidrContains(c, f.dst)),
    field(m.sourceIps, m.notSourceIps, (c, f) => cidrContains(c, f.src)),
    field(m.destinationPorts, m.notDestinationPorts, (p, f) => p === f.port),
    field(m.serviceAccounts, m.notServiceAccounts, saTest),
    // No identity, or one without spiffe://, never matches a principal.
    field(tests(m.principals), tests(m.notPrincipals), (t, f) => f.id !== null && f.id.principal !== '' && t(f.id.principal)),
    field(tests(m.namespaces), tests(m.notNamespaces), (t, f) => t(f.id?.namespace ?? '')),
  ].filter((c): c is Check => c !== null);
  if (checks.length === 0) return null;
  if (checks.length === 1) return checks[0]!;
  return (f) => {
    for (const c of checks) if (!c(f)) return false;
    return true;
  };
}

function compileClause(clause: ZtMatch[]): Check {
  if (clause.length === 0) return () => true;
  const live = clause.map(compileZtMatch).filter((c): c is Check => c !== null);
  if (live.length === 0) return () => false;
  return (f) => {
    for (const m of live) if (m(f)) return true;
    return false;
  };
}

export function compileGroups(groups: ZtGroup[]): (f: ZtFacts) => number {
  const compiled = groups.map((g) => ({ rule: g.rule, clauses: g.clauses.map(compileClause) }));
  return (f) => {
    for (const g of compiled) {
      let ok = true;
      for (const c of g.clauses) {
        if (!c(f)) {
          ok = false;
          break;
        }
      }
      if (ok) return g.rule;
    }
    return -1;
  };
}

type ZtPolicyInit = Omit<ZtPolicy, 'key' | 'match' | 'reason'>;

/**
 * Policies are converted for every configuration but most are never evaluated, so the matcher closures
 * are built on first use; `key` and `reason` are joined flat (a template literal would keep a cons chain).
 */
class CompiledZtPolicy implements ZtPolicy {
  name: string;
  namespace: string;
  key: string;
  scope: ZtScope;
  action: 'ALLOW' | 'DENY';
  groups: ZtGroup[];
  dryRun: boolean;
  origin: ZtOrigin;
  reason: string;
  private compiled: ((f: ZtFacts) => number) | undefined;

  constructor(p: ZtPolicyInit) {
    this.name = p.name;
    this.namespace = p.namespace;
    this.key = [p.namespace, p.name].join('/');
    this.scope = p.scope;
    this.action = p.action;
    this.groups = p.groups;
    this.dryRun = p.dryRun;
    this.origin = p.origin;
    this.reason = [p.action === 'DENY' ? 'explicitly denied by: ' : 'allowed by: ', this.key].join('');
    this.compiled = undefined;
  }

  match(f: ZtFacts): number {
    return (this.compiled ??= compileGroups(this.groups))(f);
  }
}

export function makeZtPolicy(p: ZtPolicyInit): ZtPolicy {
  return new CompiledZtPolicy(p);
}

/** A match with no field set; ztunnel skips it. */
export function isEmptyMatch(m: ZtMatch): boolean {
  return !Object.values(m).some((v) => Array.isArray(v) && v.length > 0);
}

/** istiod's `hasEffectiveRules`: some group whose every clause has a non-empty match. */
export function hasEffectiveRules(groups: ZtGroup[]): boolean {
  return groups.some((g) => g.clauses.every((c) => c.some((m) => !isEmptyMatch(m))));
}
