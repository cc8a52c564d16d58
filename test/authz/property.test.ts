// Property: a plain, direct reading of the reference's rules (no conversion, no indexes) and the compiled
// engines agree on random policy sets and random traffic. ztunnel: §1.2, §2.1, §3.1, §4.2-4.3.
// Waypoint (HTTP): §1.1, §2.2, §3.1-3.5.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAuthz, evaluateWaypoint, evaluateZtunnel, waypointPoliciesFor, ztunnelPoliciesFor } from '../../src/authz';
import type { AuthorizationPolicy, AuthzCondition, AuthzRule, Labels } from '../../src/k8s/types';
import { ap, ROOT, TD } from './fixtures';

const NSS = ['a', 'b', ROOT];
const SAS = ['x', 'y'];
const PORTS = ['80', '8080'];
const METHODS = ['GET', 'POST'];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const sub = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const nsPattern = fc.oneof(pick(['a', 'b', '*', 'a*', '*b']));
const principal = fc.oneof(pick([`${TD}/ns/a/sa/x`, `${TD}/ns/b/sa/y`, '*/sa/x', '*']));
const source = fc.record(
  { namespaces: opt(fc.array(nsPattern, { minLength: 1, maxLength: 2 })), notPrincipals: opt(fc.array(principal, { minLength: 1, maxLength: 2 })), principals: opt(fc.array(principal, { minLength: 1, maxLength: 2 })), ipBlocks: opt(sub(['10.0.0.0/24', '10.0.1.0/24'])), requestPrincipals: opt(pick([['*']])) },
  { requiredKeys: [] },
);
const operation = fc.record({ ports: opt(sub(PORTS)), notPorts: opt(sub(PORTS)), methods: opt(sub(METHODS)) }, { requiredKeys: [] });
const when: fc.Arbitrary<AuthzCondition> = fc.oneof(
  fc.record({ key: fc.constant('destination.port'), values: sub(PORTS) }),
  fc.record({ key: fc.constant('source.namespace'), notValues: sub(['a', 'b']) }),
  fc.record({ key: fc.constant('request.headers[x-k]'), values: sub(['1', '2']) }),
);
const rule: fc.Arbitrary<AuthzRule> = fc.record(
  { from: opt(fc.array(fc.record({ source }), { minLength: 1, maxLength: 2 })), to: opt(fc.array(fc.record({ operation }), { minLength: 1, maxLength: 2 })), when: opt(fc.array(when, { minLength: 1, maxLength: 2 })) },
  { requiredKeys: [] },
);
const GW = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' };
const policy = fc.record({
  ns: pick(NSS),
  action: pick(['ALLOW', 'DENY', 'AUDIT'] as const),
  attach: pick(['none', 'selector', 'gateway', 'service'] as const),
  rules: opt(fc.array(rule, { maxLength: 3 })),
});
const policies = fc.array(policy, { maxLength: 6 }).map((ps) =>
  ps.map((p, i) =>
    ap(`${p.ns}/p${i}`, {
      action: p.action,
      ...(p.rules ? { rules: p.rules } : {}),
      ...(p.attach === 'selector' ? { selector: { matchLabels: { app: 'svc' } } } : {}),
      ...(p.attach === 'gateway' ? { targetRefs: [GW] } : {}),
      ...(p.attach === 'service' ? { targetRefs: [{ kind: 'Service', group: '', name: 'svc' }] } : {}),
    }),
  ),
);
const traffic = fc.record({
  identity: fc.option(fc.record({ ns: pick(['a', 'b']), sa: pick(SAS) }), { nil: null }),
  srcIp: pick(['10.0.0.5', '10.0.1.5']),
  port: pick([80, 8080]),
  method: pick(METHODS),
  header: opt(pick(['1', '2'])),
  workloadNs: pick(['a', 'b']),
  labels: pick([{ app: 'svc' }, { app: 'other' }] as Labels[]),
});
type Traffic = typeof traffic extends fc.Arbitrary<infer T> ? T : never;

// ---- the direct evaluator, written from the reference text ----
const str = (pattern: string, v: string) => (pattern === '*' ? v !== '' : pattern.startsWith('*') ? v.endsWith(pattern.slice(1)) : pattern.endsWith('*') ? v.startsWith(pattern.slice(0, -1)) : v === pattern);
const nsRegex = (pattern: string, v: string) => v !== '' && new RegExp('^' + pattern.replaceAll('*', '.*') + '$').test(v);
const inCidr = (cidr: string, ip: string) => ip.startsWith(cidr.slice(0, cidr.lastIndexOf('.')) + '.');
const field = (vals: string[] | undefined, not: string[] | undefined, test: (v: string) => boolean) => (!vals || vals.some(test)) && (!not || !not.some(test));

function facts(t: Traffic) {
  return { principal: t.identity ? `${TD}/ns/${t.identity.ns}/sa/${t.identity.sa}` : '', ns: t.identity?.ns ?? '' };
}

/** ztunnel reading: L7 in ALLOW kills the rule; in DENY an entry/when with nothing L4 never matches. */
function directZtunnel(ps: AuthorizationPolicy[], t: Traffic): boolean {
  const f = facts(t);
  const applies = (p: AuthorizationPolicy) => {
    if (p.spec?.targetRefs || (p.spec?.action !== 'ALLOW' && p.spec?.action !== 'DENY')) return false;
    const ns = p.metadata.namespace!;
    if (p.spec.selector) return (ns === t.workloadNs || ns === ROOT) && t.labels.app === 'svc';
    return ns === ROOT || ns === t.workloadNs;
  };
  const srcL4 = (s: Record<string, string[] | undefined>) => ['namespaces', 'principals', 'notPrincipals', 'ipBlocks'].some((k) => s[k]);
  const ruleMatches = (r: AuthzRule, action: string) => {
    const hasL7 = r.from?.some((e) => e.source?.requestPrincipals) || r.to?.some((e) => e.operation?.methods) || r.when?.some((w) => w.key.startsWith('request.'));
    if (hasL7 && action === 'ALLOW') return false;
    const fromOk = !r.from || r.from.some(({ source: s = {} }) =>
      srcL4(s as never) && field(s.namespaces, undefined, (v) => str(v, f.ns)) && field(s.principals, s.notPrincipals, (v) => f.principal !== '' && str(v, f.principal)) && field(s.ipBlocks, undefined, (c) => inCidr(c, t.srcIp)));
    const toOk = !r.to || r.to.some(({ operation: o = {} }) => (o.ports || o.notPorts ? field(o.ports, o.notPorts, (p) => Number(p) === t.port) : false));
    const whenOk = (r.when ?? []).every((w) =>
      w.key === 'destination.port' ? field(w.values, w.notValues, (p) => Number(p) === t.port) : w.key === 'source.namespace' ? field(w.values, w.notValues, (v) => str(v, f.ns)) : false);
    return fromOk && toOk && whenOk;
  };
  const mine = ps.filter(applies);
  const matches = (p: AuthorizationPolicy) => (p.spec?.rules ?? []).some((r) => ruleMatches(r, p.spec!.action!));
  if (mine.some((p) => p.spec!.action === 'DENY' && matches(p))) return false;
  const allows = mine.filter((p) => p.spec!.action === 'ALLOW');
  return allows.length === 0 || allows.some(matches);
}

/** Waypoint reading (HTTP chain for Service ns/svc through waypoint ns/wp): every field evaluated. */
function directWaypoint(ps: AuthorizationPolicy[], t: Traffic, wpNs: string): boolean {
  const f = facts(t);
  const headers: Record<string, string> = t.header ? { 'x-k': t.header } : {};
  const applies = (p: AuthorizationPolicy) => {
    const ns = p.metadata.namespace!;
    return (p.spec?.targetRefs ?? []).some((r) => (r.kind === 'Gateway' ? ns === wpNs && r.name === 'wp' : r.kind === 'Service' && ns === wpNs && r.name === 'svc'));
  };
  const ruleMatches = (r: AuthzRule) =>
    (!r.from || r.from.some(({ source: s = {} }) =>
      field(s.namespaces, undefined, (v) => nsRegex(v, f.ns)) && field(s.principals, s.notPrincipals, (v) => f.principal !== '' && str(v, f.principal)) && field(s.ipBlocks, undefined, (c) => inCidr(c, t.srcIp)) && field(s.requestPrincipals, undefined, () => false))) &&
    (!r.to || r.to.some(({ operation: o = {} }) => field(o.ports, o.notPorts, (p) => Number(p) === t.port) && field(o.methods, undefined, (m) => m === t.method))) &&
    (r.when ?? []).every((w) =>
      w.key === 'destination.port' ? field(w.values, w.notValues, (p) => Number(p) === t.port) : w.key === 'source.namespace' ? field(w.values, w.notValues, (v) => nsRegex(v, f.ns)) : field(w.values, w.notValues, (v) => headers['x-k'] === v));
  const mine = ps.filter(applies);
  const matches = (p: AuthorizationPolicy) => (p.spec?.rules ?? []).some(ruleMatches);
  if (mine.some((p) => p.spec!.action === 'DENY' && matches(p))) return false;
  const allows = mine.filter((p) => p.spec!.action === 'ALLOW');
  return allows.length === 0 || allows.some(matches);
}

const compile = (ps: AuthorizationPolicy[]) => compileAuthz({ authorizationPolicies: ps, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });

describe('compiled engines agree with a direct reading of the reference', () => {
  it('ztunnel (§2.1, §3.1, §4)', () => {
    fc.assert(
      fc.property(policies, fc.array(traffic, { minLength: 1, maxLength: 5 }), (ps, ts) => {
        const idx = compile(ps);
        for (const t of ts) {
          const set = ztunnelPoliciesFor(idx, { namespace: t.workloadNs, labels: t.labels });
          const got = evaluateZtunnel(set, { srcIdentity: t.identity ? `spiffe://${TD}/ns/${t.identity.ns}/sa/${t.identity.sa}` : null, srcIp: t.srcIp, dstIp: '10.9.9.9', dstPort: t.port }, 'z').allowed;
          expect(got).toBe(directZtunnel(ps, t));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('waypoint HTTP chain (§2.2, §3)', () => {
    fc.assert(
      fc.property(policies, fc.array(traffic, { minLength: 1, maxLength: 5 }), pick(['a', 'b']), (ps, ts, wpNs) => {
        const idx = compile(ps);
        const set = waypointPoliciesFor(idx, { waypoint: { namespace: wpNs, name: 'wp' }, service: { kind: 'Service', namespace: wpNs, name: 'svc' } });
        for (const t of ts) {
          const got = evaluateWaypoint(
            set,
            { srcIdentity: t.identity ? `spiffe://${TD}/ns/${t.identity.ns}/sa/${t.identity.sa}` : null, srcIp: t.srcIp, dstIp: '10.96.0.1', dstPort: t.port, host: 'svc', method: t.method, path: '/', headers: t.header ? { 'x-k': t.header } : {}, protocol: 'http' },
            { at: 'w', nowMs: 0 },
          ).allowed;
          expect(got).toBe(directWaypoint(ps, t, wpNs));
        }
      }),
      { numRuns: 400 },
    );
  });
});
