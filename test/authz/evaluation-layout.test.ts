// The layouts the engines walk per request (waypoint-plan.ts, the flattened ztunnel groups, shared
// ztunnel policy lists, char-loop string tests) decide exactly what a plain walk of the policies does:
// the same policy, the same rule, in key order.
import { describe, expect, it } from 'vitest';
import { compileAuthz, evaluateWaypoint, evaluateZtunnel, waypointPoliciesFor, ztunnelPoliciesFor } from '../../src/authz';
import type { WaypointPolicySet } from '../../src/authz';
import { hasPrefix, hasSuffix, intern } from '../../src/authz/strings';
import { firstMatch, type WpFacts } from '../../src/authz/waypoint-compile';
import { waypointFacts } from '../../src/authz/waypoint-eval';
import type { AuthorizationPolicy, AuthzRule } from '../../src/k8s/types';
import { ap, conn, id, req, ROOT, TD } from './fixtures';

const GW = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' };
const CTX = { waypoint: { namespace: 'ns', name: 'waypoint' }, service: { kind: 'Service' as const, namespace: 'ns', name: 'svc' } };
const wp = (name: string, action: 'ALLOW' | 'DENY', rules: AuthzRule[]) => ap(`ns/${name}`, { targetRefs: [GW], action, rules });
const op = (operation: object): AuthzRule => ({ to: [{ operation }] });

/** DENY then ALLOW, each the first matching rule of the first matching policy in key order. */
function plainWalk(set: WaypointPolicySet, f: WpFacts, tcp: boolean): { policy: string | null; rule: number | null } {
  for (const list of [set.deny, set.allow]) {
    for (const p of list) {
      const rule = firstMatch(tcp ? p.tcp : p.http, f);
      if (rule >= 0) return { policy: p.key, rule };
    }
  }
  return { policy: null, rule: null };
}

const POLICIES: AuthorizationPolicy[] = [
  wp('a-deny-delete', 'DENY', [op({ methods: ['DELETE'], paths: ['/admin*'] })]),
  wp('b-deny-any', 'DENY', [op({ paths: ['/blocked'] })]),
  wp('c-allow-get', 'ALLOW', [op({ methods: ['GET'], paths: ['/api/*'] }), op({ methods: ['GET', 'HEAD'] })]),
  wp('d-allow-post', 'ALLOW', [op({ methods: ['POST'] }), { when: [{ key: 'request.headers[x-team]', values: ['blue'] }] }]),
  wp('e-allow-not-put', 'ALLOW', [op({ notMethods: ['PUT'], paths: ['/open'] })]),
  wp('f-allow-prefix-method', 'ALLOW', [op({ methods: ['PATC*'] })]),
];

describe('waypoint: the method-indexed plan decides as a plain walk of the policies', () => {
  const idx = compileAuthz({ authorizationPolicies: POLICIES, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
  const set = { ...waypointPoliciesFor(idx, CTX), memo: null };
  it.each<[string, Partial<Parameters<typeof req>[0]>, string | null, number | null]>([
    ['GET /api/x: first rule of the GET policy', { method: 'GET', path: '/api/x' }, 'ns/c-allow-get', 0],
    ['HEAD /: second rule of the GET policy', { method: 'HEAD', path: '/' }, 'ns/c-allow-get', 1],
    ['DELETE /admin/1: method-limited DENY', { method: 'DELETE', path: '/admin/1' }, 'ns/a-deny-delete', 0],
    ['DELETE /blocked: DENY without a method', { method: 'DELETE', path: '/blocked' }, 'ns/b-deny-any', 0],
    ['GET /blocked: DENY without a method beats ALLOW', { method: 'GET', path: '/blocked' }, 'ns/b-deny-any', 0],
    ['POST /x: first rule of the POST policy', { method: 'POST', path: '/x' }, 'ns/d-allow-post', 0],
    ['OPTIONS with the header: second rule of the POST policy', { method: 'OPTIONS', headers: { 'x-team': 'blue' } }, 'ns/d-allow-post', 1],
    ['lower-case get is another method', { method: 'get', path: '/api/x' }, null, null],
    ['notMethods is not indexed', { method: 'GET', path: '/open' }, 'ns/c-allow-get', 1],
    ['DELETE /open through notMethods', { method: 'DELETE', path: '/open' }, 'ns/e-allow-not-put', 0],
    ['PUT /open: none allows', { method: 'PUT', path: '/open' }, null, null],
    ['a prefix method is not indexed', { method: 'PATCH', path: '/' }, 'ns/f-allow-prefix-method', 0],
  ])('%s', (_n, over, policy, rule) => {
    const r = req(over);
    const d = evaluateWaypoint(set, r, { at: 'w', nowMs: 0 });
    expect({ policy: d.decision.policy, rule: d.decision.rule }).toEqual({ policy, rule });
    expect({ policy: d.decision.policy, rule: d.decision.rule }).toEqual(plainWalk(set, waypointFacts(set, r), false));
  });

  it('a TCP chain walks its own rules', () => {
    const r = req({ protocol: 'tcp', path: '/blocked' });
    const d = evaluateWaypoint(set, r, { at: 'w', nowMs: 0 });
    expect(d.outcome).toEqual({ kind: 'close' });
    expect({ policy: d.decision.policy, rule: d.decision.rule }).toEqual(plainWalk(set, waypointFacts(set, r), true));
  });

  it('services behind one waypoint with the same policies share one plan', () => {
    const other = waypointPoliciesFor(idx, { ...CTX, service: { ...CTX.service, name: 'other' } });
    expect(other).not.toBe(waypointPoliciesFor(idx, CTX));
    expect(other.plan).toBe(set.plan);
  });
});

describe('ztunnel: shared policy lists and flattened groups', () => {
  const policies = [
    ap('ns/allow-two-sources', { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['a'] } }, { source: { principals: [`${TD}/ns/b/sa/*`] } }], to: [{ operation: { ports: ['8080'] } }] }] }),
    ap('ns/deny-legacy', { action: 'DENY', rules: [{ from: [{ source: { principals: ['*/sa/legacy'] } }] }] }),
  ];
  const idx = compileAuthz({ authorizationPolicies: policies, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
  const w1 = { namespace: 'ns', labels: { app: 'one' } };
  const w2 = { namespace: 'ns', labels: { app: 'two' } };

  it.each<[string, Partial<Parameters<typeof conn>[0]>, boolean, string | null]>([
    ['first source entry, allowed port', { srcIdentity: id('a', 'x') }, true, 'ns/allow-two-sources'],
    ['second source entry (principal prefix)', { srcIdentity: id('b', 'y') }, true, 'ns/allow-two-sources'],
    ['a source entry, another port', { srcIdentity: id('a', 'x'), dstPort: 9090 }, false, null],
    ['no source entry', { srcIdentity: id('c', 'x') }, false, null],
    ['principal suffix denies', { srcIdentity: id('a', 'legacy') }, false, 'ns/deny-legacy'],
    ['no identity', { srcIdentity: null }, false, null],
  ])('%s', (_n, over, allowed, policy) => {
    for (const w of [w1, w2]) {
      const d = evaluateZtunnel({ ...ztunnelPoliciesFor(idx, w), memo: null }, conn(over), 'z');
      expect({ allowed: d.allowed, policy: d.decision.policy }).toEqual({ allowed, policy });
    }
  });

  it('workloads with the same policies share the lists, each with a memo of its own', () => {
    const s1 = ztunnelPoliciesFor(idx, w1);
    const s2 = ztunnelPoliciesFor(idx, w2);
    expect(s2).not.toBe(s1);
    expect(s2.allow).toBe(s1.allow);
    expect(s2.deny).toBe(s1.deny);
    // (With the fast paths off there is no memo at all.)
    expect(s2.memo === null || s2.memo !== s1.memo).toBe(true);
  });
});

describe('string tests without the builtins', () => {
  it.each([
    ['cluster.local/ns/a/sa/x', 'cluster.local/ns/'],
    ['cluster.local/ns/a/sa/x', 'cluster.local/ns/b'],
    ['/api/v1/items', '/api/v1/'],
    ['/api', '/api/v1/'],
    ['', ''],
    ['abc', ''],
    ['abc', 'abc'],
    ['svc.ns.svc.cluster.local', '.cluster.local'],
    ['local', '.cluster.local'],
  ])('%j against %j agrees with startsWith and endsWith', (s, p) => {
    expect(hasPrefix(s, p)).toBe(s.startsWith(p));
    expect(hasSuffix(s, p)).toBe(s.endsWith(p));
  });

  it.each(['GET', '8080', '0', 'x-team', ''])('intern(%j) is the same string', (s) => {
    expect(intern(s)).toBe(s);
  });
});
