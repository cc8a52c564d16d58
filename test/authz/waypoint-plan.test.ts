// The waypoint plan files HTTP rules under the exact methods they are limited to, one method list for
// DENY and ALLOW together: a rule limited to the request's method is found, one limited to other
// methods is skipped, unlimited rules stay, in order. Request facts are prepared when first read and
// are what Envoy's RBAC matches.
import { describe, expect, it } from 'vitest';
import { compileAuthz, waypointPoliciesFor } from '../../src/authz';
import { waypointFacts } from '../../src/authz/waypoint-eval';
import { methodSlot, type PlannedRule } from '../../src/authz/waypoint-plan';
import type { AuthzRule } from '../../src/k8s/types';
import { ap, id, req, ROOT, TD } from './fixtures';

const GW = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' };
const CTX = { waypoint: { namespace: 'ns', name: 'waypoint' } };
const op = (operation: object): AuthzRule => ({ to: [{ operation }] });
const wp = (name: string, action: 'ALLOW' | 'DENY', rules: AuthzRule[]) => ap(`ns/${name}`, { targetRefs: [GW], action, rules });

const POLICIES = [
  wp('a-deny-delete', 'DENY', [op({ methods: ['DELETE'] })]),
  wp('b-deny-path', 'DENY', [op({ paths: ['/blocked'] })]),
  wp('c-allow-read', 'ALLOW', [op({ methods: ['GET', 'HEAD'] }), op({ methods: ['POST'], paths: ['/form'] })]),
  wp('d-allow-not-put', 'ALLOW', [op({ notMethods: ['PUT'] })]),
];

describe('waypoint HTTP rules by method, one method list for DENY and ALLOW', () => {
  const idx = compileAuthz({ authorizationPolicies: POLICIES, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
  const { plan } = waypointPoliciesFor(idx, CTX);
  const listed = (rules: PlannedRule[]) => rules.map((r) => `${r.verdict.policy}#${r.verdict.rule}`);

  it('names every exact method a DENY or ALLOW rule is limited to', () => {
    expect([...plan.methods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
  });

  it.each<[string, string[], string[]]>([
    ['DELETE', ['ns/a-deny-delete#0', 'ns/b-deny-path#0'], ['ns/d-allow-not-put#0']],
    // Named by ALLOW rules only: DENY walks its unlimited rules.
    ['GET', ['ns/b-deny-path#0'], ['ns/c-allow-read#0', 'ns/d-allow-not-put#0']],
    ['HEAD', ['ns/b-deny-path#0'], ['ns/c-allow-read#0', 'ns/d-allow-not-put#0']],
    ['POST', ['ns/b-deny-path#0'], ['ns/c-allow-read#1', 'ns/d-allow-not-put#0']],
    // Named by no rule (and method names are case-sensitive).
    ['PUT', ['ns/b-deny-path#0'], ['ns/d-allow-not-put#0']],
    ['get', ['ns/b-deny-path#0'], ['ns/d-allow-not-put#0']],
  ])('%s walks DENY %j, then ALLOW %j', (method, deny, allow) => {
    const slot = methodSlot(plan, method);
    expect(listed(plan.denyHttp[slot]!)).toEqual(deny);
    expect(listed(plan.allowHttp[slot]!)).toEqual(allow);
  });

  it('a rule listed under its method no longer carries the method condition', () => {
    const [rule] = plan.allowHttp[methodSlot(plan, 'GET')]!;
    expect(rule!.first).toBeNull();
    expect(rule!.conds).toEqual([]);
  });
});

describe('request facts as the waypoint matches them', () => {
  const idx = compileAuthz({ authorizationPolicies: [], peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
  const set = waypointPoliciesFor(idx, CTX);
  it.each<[string, Parameters<typeof req>[0], Record<string, unknown>]>([
    ['the path without query or fragment', { path: '/api/items?page=1#top' }, { path: '/api/items' }],
    ['the authority lower-cased', { host: 'Svc.NS.svc.cluster.local:8080' }, { host: 'svc.ns.svc.cluster.local:8080' }],
    ['the identity taken apart', { srcIdentity: id('client', 'curl') }, { id: { uri: id('client', 'curl'), principal: `${TD}/ns/client/sa/curl`, trustDomain: TD, namespace: 'client', serviceAccount: 'curl' } }],
    ['no identity', { srcIdentity: null }, { id: null }],
    ['the original client address falls back to the peer', { srcIp: '10.0.0.5' }, { src: [0x0a000005], remote: [0x0a000005] }],
    ['an unparseable original client address falls back to the peer', { srcIp: '10.0.0.5', remoteIp: 'nope' }, { remote: [0x0a000005] }],
    ['the original client address', { srcIp: '10.0.0.5', remoteIp: '192.168.0.1' }, { remote: [0xc0a80001] }],
    ['the destination address, port, method and SNI', { dstIp: '10.96.0.10', dstPort: 80, method: 'PUT', sni: 'a.example' }, { dst: [0x0a60000a], port: 80, method: 'PUT', sni: 'a.example' }],
    ['no SNI', {}, { sni: '', auth: null }],
  ])('%s', (_n, over, want) => {
    const f = waypointFacts(set, req(over));
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, f[k as keyof typeof f]]));
    expect(got).toEqual(want);
  });
});
