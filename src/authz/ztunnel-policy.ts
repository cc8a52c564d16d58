// The ztunnel xDS `Authorization` (istio/ztunnel src/rbac.rs) and its matching: groups are OR-ed, a
// group's clauses AND-ed, a clause's matches OR-ed, a match's fields AND-ed. A match with no field set
// is skipped (never matches); a clause with no matches matches; a policy with no groups never matches.
import { cidrContains, type Cidr } from './ip';
import type { PeerIdentity } from './identity';
import { intern, specMatches, type StringMatchSpec } from './strings';

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
  /** The groups as the hot path walks them (made on first use). */
  flatGroups: () => FlatGroup[];
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

/**
 * A match flattened for the hot path: every field is its list, or null when unset or empty (ztunnel
 * ignores an empty list). One monomorphic function reads it, instead of a chain of closures; one
 * class makes every instance (copies included) share a shape.
 */
export class FlatMatch {
  constructor(
    readonly dstIps: Cidr[] | null,
    readonly notDstIps: Cidr[] | null,
    readonly srcIps: Cidr[] | null,
    readonly notSrcIps: Cidr[] | null,
    readonly ports: number[] | null,
    readonly notPorts: number[] | null,
    readonly sas: ZtServiceAccount[] | null,
    readonly notSas: ZtServiceAccount[] | null,
    readonly principals: StringMatchSpec[] | null,
    readonly notPrincipals: StringMatchSpec[] | null,
    readonly namespaces: StringMatchSpec[] | null,
    readonly notNamespaces: StringMatchSpec[] | null,
  ) {}

  /** Whether no field is set. */
  get empty(): boolean {
    return [this.dstIps, this.notDstIps, this.srcIps, this.notSrcIps, this.ports, this.notPorts, this.sas, this.notSas, this.principals, this.notPrincipals, this.namespaces, this.notNamespaces].every((x) => x === null);
  }

  /** This match without its port list: for a connection already known to be on one of those ports. */
  withoutPorts(): FlatMatch {
    return new FlatMatch(this.dstIps, this.notDstIps, this.srcIps, this.notSrcIps, null, this.notPorts, this.sas, this.notSas, this.principals, this.notPrincipals, this.namespaces, this.notNamespaces);
  }
}

const listOrNull = <T>(xs: T[] | undefined): T[] | null => (xs !== undefined && xs.length > 0 ? xs : null);

/** Exact values interned, so comparing one with an interned identity part is a pointer compare. */
const specsOrNull = (xs: StringMatchSpec[] | undefined): StringMatchSpec[] | null => listOrNull(xs?.map((x) => (x.type === 'exact' ? { type: 'exact', value: intern(x.value) } : x)));

/** The flattened match, or null for an empty match (skipped by ztunnel). */
function flatten(m: ZtMatch): FlatMatch | null {
  const fm = new FlatMatch(
    listOrNull(m.destinationIps),
    listOrNull(m.notDestinationIps),
    listOrNull(m.sourceIps),
    listOrNull(m.notSourceIps),
    listOrNull(m.destinationPorts),
    listOrNull(m.notDestinationPorts),
    listOrNull(m.serviceAccounts),
    listOrNull(m.notServiceAccounts),
    specsOrNull(m.principals),
    specsOrNull(m.notPrincipals),
    specsOrNull(m.namespaces),
    specsOrNull(m.notNamespaces),
  );
  return fm.empty ? null : fm;
}

function anyCidr(cs: Cidr[], ip: number[] | null): boolean {
  for (let i = 0; i < cs.length; i++) if (cidrContains(cs[i]!, ip)) return true;
  return false;
}

function anyPort(ps: number[], port: number): boolean {
  for (let i = 0; i < ps.length; i++) if (ps[i] === port) return true;
  return false;
}

function anySa(sas: ZtServiceAccount[], id: PeerIdentity): boolean {
  for (let i = 0; i < sas.length; i++) if (id.namespace === sas[i]!.namespace && id.serviceAccount === sas[i]!.serviceAccount) return true;
  return false;
}

function anySpec(specs: StringMatchSpec[], s: string): boolean {
  for (let i = 0; i < specs.length; i++) if (specMatches(specs[i]!, s)) return true;
  return false;
}

/** Every set field holds: ANY of its values, NONE of its not-values. */
function matchFlat(m: FlatMatch, f: ZtFacts): boolean {
  if (m.dstIps !== null && !anyCidr(m.dstIps, f.dst)) return false;
  if (m.notDstIps !== null && anyCidr(m.notDstIps, f.dst)) return false;
  if (m.srcIps !== null && !anyCidr(m.srcIps, f.src)) return false;
  if (m.notSrcIps !== null && anyCidr(m.notSrcIps, f.src)) return false;
  if (m.ports !== null && !anyPort(m.ports, f.port)) return false;
  if (m.notPorts !== null && anyPort(m.notPorts, f.port)) return false;
  const id = f.id;
  if (m.sas !== null && (id === null || !anySa(m.sas, id))) return false;
  if (m.notSas !== null && id !== null && anySa(m.notSas, id)) return false;
  // No identity, or one without spiffe://, never matches a principal.
  const principal = id === null ? '' : id.principal;
  if (m.principals !== null && (principal === '' || !anySpec(m.principals, principal))) return false;
  if (m.notPrincipals !== null && principal !== '' && anySpec(m.notPrincipals, principal)) return false;
  const ns = id === null ? '' : id.namespace;
  if (m.namespaces !== null && !anySpec(m.namespaces, ns)) return false;
  if (m.notNamespaces !== null && anySpec(m.notNamespaces, ns)) return false;
  return true;
}

/**
 * A group as the hot path walks it: the clauses with one live match are AND-ed straight from `singles`
 * (the common shape: one `from` and one `to` entry), the others OR their `live` matches; a clause with
 * no match at all holds, one whose matches are all empty never does (then `never`).
 */
export class FlatGroup {
  constructor(
    readonly rule: number,
    readonly never: boolean,
    readonly singles: FlatMatch[],
    readonly multi: FlatMatch[][],
  ) {}
}

function flattenGroup(g: ZtGroup): FlatGroup {
  let never = false;
  const singles: FlatMatch[] = [];
  const multi: FlatMatch[][] = [];
  for (const clause of g.clauses) {
    if (clause.length === 0) continue;
    const live = clause.map(flatten).filter((m): m is FlatMatch => m !== null);
    if (live.length === 0) never = true;
    else if (live.length === 1) singles.push(live[0]!);
    else multi.push(live);
  }
  return new FlatGroup(g.rule, never, singles, multi);
}

function flattenGroups(groups: ZtGroup[]): FlatGroup[] {
  return groups.map(flattenGroup);
}

export function groupHolds(g: FlatGroup, f: ZtFacts): boolean {
  if (g.never) return false;
  const singles = g.singles;
  for (let i = 0; i < singles.length; i++) if (!matchFlat(singles[i]!, f)) return false;
  const multi = g.multi;
  for (let c = 0; c < multi.length; c++) {
    const live = multi[c]!;
    let hit = false;
    for (let i = 0; i < live.length && !hit; i++) hit = matchFlat(live[i]!, f);
    if (!hit) return false;
  }
  return true;
}

/** The first group whose every clause holds: its source rule index, or -1. */
function matchGroups(groups: FlatGroup[], f: ZtFacts): number {
  for (let g = 0; g < groups.length; g++) if (groupHolds(groups[g]!, f)) return groups[g]!.rule;
  return -1;
}

/** A match's predicate, or null for an empty match (skipped by ztunnel). */
export function compileZtMatch(m: ZtMatch): Check | null {
  const fm = flatten(m);
  return fm === null ? null : (f) => matchFlat(fm, f);
}

export function compileGroups(groups: ZtGroup[]): (f: ZtFacts) => number {
  const flat = flattenGroups(groups);
  return (f) => matchGroups(flat, f);
}

type ZtPolicyInit = Omit<ZtPolicy, 'key' | 'match' | 'reason' | 'flatGroups'>;

/**
 * Policies are converted for every configuration but most are never evaluated, so the matcher closures
 * are flattened on first use; `key` and `reason` are joined flat (a template literal would keep a cons chain).
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
  private flat: FlatGroup[] | undefined;

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
    this.flat = undefined;
  }

  flatGroups(): FlatGroup[] {
    return (this.flat ??= flattenGroups(this.groups));
  }

  match(f: ZtFacts): number {
    return matchGroups(this.flatGroups(), f);
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
