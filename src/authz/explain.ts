// Explain-only re-evaluation of the policies one proxy applied: for every policy and rule, which
// condition held and which did not, in the user's terms ("source.principals [...] does not contain
// ..."). Every condition is tested by compiling it alone with the engines' own compilers
// (compileZtMatch, compileWpRule), so the matching rules exist once; this file only takes rules
// apart and words the result. Off the hot path: nothing here is memoised or tuned.
import type { AuthorizationPolicy, AuthzRule } from '../k8s/types';
import type { Cidr } from './ip';
import { authenticate } from './jwt';
import type { StringMatchSpec } from './strings';
import type { Source, WaypointRequest, ZtunnelConnection } from './types';
import { compileWpRule, type WpFacts, type WpPolicy } from './waypoint-compile';
import { waypointFacts, type WaypointPolicySet } from './waypoint-eval';
import { allHold } from './waypoint-match';
import type { ZtunnelPolicySet } from './ztunnel-eval';
import { compileGroups, compileZtMatch, isEmptyMatch, type ZtFacts, type ZtMatch, type ZtPolicy } from './ztunnel-policy';

/** One condition of a rule, tested alone against what the proxy saw. */
export interface ConditionCheck {
  /** The attribute in policy terms, e.g. `source.principals`, `operation.methods`, `when request.headers[x-user]`. */
  attribute: string;
  /** True for not-lists (`notPrincipals`...): the condition holds when the value is NOT listed. */
  negated: boolean;
  values: string[];
  /** The value the proxy saw for the attribute. */
  observed: string;
  holds: boolean;
  /** `source.principals [a] does not contain b`. */
  text: string;
}

export interface RuleExplanation {
  rule: number;
  matched: boolean;
  /** Why the rule cannot match at this proxy regardless of the request (dropped or empty for ztunnel). */
  inert?: string;
  conditions: ConditionCheck[];
}

export interface PolicyExplanation {
  /** `namespace/name`. */
  policy: string;
  action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  dryRun: boolean;
  /** Where the policy came from at ztunnel: an AuthorizationPolicy, a PeerAuthentication, or the implicit waypoint allow. */
  origin: 'authz' | 'peer-authn' | 'waypoint-allow';
  matched: boolean;
  /** The first matching rule, or null. */
  rule: number | null;
  rules: RuleExplanation[];
}

const spec = (s: StringMatchSpec): string => (s.type === 'presence' ? '*' : s.type === 'prefix' ? `${s.value}*` : s.type === 'suffix' ? `*${s.value}` : s.value);

function cidrText(c: Cidr): string {
  if (c.words.length === 1) {
    const w = c.words[0]!;
    const ip = [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255].join('.');
    return c.bits === 32 ? ip : `${ip}/${c.bits}`;
  }
  const groups = c.words.flatMap((w) => [(w >>> 16).toString(16), (w & 0xffff).toString(16)]).join(':');
  return c.bits === 128 ? groups : `${groups}/${c.bits}`;
}

/** The attribute as written for a not-list: `source.principals` -> `source.notPrincipals`. */
function negatedName(attribute: string): string {
  if (attribute.startsWith('when ')) return `${attribute} (notValues)`;
  return attribute.replace(/\.(\w)(\w*)$/, (_, a: string, b: string) => `.not${a.toUpperCase()}${b}`);
}

function check(attribute: string, negated: boolean, values: string[], observed: string, holds: boolean): ConditionCheck {
  const listed = negated ? !holds : holds;
  const name = negated ? negatedName(attribute) : attribute;
  const text = `${name} [${values.join(', ')}] ${listed ? 'contains' : 'does not contain'} ${observed}`;
  return { attribute, negated, values, observed, holds, text };
}

// ---------------------------------------------------------------------------------------------
// ztunnel

type ZtKey = keyof ZtMatch;

interface ZtField {
  pos: ZtKey;
  neg: ZtKey;
  attribute: string;
  observed: (f: ZtFacts, conn: ZtunnelConnection) => string;
}

const NO_IDENTITY = '(no identity: plaintext)';

const ZT_FIELDS: ZtField[] = [
  { pos: 'principals', neg: 'notPrincipals', attribute: 'source.principals', observed: (f) => f.id?.principal || NO_IDENTITY },
  { pos: 'namespaces', neg: 'notNamespaces', attribute: 'source.namespaces', observed: (f) => (f.id ? f.id.namespace : NO_IDENTITY) },
  { pos: 'serviceAccounts', neg: 'notServiceAccounts', attribute: 'source.serviceAccounts', observed: (f) => (f.id ? `${f.id.namespace}/${f.id.serviceAccount}` : NO_IDENTITY) },
  { pos: 'sourceIps', neg: 'notSourceIps', attribute: 'source.ipBlocks', observed: (_, c) => c.srcIp },
  { pos: 'destinationIps', neg: 'notDestinationIps', attribute: 'destination.ip', observed: (_, c) => c.dstIp },
  { pos: 'destinationPorts', neg: 'notDestinationPorts', attribute: 'operation.ports', observed: (_, c) => String(c.dstPort) },
];

function ztValues(m: ZtMatch, key: ZtKey): string[] {
  const list = (m[key] ?? []) as unknown[];
  return list.map((v) => {
    if (typeof v === 'number') return String(v);
    const o = v as Record<string, unknown>;
    if ('words' in o) return cidrText(v as Cidr);
    if ('serviceAccount' in o) return `${String(o.namespace)}/${String(o.serviceAccount)}`;
    return spec(v as StringMatchSpec);
  });
}

/** Every field of one ztunnel match, each tested alone with ztunnel's own compiled predicate. */
function ztMatchChecks(m: ZtMatch, f: ZtFacts, conn: ZtunnelConnection): ConditionCheck[] {
  const out: ConditionCheck[] = [];
  for (const field of ZT_FIELDS) {
    for (const [key, negated] of [[field.pos, false], [field.neg, true]] as const) {
      const values = ztValues(m, key);
      if (values.length === 0) continue;
      const holds = compileZtMatch({ [key]: m[key] } as ZtMatch)?.(f) ?? false;
      out.push(check(field.attribute, negated, values, field.observed(f, conn), holds));
    }
  }
  return out;
}

function ztFacts(set: ZtunnelPolicySet, conn: ZtunnelConnection): ZtFacts {
  const { caches } = set;
  return {
    id: conn.srcIdentity === null ? null : caches.identities.get(conn.srcIdentity),
    src: caches.ips.get(conn.srcIp),
    dst: caches.ips.get(conn.dstIp),
    port: conn.dstPort,
  };
}

function explainZtPolicy(p: ZtPolicy, f: ZtFacts, conn: ZtunnelConnection): PolicyExplanation {
  const rules: RuleExplanation[] = p.groups.map((g) => {
    const matched = compileGroups([g])(f) >= 0;
    const conditions: ConditionCheck[] = [];
    let inert: string | undefined;
    for (const clause of g.clauses) {
      const live = clause.filter((m) => !isEmptyMatch(m));
      if (clause.length > 0 && live.length === 0) inert = 'a clause of this rule had only HTTP attributes, which ztunnel cannot see: the rule never matches at ztunnel';
      for (const m of live) conditions.push(...ztMatchChecks(m, f, conn));
    }
    return { rule: g.rule, matched, ...(inert ? { inert } : {}), conditions };
  });
  const rule = p.match(f);
  return { policy: p.key, action: p.action, dryRun: p.dryRun, origin: p.origin, matched: rule >= 0, rule: rule >= 0 ? rule : null, rules };
}

/** Every policy the destination ztunnel applied to `conn`, in the order it evaluates them (DENY, ALLOW, dry-run). */
export function explainZtunnelPolicies(set: ZtunnelPolicySet, conn: ZtunnelConnection): PolicyExplanation[] {
  const f = ztFacts(set, conn);
  return [...set.deny, ...set.allow, ...set.dryRun].map((p) => explainZtPolicy(p, f, conn));
}

// ---------------------------------------------------------------------------------------------
// waypoint

interface WpAttribute {
  section: 'from' | 'to';
  field: string;
  negated: boolean;
  values: string[];
}

const SOURCE_FIELDS = ['principals', 'namespaces', 'serviceAccounts', 'trustDomains', 'ipBlocks', 'remoteIpBlocks', 'requestPrincipals'] as const;
const OPERATION_FIELDS = ['methods', 'paths', 'hosts', 'ports'] as const;

const notField = (field: string) => `not${field[0]!.toUpperCase()}${field.slice(1)}`;

function attributesOf(obj: Record<string, unknown>, fields: readonly string[], section: WpAttribute['section']): WpAttribute[] {
  const out: WpAttribute[] = [];
  for (const field of fields) {
    for (const negated of [false, true]) {
      const values = obj[negated ? notField(field) : field] as string[] | undefined;
      if (values?.length) out.push({ section, field, negated, values });
    }
  }
  return out;
}

function ruleOf(a: WpAttribute): AuthzRule {
  const key = a.negated ? notField(a.field) : a.field;
  return a.section === 'from' ? { from: [{ source: { [key]: a.values } }] } : { to: [{ operation: { [key]: a.values } }] };
}

function observedWp(a: { section: string; field: string }, f: WpFacts, req: WaypointRequest): string {
  const id = f.id;
  switch (a.field) {
    case 'principals':
      return id?.principal || NO_IDENTITY;
    case 'namespaces':
      return id ? id.namespace : NO_IDENTITY;
    case 'serviceAccounts':
      return id ? `${id.namespace}/${id.serviceAccount}` : NO_IDENTITY;
    case 'trustDomains':
      return id ? id.trustDomain : NO_IDENTITY;
    case 'ipBlocks':
      return req.srcIp;
    case 'remoteIpBlocks':
      return req.remoteIp ?? req.srcIp;
    case 'requestPrincipals':
      return f.auth?.principal ?? '(no valid JWT)';
    case 'methods':
      return f.method;
    case 'paths':
      return f.path;
    case 'hosts':
      return f.host;
    case 'ports':
      return String(f.port);
  }
  return '';
}

function observedWhen(key: string, f: WpFacts, req: WaypointRequest): string {
  const header = /^request\.headers\[([^\]]+)\]$/.exec(key);
  if (header) return f.headers[header[1]!.toLowerCase()] ?? '(absent)';
  const byKey: Record<string, () => string> = {
    'source.ip': () => req.srcIp,
    'remote.ip': () => req.remoteIp ?? req.srcIp,
    'source.principal': () => f.id?.principal || NO_IDENTITY,
    'source.namespace': () => f.id?.namespace ?? NO_IDENTITY,
    'source.serviceAccount': () => (f.id ? `${f.id.namespace}/${f.id.serviceAccount}` : NO_IDENTITY),
    'destination.ip': () => req.dstIp,
    'destination.port': () => String(f.port),
    'request.auth.principal': () => f.auth?.principal ?? '(no valid JWT)',
    'connection.sni': () => f.sni || '(none)',
  };
  return byKey[key]?.() ?? '(not observed)';
}

/** Every condition of one rule, each compiled alone the way the waypoint compiles whole rules. */
function wpRuleChecks(rule: AuthzRule, ctx: Parameters<typeof compileWpRule>[1], f: WpFacts, req: WaypointRequest): ConditionCheck[] {
  const out: ConditionCheck[] = [];
  const test = (r: AuthzRule) => compileWpRule(r, ctx)?.(f) ?? false;
  const attrs = [
    ...(rule.from ?? []).flatMap(({ source = {} }) => attributesOf(source as Source as Record<string, unknown>, SOURCE_FIELDS, 'from')),
    ...(rule.to ?? []).flatMap(({ operation = {} }) => attributesOf(operation as Record<string, unknown>, OPERATION_FIELDS, 'to')),
  ];
  for (const a of attrs) {
    const attribute = `${a.section === 'from' ? 'source' : 'operation'}.${a.field}`;
    out.push(check(attribute, a.negated, a.values, observedWp(a, f, req), test(ruleOf(a))));
  }
  for (const c of rule.when ?? []) {
    for (const negated of [false, true]) {
      const values = negated ? c.notValues : c.values;
      if (!values?.length) continue;
      const holds = test({ when: [negated ? { key: c.key, notValues: values } : { key: c.key, values }] });
      out.push(check(`when ${c.key}`, negated, values, observedWhen(c.key, f, req), holds));
    }
  }
  return out;
}

function explainWpPolicy(p: WpPolicy, ap: AuthorizationPolicy | undefined, f: WpFacts, req: WaypointRequest, trustDomain: string): PolicyExplanation {
  const tcp = req.protocol === 'tcp';
  const compiled = tcp ? p.tcp : p.http;
  const ctx = { trustDomain, policyNamespace: p.namespace, action: p.action, forTcp: tcp };
  const rules: RuleExplanation[] = (ap?.spec?.rules ?? []).map((rule, i) => {
    const c = compiled.find((r) => r.rule === i);
    const conditions = wpRuleChecks(rule, ctx, f, req);
    if (!c) return { rule: i, matched: false, inert: tcp ? 'uses HTTP attributes: dropped on this TCP chain' : 'has an attribute the waypoint cannot evaluate: dropped', conditions };
    return { rule: i, matched: allHold(c.conds, f), conditions };
  });
  const first = compiled.find((r) => allHold(r.conds, f));
  return { policy: p.key, action: p.action, dryRun: p.dryRun, origin: 'authz', matched: first !== undefined, rule: first ? first.rule : null, rules };
}

export interface WaypointExplainOptions {
  /** The AuthorizationPolicies as stored, to take rules apart (the compiled set keeps only predicates). */
  policies: readonly AuthorizationPolicy[];
  trustDomain: string;
  /** Wall-clock epoch ms for JWT exp/nbf. */
  nowMs: number;
}

/** Every policy a waypoint chain applied to `req`, in its evaluation order (CUSTOM, AUDIT, DENY, ALLOW, dry-run). */
export function explainWaypointPolicies(set: WaypointPolicySet, req: WaypointRequest, opts: WaypointExplainOptions): PolicyExplanation[] {
  const f = waypointFacts(set, req);
  if (req.protocol === 'http' && set.jwt.length > 0) {
    const r = authenticate(set.jwt, set.tokens, req.headers, req.path, opts.nowMs);
    if (r.status === 'ok') f.auth = r.auth;
  }
  const byKey = new Map(opts.policies.map((ap) => [`${ap.metadata.namespace ?? 'default'}/${ap.metadata.name}`, ap]));
  return [...set.custom, ...set.audit, ...set.deny, ...set.allow, ...set.dryRun].map((p) => explainWpPolicy(p, byKey.get(p.key), f, req, opts.trustDomain));
}
