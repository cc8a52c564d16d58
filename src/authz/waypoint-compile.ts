// AuthorizationPolicy -> Envoy RBAC as istiod builds it for a waypoint (authz.md §2.2, §3, §4.5;
// pilot/pkg/security/authz/model). Each rule becomes one predicate; an HTTP filter chain and a TCP
// filter chain get different predicates because HTTP-only attributes are handled differently on TCP:
// in ALLOW they drop the whole rule, in DENY/AUDIT/CUSTOM only the value is dropped (match-any when
// nothing is left).
import type { AuthorizationPolicy, AuthzRule } from '../k8s/types';
import { serviceAccountRef, type PeerIdentity } from './identity';
import { cidrContains, parseCidr } from './ip';
import { isDryRun, ports } from './ztunnel-convert';
import { namespaceRegexTest, parseStringMatch, pathTest, patternTest, stringTest, type StringTest } from './strings';
import type { RequestAuth, Source } from './types';

/** What a waypoint knows about one request, prepared once per evaluation. */
export interface WpFacts {
  id: PeerIdentity | null;
  src: number[] | null;
  remote: number[] | null;
  dst: number[] | null;
  port: number;
  /** Lower-cased :authority. */
  host: string;
  method: string;
  /** URL path without query string. */
  path: string;
  headers: Record<string, string>;
  sni: string;
  auth: RequestAuth | null;
}

export type WpCheck = (f: WpFacts) => boolean;

export interface WpRule {
  rule: number;
  test: WpCheck;
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
}

export interface WpCompileContext {
  trustDomain: string;
  policyNamespace: string;
  action: WpPolicy['action'];
  forTcp: boolean;
}

/** A generator failed for this value: HTTP-only on TCP, or unparseable. */
const ERR = Symbol('unsupported');
type ValueTest = ((v: WpFacts) => boolean) | typeof ERR;

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

function claimValues(claims: Record<string, unknown>, path: string[]): string[] {
  let v: unknown = claims;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
    v = (v as Record<string, unknown>)[p];
  }
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function headerName(key: string): string | null {
  const m = /^request\.headers\[([^\]]+)\]$/.exec(key);
  return m ? m[1]!.toLowerCase() : null;
}

/** One value of one attribute as an Envoy matcher. */
function valueTest(key: string, value: string, ctx: WpCompileContext): ValueTest {
  if (ctx.forTcp && isHttpOnly(key)) return ERR;
  switch (key) {
    case 'source.ip':
    case 'remote.ip':
    case 'destination.ip': {
      const c = parseCidr(value);
      if (!c) return ERR;
      if (key === 'source.ip') return (f) => cidrContains(c, f.src);
      if (key === 'remote.ip') return (f) => cidrContains(c, f.remote);
      return (f) => cidrContains(c, f.dst);
    }
    case 'destination.port': {
      const [p] = ports([value]);
      return p === undefined ? ERR : (f) => f.port === p;
    }
    case 'source.principal': {
      const t = patternTest(principalForMesh(value, ctx.trustDomain));
      return (f) => f.id !== null && f.id.principal !== '' && t(f.id.principal);
    }
    case 'source.namespace': {
      const t = namespaceRegexTest(value);
      return (f) => f.id !== null && t(f.id.namespace);
    }
    case 'source.serviceAccount': {
      const sa = serviceAccountRef(value, ctx.policyNamespace);
      return (f) => f.id !== null && f.id.namespace === sa.namespace && f.id.serviceAccount === sa.serviceAccount;
    }
    case 'source.trustDomain': {
      const t = patternTest(value);
      return (f) => f.id !== null && t(f.id.trustDomain);
    }
    case 'connection.sni': {
      const t = patternTest(value);
      return (f) => f.sni !== '' && t(f.sni);
    }
    case ':authority': {
      const t = patternTest(value, true);
      return (f) => t(f.host);
    }
    case ':method': {
      const t = patternTest(value);
      return (f) => t(f.method);
    }
    case 'path': {
      const t = pathTest(value);
      return (f) => t(f.path);
    }
    case 'request.auth.principal': {
      const t = patternTest(value);
      return (f) => f.auth !== null && t(f.auth.principal);
    }
    case 'request.auth.presenter': {
      const t = patternTest(value);
      return (f) => f.auth !== null && f.auth.presenter !== '' && t(f.auth.presenter);
    }
    case 'request.auth.audiences': {
      const t = patternTest(value);
      return (f) => f.auth !== null && f.auth.audiences.some(t);
    }
  }
  const header = headerName(key);
  if (header !== null) {
    // `*` is Envoy's present_match: the header exists, whatever its value.
    const t: StringTest = value === '*' ? () => true : stringTest(parseStringMatch(value));
    return (f) => {
      const h = f.headers[header];
      return h !== undefined && t(h);
    };
  }
  if (key.startsWith('request.auth.claims')) {
    const path = claimPath(key);
    if (!path) return ERR;
    const t = patternTest(value);
    return (f) => f.auth !== null && claimValues(f.auth.claims, path).some(t);
  }
  // Envoy dynamic metadata is never populated in the simulation.
  if (key.startsWith('experimental.envoy.filters.')) return () => false;
  return ERR;
}

/** values ANY-of AND notValues NONE-of; `error` when ALLOW must drop the rule. null test = no constraint. */
function attributeCheck(key: string, values: string[] | undefined, notValues: string[] | undefined, ctx: WpCompileContext): { test: WpCheck | null; error: boolean } {
  let error = false;
  const compile = (vs: string[] | undefined): WpCheck[] => {
    const out: WpCheck[] = [];
    for (const v of vs ?? []) {
      const t = valueTest(key, v, ctx);
      if (t === ERR) error = true;
      else out.push(t);
    }
    return out;
  };
  const pos = compile(values);
  const neg = compile(notValues);
  if (error && ctx.action === 'ALLOW') return { test: null, error: true };
  const checks: WpCheck[] = [];
  if (pos.length) checks.push(pos.length === 1 ? pos[0]! : (f) => pos.some((t) => t(f)));
  if (neg.length) checks.push((f) => !neg.some((t) => t(f)));
  return { test: and(checks), error: false };
}

function and(checks: WpCheck[]): WpCheck | null {
  if (checks.length === 0) return null;
  if (checks.length === 1) return checks[0]!;
  return (f) => {
    for (const c of checks) if (!c(f)) return false;
    return true;
  };
}

type Attr = [key: string, values: string[] | undefined, notValues: string[] | undefined];

function sourceAttrs(s: Source): Attr[] {
  return [
    ['source.ip', s.ipBlocks, s.notIpBlocks],
    ['remote.ip', s.remoteIpBlocks, s.notRemoteIpBlocks],
    ['source.namespace', s.namespaces, s.notNamespaces],
    ['source.serviceAccount', s.serviceAccounts, s.notServiceAccounts],
    ['source.trustDomain', s.trustDomains, s.notTrustDomains],
    ['request.auth.principal', s.requestPrincipals, s.notRequestPrincipals],
    ['source.principal', s.principals, s.notPrincipals],
  ];
}

/** A list of entries, each an AND of attributes: ANY entry matches. */
function entries(list: Attr[][], ctx: WpCompileContext): { test: WpCheck | null; error: boolean } {
  const alts: WpCheck[] = [];
  for (const attrs of list) {
    const checks: WpCheck[] = [];
    for (const [k, v, nv] of attrs) {
      if (!v?.length && !nv?.length) continue;
      const c = attributeCheck(k, v, nv, ctx);
      if (c.error) return { test: null, error: true };
      if (c.test) checks.push(c.test);
    }
    const all = and(checks);
    // An entry left with nothing to check matches anything.
    if (!all) return { test: null, error: false };
    alts.push(all);
  }
  if (alts.length === 0) return { test: null, error: false };
  return { test: alts.length === 1 ? alts[0]! : (f) => alts.some((a) => a(f)), error: false };
}

/** One rule as a predicate, or null when (ALLOW only) it is dropped. */
export function compileWpRule(rule: AuthzRule, ctx: WpCompileContext): WpCheck | null {
  const parts: WpCheck[] = [];
  if (rule.from?.length) {
    const r = entries(rule.from.map(({ source = {} }) => sourceAttrs(source as Source)), ctx);
    if (r.error) return null;
    if (r.test) parts.push(r.test);
  }
  if (rule.to?.length) {
    const ops = rule.to.map(({ operation: o = {} }): Attr[] => [
      ['destination.port', o.ports, o.notPorts],
      ['path', o.paths, o.notPaths],
      [':method', o.methods, o.notMethods],
      [':authority', o.hosts, o.notHosts],
    ]);
    const r = entries(ops, ctx);
    if (r.error) return null;
    if (r.test) parts.push(r.test);
  }
  for (const c of rule.when ?? []) {
    if (!c.values?.length && !c.notValues?.length) continue;
    const r = attributeCheck(c.key, c.values, c.notValues, ctx);
    if (r.error) return null;
    if (r.test) parts.push(r.test);
  }
  return and(parts) ?? (() => true);
}

function compileRules(ap: AuthorizationPolicy, ctx: WpCompileContext): WpRule[] {
  const out: WpRule[] = [];
  (ap.spec?.rules ?? []).forEach((rule, i) => {
    const test = compileWpRule(rule, ctx);
    if (test) out.push({ rule: i, test });
  });
  return out;
}

export function compileWaypointPolicy(ap: AuthorizationPolicy, trustDomain: string): WpPolicy {
  const namespace = ap.metadata.namespace ?? 'default';
  const action = ap.spec?.action ?? 'ALLOW';
  const base = { trustDomain, policyNamespace: namespace, action };
  return {
    key: `${namespace}/${ap.metadata.name}`,
    namespace,
    name: ap.metadata.name,
    action,
    // Dry-run applies to ALLOW and DENY only (validation rejects it elsewhere).
    dryRun: (action === 'ALLOW' || action === 'DENY') && isDryRun(ap),
    provider: ap.spec?.provider?.name,
    http: compileRules(ap, { ...base, forTcp: false }),
    tcp: compileRules(ap, { ...base, forTcp: true }),
    reason: `${action === 'DENY' ? 'denied' : 'allowed'} by: ${namespace}/${ap.metadata.name}`,
  };
}

/** The first rule that matches, or -1. */
export function firstMatch(rules: WpRule[], f: WpFacts): number {
  for (let i = 0; i < rules.length; i++) if (rules[i]!.test(f)) return rules[i]!.rule;
  return -1;
}
