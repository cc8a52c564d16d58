// AuthorizationPolicy -> Envoy RBAC as istiod builds it for a waypoint (authz.md §2.2, §3, §4.5;
// pilot/pkg/security/authz/model). Each rule becomes a list of conditions; an HTTP filter chain and a TCP
// filter chain get different conditions because HTTP-only attributes are handled differently on TCP:
// in ALLOW they drop the whole rule, in DENY/AUDIT/CUSTOM only the value is dropped (match-any when
// nothing is left).
import type { AuthorizationPolicy, AuthzRule } from '../k8s/types';
import { serviceAccountRef } from './identity';
import { parseCidr } from './ip';
import { isDryRun, ports } from './ztunnel-convert';
import { flat, hasPrefix, hasSuffix, namespaceRegex, parseStringMatch, pathTemplateRegex, patternTest, type StringTest } from './strings';
import { allHold, S_EXACT, S_REGEX, specValue, V_DESTINATION_IP, V_FN, V_HEADER, V_HOST, V_METHOD, V_NAMESPACE, V_NEVER, V_PATH, V_PORT, V_PRINCIPAL, V_REMOTE_IP, V_SERVICE_ACCOUNT, V_SNI, V_SOURCE_IP, V_TRUST_DOMAIN, WpValue, type WpCheck, type WpCond, type WpFacts } from './waypoint-match';
import type { RequestAuth, Source } from './types';
import { factsRead, headerName, operationAttrs, sourceAttrs, type Attr, type FactReads } from './waypoint-attrs';

export type { WpCheck, WpFacts } from './waypoint-match';

export interface WpRule {
  rule: number;
  /** The rule's conditions as data, cheap ones first (see waypoint-match.ts). */
  conds: WpCond[];
}

export interface WpPolicy {
  key: string;
  namespace: string;
  name: string;
  action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  dryRun: boolean;
  provider?: string;
  http: WpRule[];
  tcp: WpRule[];
  /** The reason reported when this policy decides (precomputed for the hot path). */
  reason: string;
  /** The request facts its rules read. */
  reads: FactReads;
}

export interface WpCompileContext {
  trustDomain: string;
  policyNamespace: string;
  action: WpPolicy['action'];
  forTcp: boolean;
}

/** A generator failed for this value: HTTP-only on TCP, or unparseable. */
const ERR = Symbol('unsupported');
type ValueTest = WpValue | typeof ERR;

const HTTP_ONLY = new Set([':authority', ':method', 'path', 'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter']);
const isHttpOnly = (key: string) => HTTP_ONLY.has(key) || key.startsWith('request.headers') || key.startsWith('request.auth.claims');

/** Envoy rewrites principals in the mesh trust domain or `cluster.local` to the mesh trust domain (trustdomain/bundle.go). */
export function principalForMesh(principal: string, trustDomain: string): string {
  const parts = principal.split('/');
  if (parts.length !== 5 || parts[0] === '*') return principal;
  if (parts[0] !== trustDomain && parts[0] !== 'cluster.local') return principal;
  return [trustDomain, ...parts.slice(1)].join('/');
}

/** `request.auth.claims[a][b]` -> ['a', 'b']. */
function claimPath(key: string): string[] | null {
  const rest = key.slice('request.auth.claims'.length);
  const parts = [...rest.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
  return parts.length > 0 && parts.map((p) => `[${p}]`).join('') === rest ? parts : null;
}

const anyValue: StringTest = (s) => s !== '';

/**
 * A requestPrincipals value as istiod builds its matcher (authz model generator.go): split at the
 * LAST `/` (an issuer is often a URL) into issuer and subject, each matched on its own JWT claim.
 * `*` stands for any non-empty claim; a leading `*` is a suffix match on the issuer (or, with no
 * `/`, on the subject), a trailing one a prefix match on the subject (or, with no `/`, the issuer).
 */
export function requestPrincipalTest(value: string): (auth: RequestAuth) => boolean {
  const idx = value.lastIndexOf('/');
  const found = idx >= 0;
  const iss = found ? value.slice(0, idx) : value;
  const sub = found ? value.slice(idx + 1) : '';
  let matchIss: StringTest;
  let matchSub: StringTest;
  if (value === '*') {
    matchIss = anyValue;
    matchSub = anyValue;
  } else if (value.startsWith('*')) {
    matchIss = !found ? anyValue : iss === '*' ? anyValue : (s) => hasSuffix(s, iss.slice(1));
    matchSub = found ? (s) => s === sub : (s) => hasSuffix(s, value.slice(1));
  } else if (value.endsWith('*')) {
    matchIss = found ? (s) => s === iss : (s) => hasPrefix(s, value.slice(0, -1));
    matchSub = !found ? anyValue : sub === '*' ? anyValue : (s) => hasPrefix(s, sub.slice(0, -1));
  } else {
    matchIss = (s) => s === iss;
    matchSub = (s) => s === sub;
  }
  // A claim the token does not carry matches nothing.
  return (auth) => auth.issuer !== '' && auth.subject !== '' && matchIss(auth.issuer) && matchSub(auth.subject);
}

/** A claim's string values: the string itself or a list's strings; numbers and booleans match no string matcher. */
function claimValues(claims: Record<string, unknown>, path: string[]): string[] {
  let v: unknown = claims;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
    v = (v as Record<string, unknown>)[p];
  }
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

const fn = (check: WpCheck) => new WpValue(V_FN, { fn: check });

/** One value of one attribute as an Envoy matcher. */
function valueTest(key: string, value: string, ctx: WpCompileContext): ValueTest {
  if (ctx.forTcp && isHttpOnly(key)) return ERR;
  switch (key) {
    case 'source.ip':
    case 'remote.ip':
    case 'destination.ip': {
      const cidr = parseCidr(value);
      if (!cidr) return ERR;
      return new WpValue(key === 'source.ip' ? V_SOURCE_IP : key === 'remote.ip' ? V_REMOTE_IP : V_DESTINATION_IP, { cidr });
    }
    case 'destination.port': {
      const [p] = ports([value]);
      return p === undefined ? ERR : new WpValue(V_PORT, { num: p });
    }
    case 'source.principal':
      return specValue(V_PRINCIPAL, parseStringMatch(principalForMesh(value, ctx.trustDomain)));
    case 'source.namespace': {
      const re = namespaceRegex(value);
      return re === null ? new WpValue(V_NAMESPACE, { op: S_EXACT, str: flat(value) }) : new WpValue(V_NAMESPACE, { op: S_REGEX, re });
    }
    case 'source.serviceAccount': {
      const sa = serviceAccountRef(value, ctx.policyNamespace);
      return new WpValue(V_SERVICE_ACCOUNT, { name: flat(sa.namespace), str: flat(sa.serviceAccount) });
    }
    case 'source.trustDomain':
      return specValue(V_TRUST_DOMAIN, parseStringMatch(value));
    case 'connection.sni':
      return specValue(V_SNI, parseStringMatch(value));
    case ':authority': {
      const spec = parseStringMatch(value);
      return specValue(V_HOST, spec.type === 'presence' ? spec : { type: spec.type, value: flat(spec.value.toLowerCase()) });
    }
    case ':method':
      return specValue(V_METHOD, parseStringMatch(value));
    case 'path': {
      const re = pathTemplateRegex(value);
      return re === null ? specValue(V_PATH, parseStringMatch(value)) : new WpValue(V_PATH, { op: S_REGEX, re });
    }
    case 'request.auth.principal': {
      const t = requestPrincipalTest(value);
      return fn((f) => f.auth !== null && t(f.auth));
    }
    case 'request.auth.presenter': {
      const t = patternTest(value);
      return fn((f) => f.auth !== null && f.auth.presenter !== '' && t(f.auth.presenter));
    }
    case 'request.auth.audiences': {
      const t = patternTest(value);
      return fn((f) => f.auth !== null && f.auth.audiences.some(t));
    }
  }
  const name = headerName(key);
  if (name !== null) {
    // `*` is Envoy's present_match: the header exists, whatever its value.
    return value === '*' ? new WpValue(V_HEADER, { name }) : specValue(V_HEADER, parseStringMatch(value), { name });
  }
  if (key.startsWith('request.auth.claims')) {
    const path = claimPath(key);
    if (!path) return ERR;
    const t = patternTest(value);
    return fn((f) => f.auth !== null && claimValues(f.auth.claims, path).some(t));
  }
  // Envoy dynamic metadata is never populated in the simulation.
  if (key.startsWith('experimental.envoy.filters.')) return new WpValue(V_NEVER);
  return ERR;
}

/**
 * A condition with a rough cost. Every check is pure, so an AND may test its conditions in any order
 * without changing a result: cheap ones (ports, methods, headers) go before paths, regexes and claims.
 */
interface Conjunct {
  cond: WpCond;
  cost: number;
}

function costOf(key: string): number {
  switch (key) {
    case 'destination.port':
      return 0;
    case ':method':
    case 'source.serviceAccount':
      return 1;
    case 'source.ip':
    case 'remote.ip':
    case 'destination.ip':
    case 'source.namespace':
    case 'source.principal':
    case 'source.trustDomain':
    case 'connection.sni':
      return 2;
    case ':authority':
    case 'path':
      return 3;
  }
  if (key.startsWith('request.headers')) return 2;
  if (key.startsWith('experimental.envoy.filters.')) return 0;
  return 4;
}

/** The conditions in cost order (a stable sort: equal costs keep the policy's order). */
function inCostOrder(parts: Conjunct[]): WpCond[] {
  return [...parts].sort((a, b) => a.cost - b.cost).map((p) => p.cond);
}

/** values ANY-of AND notValues NONE-of, as 0-2 conditions; null when ALLOW must drop the rule. */
function attributeChecks(key: string, values: string[] | undefined, notValues: string[] | undefined, ctx: WpCompileContext): Conjunct[] | null {
  let error = false;
  const compile = (vs: string[] | undefined): WpValue[] => {
    const out: WpValue[] = [];
    for (const v of vs ?? []) {
      const t = valueTest(key, v, ctx);
      if (t === ERR) error = true;
      else out.push(t);
    }
    return out;
  };
  const pos = compile(values);
  const neg = compile(notValues);
  if (error && ctx.action === 'ALLOW') return null;
  const cost = costOf(key);
  const out: Conjunct[] = [];
  if (pos.length) out.push({ cond: { values: pos, negate: false, alts: null }, cost });
  if (neg.length) out.push({ cond: { values: neg, negate: true, alts: null }, cost });
  return out;
}

/**
 * A list of entries, each an AND of attributes: ANY entry matches. Returns the conditions this adds to
 * the rule (a single entry's own, so they sort with the rule's others), [] when an entry has nothing
 * to check (it matches anything), null when ALLOW must drop the rule.
 */
function entries(list: Attr[][], ctx: WpCompileContext): Conjunct[] | null {
  const alts: Conjunct[][] = [];
  for (const attrs of list) {
    const conj: Conjunct[] = [];
    for (const [k, v, nv] of attrs) {
      if (!v?.length && !nv?.length) continue;
      const c = attributeChecks(k, v, nv, ctx);
      if (c === null) return null;
      conj.push(...c);
    }
    if (conj.length === 0) return [];
    alts.push(conj);
  }
  if (alts.length <= 1) return alts[0] ?? [];
  return [{ cond: { values: [], negate: false, alts: alts.map(inCostOrder) }, cost: Math.max(...alts.flat().map((c) => c.cost)) }];
}

/** One rule as data, or null when (ALLOW only) it is dropped. */
function compileWpConds(rule: AuthzRule, ctx: WpCompileContext): WpCond[] | null {
  const parts: Conjunct[] = [];
  if (rule.from?.length) {
    const r = entries(rule.from.map(({ source = {} }) => sourceAttrs(source as Source)), ctx);
    if (r === null) return null;
    parts.push(...r);
  }
  if (rule.to?.length) {
    const r = entries(rule.to.map(({ operation = {} }) => operationAttrs(operation)), ctx);
    if (r === null) return null;
    parts.push(...r);
  }
  for (const c of rule.when ?? []) {
    if (!c.values?.length && !c.notValues?.length) continue;
    const r = attributeChecks(c.key, c.values, c.notValues, ctx);
    if (r === null) return null;
    parts.push(...r);
  }
  return inCostOrder(parts);
}

/** One rule as a predicate, or null when (ALLOW only) it is dropped. */
export function compileWpRule(rule: AuthzRule, ctx: WpCompileContext): WpCheck | null {
  const conds = compileWpConds(rule, ctx);
  return conds === null ? null : (f) => allHold(conds, f);
}

function compileRules(ap: AuthorizationPolicy, ctx: WpCompileContext): WpRule[] {
  const out: WpRule[] = [];
  (ap.spec?.rules ?? []).forEach((rule, i) => {
    const conds = compileWpConds(rule, ctx);
    if (conds) out.push({ rule: i, conds });
  });
  return out;
}

export function compileWaypointPolicy(ap: AuthorizationPolicy, trustDomain: string): WpPolicy {
  const namespace = ap.metadata.namespace ?? 'default';
  const action = ap.spec?.action ?? 'ALLOW';
  const base = { trustDomain, policyNamespace: namespace, action };
  // Joined flat: the key and reason are compared and copied per decision.
  const key = [namespace, ap.metadata.name].join('/');
  return {
    key,
    namespace,
    name: ap.metadata.name,
    action,
    // Dry-run applies to ALLOW and DENY only (validation rejects it elsewhere).
    dryRun: (action === 'ALLOW' || action === 'DENY') && isDryRun(ap),
    provider: ap.spec?.provider?.name,
    http: compileRules(ap, { ...base, forTcp: false }),
    tcp: compileRules(ap, { ...base, forTcp: true }),
    reason: [action === 'DENY' ? 'denied' : 'allowed', ' by: ', key].join(''),
    reads: factsRead(ap),
  };
}

/** The first rule that matches, or -1. */
export function firstMatch(rules: WpRule[], f: WpFacts): number {
  for (let i = 0; i < rules.length; i++) if (allHold(rules[i]!.conds, f)) return rules[i]!.rule;
  return -1;
}
