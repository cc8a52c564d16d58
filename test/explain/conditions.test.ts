// Each condition of a rule is tested alone with the engines' own matchers and worded in policy
// terms; the verdicts must agree with what the engines decide for the whole policy.
import { describe, expect, it } from 'vitest';
import { compileAuthz, evaluateWaypoint, evaluateZtunnel, waypointPoliciesFor, ztunnelPoliciesFor } from '../../src/authz';
import { explainWaypointPolicies, explainZtunnelPolicies } from '../../src/authz/explain';
import type { AuthorizationPolicy, AuthzRule } from '../../src/k8s/types';

const CURL = 'spiffe://cluster.local/ns/finance/sa/curl';

function ap(name: string, rules: AuthzRule[], extra: Record<string, unknown> = {}): AuthorizationPolicy {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'accounts' }, spec: { action: 'ALLOW', rules, ...extra } } as AuthorizationPolicy;
}

function index(policies: AuthorizationPolicy[]) {
  return compileAuthz({ authorizationPolicies: policies, peerAuthentications: [], requestAuthentications: [], rootNamespace: 'istio-system', trustDomain: 'cluster.local' });
}

const conn = { srcIdentity: CURL, srcIp: '10.244.1.3', dstIp: '10.244.0.4', dstPort: 8080 };

describe('ztunnel conditions', () => {
  const rows: { id: string; rule: AuthzRule; texts: [string, boolean][] }[] = [
    { id: 'principals listed', rule: { from: [{ source: { principals: [CURL.slice(9)] } }] }, texts: [['source.principals [cluster.local/ns/finance/sa/curl] contains cluster.local/ns/finance/sa/curl', true]] },
    { id: 'notPrincipals prefix', rule: { from: [{ source: { notPrincipals: ['cluster.local/ns/finance/*'] } }] }, texts: [['source.notPrincipals [cluster.local/ns/finance/*] contains cluster.local/ns/finance/sa/curl', false]] },
    { id: 'namespaces', rule: { from: [{ source: { namespaces: ['accounts'] } }] }, texts: [['source.namespaces [accounts] does not contain finance', false]] },
    { id: 'ipBlocks CIDR', rule: { from: [{ source: { ipBlocks: ['10.244.1.0/24'] } }] }, texts: [['source.ipBlocks [10.244.1.0/24] contains 10.244.1.3', true]] },
    {
      id: 'principal and target port in one rule',
      rule: { from: [{ source: { principals: [CURL.slice(9)] } }], to: [{ operation: { ports: ['9090'] } }] },
      // In ztunnel's order: istiod converts `to` before `from`.
      texts: [
        ['operation.ports [9090] does not contain 8080', false],
        ['source.principals [cluster.local/ns/finance/sa/curl] contains cluster.local/ns/finance/sa/curl', true],
      ],
    },
  ];
  it.each(rows)('$id', ({ rule, texts }) => {
    const idx = index([ap('p', [rule])]);
    const set = ztunnelPoliciesFor(idx, { namespace: 'accounts', labels: {} });
    const [p] = explainZtunnelPolicies(set, conn);
    expect(p!.rules[0]!.conditions.map((c) => [c.text, c.holds])).toEqual(texts);
    const allHold = texts.every(([, h]) => h);
    expect(p!.matched).toBe(allHold);
    expect(evaluateZtunnel(set, conn, 'z').allowed).toBe(allHold);
  });

  it('an ALLOW rule with HTTP attributes is not sent to ztunnel, so it never shows as a rule there', () => {
    const idx = index([ap('p', [{ to: [{ operation: { methods: ['GET'] } }] }])]);
    const [p] = explainZtunnelPolicies(ztunnelPoliciesFor(idx, { namespace: 'accounts', labels: {} }), conn);
    expect(p!.rules).toEqual([]);
    expect(p!.matched).toBe(false);
  });
});

describe('waypoint conditions', () => {
  const req = { srcIdentity: CURL, srcIp: '10.244.1.3', dstIp: '10.96.0.10', dstPort: 8080, host: 'accounts:8080', method: 'DELETE', path: '/admin?x=1', headers: { 'x-user': 'bob' }, protocol: 'http' as const };
  const rows: { id: string; rule: AuthzRule; texts: [string, boolean][] }[] = [
    { id: 'path without its query', rule: { to: [{ operation: { paths: ['/admin'] } }] }, texts: [['operation.paths [/admin] contains /admin', true]] },
    { id: 'notMethods', rule: { to: [{ operation: { notMethods: ['DELETE'] } }] }, texts: [['operation.notMethods [DELETE] contains DELETE', false]] },
    { id: 'when header', rule: { when: [{ key: 'request.headers[x-user]', values: ['alice'] }] }, texts: [['when request.headers[x-user] [alice] does not contain bob', false]] },
    { id: 'when notValues', rule: { when: [{ key: 'request.headers[x-user]', notValues: ['bob'] }] }, texts: [['when request.headers[x-user] (notValues) [bob] contains bob', false]] },
  ];
  it.each(rows)('$id', ({ rule, texts }) => {
    const policy = ap('p', [rule], { targetRefs: [{ kind: 'Service', group: '', name: 'accounts' }] });
    const idx = index([policy]);
    const set = waypointPoliciesFor(idx, { waypoint: { namespace: 'accounts', name: 'waypoint' }, service: { kind: 'Service', namespace: 'accounts', name: 'accounts' } });
    const [p] = explainWaypointPolicies(set, req, { policies: [policy], trustDomain: 'cluster.local', nowMs: 0 });
    expect(p!.rules[0]!.conditions.map((c) => [c.text, c.holds])).toEqual(texts);
    const allHold = texts.every(([, h]) => h);
    expect(p!.matched).toBe(allHold);
    expect(evaluateWaypoint(set, req, { at: 'w', nowMs: 0 }).allowed).toBe(allHold);
  });

  it('on a TCP chain an ALLOW rule with HTTP attributes is dropped, and says so', () => {
    const policy = ap('p', [{ to: [{ operation: { methods: ['GET'] } }] }], { targetRefs: [{ kind: 'Service', group: '', name: 'accounts' }] });
    const idx = index([policy]);
    const set = waypointPoliciesFor(idx, { waypoint: { namespace: 'accounts', name: 'waypoint' }, service: { kind: 'Service', namespace: 'accounts', name: 'accounts' } });
    const [p] = explainWaypointPolicies(set, { ...req, protocol: 'tcp' }, { policies: [policy], trustDomain: 'cluster.local', nowMs: 0 });
    expect(p!.rules[0]!.inert).toBe('uses HTTP attributes: dropped on this TCP chain');
    expect(p!.matched).toBe(false);
  });
});
