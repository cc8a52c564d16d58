// istiod's conversion of an AuthorizationPolicy into ztunnel's L4 Authorization (authz.md §4,
// pilot/pkg/serviceregistry/ambient/authorization.go convertAuthorizationPolicy / handleRule).
import type { AuthorizationPolicy, AuthzCondition, AuthzOperation, AuthzRule } from '../k8s/types';
import { serviceAccountRef } from './identity';
import { parseCidr, type Cidr } from './ip';
import { parseStringMatch, type StringMatchSpec } from './strings';
import type { Source } from './types';
import { hasEffectiveRules, makeZtPolicy, type ZtGroup, type ZtMatch, type ZtPolicy, type ZtScope } from './ztunnel-policy';

export interface StatusMessage {
  reason: string;
  message: string;
}

export interface ZtConversion {
  /** null when nothing is sent to ztunnel. */
  policy: ZtPolicy | null;
  status: StatusMessage | null;
}

export const L4_WHEN_KEYS: ReadonlySet<string> = new Set([
  'source.ip',
  'source.namespace',
  'source.principal',
  'destination.ip',
  'destination.port',
]);

const HTTP_RULE_FMT = (found: string, boilerplate: string) =>
  `ztunnel does not support HTTP attributes (found: ${found}). In ambient mode you must use a waypoint proxy to enforce HTTP rules. ${boilerplate}`;
export const HTTP_DENY_NO_EFFECT =
  'After omitting unsupported HTTP attributes, this DENY policy has no enforceable rules at ztunnel and will have no effect. Deploy a waypoint proxy and use a targetRef to enforce this policy.';
export const HTTP_DENY_MIXED = 'DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.';
export const HTTP_ALLOW_RULE = 'Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.';

export function isDryRun(ap: AuthorizationPolicy): boolean {
  const v = ap.metadata.annotations?.['istio.io/dry-run'];
  // strconv.ParseBool: unparseable values count as false.
  return v !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

export function targetRefsOf(spec: { targetRef?: unknown; targetRefs?: unknown[] } | undefined) {
  const refs = [...((spec?.targetRefs ?? []) as import('../k8s/types').PolicyTargetReference[])];
  if (spec?.targetRef) refs.unshift(spec.targetRef as import('../k8s/types').PolicyTargetReference);
  return refs;
}

const strings = (v: string[] | undefined): StringMatchSpec[] => (v ?? []).map(parseStringMatch);
const cidrs = (v: string[] | undefined): Cidr[] => (v ?? []).filter((s) => s.length > 0).map(parseCidr).filter((c): c is Cidr => c !== null);

/** strconv.ParseUint(s, 10, 32) and <= 65535; other values are dropped one by one. */
export function ports(v: string[] | undefined): number[] {
  return (v ?? []).filter((s) => /^\d+$/.test(s) && Number(s) <= 65535).map(Number);
}

function put<K extends keyof ZtMatch>(m: ZtMatch, k: K, v: ZtMatch[K] & unknown[]): void {
  if (v.length > 0) m[k] = v;
}

function httpOperations(op: AuthzOperation): string[] {
  return (['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const).filter((k) => op[k]?.length);
}

function httpSources(s: Source): string[] {
  // trustDomains/notTrustDomains are neither converted nor reported (authz.md §4.4).
  return (['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'] as const).filter((k) => s[k]?.length);
}

function whenMatch(c: AuthzCondition): ZtMatch {
  const m: ZtMatch = {};
  switch (c.key) {
    case 'source.namespace':
      put(m, 'namespaces', strings(c.values));
      put(m, 'notNamespaces', strings(c.notValues));
      break;
    case 'source.principal':
      put(m, 'principals', strings(c.values));
      put(m, 'notPrincipals', strings(c.notValues));
      break;
    case 'source.ip':
      put(m, 'sourceIps', cidrs(c.values));
      put(m, 'notSourceIps', cidrs(c.notValues));
      break;
    case 'destination.ip':
      put(m, 'destinationIps', cidrs(c.values));
      put(m, 'notDestinationIps', cidrs(c.notValues));
      break;
    case 'destination.port':
      put(m, 'destinationPorts', ports(c.values));
      put(m, 'notDestinationPorts', ports(c.notValues));
      break;
  }
  return m;
}

function sourceMatch(s: Source, policyNamespace: string): ZtMatch {
  const m: ZtMatch = {};
  const sas = (v: string[] | undefined) => (v ?? []).map((x) => serviceAccountRef(x, policyNamespace));
  put(m, 'sourceIps', cidrs(s.ipBlocks));
  put(m, 'notSourceIps', cidrs(s.notIpBlocks));
  put(m, 'namespaces', strings(s.namespaces));
  put(m, 'notNamespaces', strings(s.notNamespaces));
  put(m, 'serviceAccounts', sas(s.serviceAccounts));
  put(m, 'notServiceAccounts', sas(s.notServiceAccounts));
  put(m, 'principals', strings(s.principals));
  put(m, 'notPrincipals', strings(s.notPrincipals));
  return m;
}

/** One rule: its clauses (null when an ALLOW rule is dropped) and the HTTP attributes found in it. */
export function convertRule(action: 'ALLOW' | 'DENY', rule: AuthzRule, policyNamespace: string): { clauses: ZtMatch[][] | null; found: string[] } {
  const found: string[] = [];
  const clauses: ZtMatch[][] = [];
  if (rule.to?.length) {
    clauses.push(
      rule.to.map(({ operation: op = {} }) => {
        found.push(...httpOperations(op));
        const m: ZtMatch = {};
        put(m, 'destinationPorts', ports(op.ports));
        put(m, 'notDestinationPorts', ports(op.notPorts));
        return m;
      }),
    );
  }
  if (rule.from?.length) {
    clauses.push(
      rule.from.map(({ source = {} }) => {
        found.push(...httpSources(source as Source));
        return sourceMatch(source as Source, policyNamespace);
      }),
    );
  }
  for (const c of rule.when ?? []) {
    if (!L4_WHEN_KEYS.has(c.key)) found.push(c.key);
    clauses.push([whenMatch(c)]);
  }
  // ALLOW rules with HTTP attributes never match; DENY keeps the (possibly empty) L4 remains.
  return { clauses: action === 'ALLOW' && found.length > 0 ? null : clauses, found };
}

export function ztScope(ap: AuthorizationPolicy, rootNamespace: string): ZtScope {
  if (ap.spec?.selector) return 'WORKLOAD_SELECTOR';
  return ap.metadata.namespace === rootNamespace ? 'GLOBAL' : 'NAMESPACE';
}

/** Why istiod sends ztunnel nothing for a policy, whatever its rules say; null when it converts it. */
export function refusedForZtunnel(ap: AuthorizationPolicy, opts: { dryRunEnabled?: boolean } = {}): StatusMessage | null {
  if (isDryRun(ap) && !opts.dryRunEnabled) {
    const ns = ap.metadata.namespace ?? 'default';
    return {
      reason: 'UnsupportedValue',
      message: `found policy "${ns}/${ap.metadata.name}" using dry-run annotation, but support for ambient dry-run authorizationPolicies isn't enabled`,
    };
  }
  const action = ap.spec?.action ?? 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') return { reason: 'UnsupportedValue', message: `ztunnel does not support the ${action} action` };
  return null;
}

/** What istiod sends ztunnel for one policy without targetRefs, and the status message it writes. */
export function convertForZtunnel(ap: AuthorizationPolicy, rootNamespace: string, opts: { dryRunEnabled?: boolean } = {}): ZtConversion {
  const refused = refusedForZtunnel(ap, opts);
  if (refused) return { policy: null, status: refused };
  const ns = ap.metadata.namespace ?? 'default';
  const dryRun = isDryRun(ap);
  const action = ap.spec?.action === 'DENY' ? 'DENY' : 'ALLOW';
  const groups: ZtGroup[] = [];
  const found = new Set<string>();
  (ap.spec?.rules ?? []).forEach((rule, i) => {
    const r = convertRule(action, rule, ns);
    r.found.forEach((f) => found.add(f));
    if (r.clauses) groups.push({ rule: i, clauses: r.clauses });
  });
  const policy = makeZtPolicy({ name: ap.metadata.name, namespace: ns, scope: ztScope(ap, rootNamespace), action, groups, dryRun, origin: 'authz' });
  if (found.size === 0) return { policy, status: null };
  const boilerplate = action === 'DENY' ? (hasEffectiveRules(groups) ? HTTP_DENY_MIXED : HTTP_DENY_NO_EFFECT) : HTTP_ALLOW_RULE;
  return { policy, status: { reason: 'UnsupportedValue', message: HTTP_RULE_FMT([...found].sort().join(', '), boilerplate) } };
}
