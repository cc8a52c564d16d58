// A policy set remembers its verdicts per distinct request: a remembered answer must equal what a fresh
// evaluation gives, whatever fact of the request changed in between, and whatever proxy and source
// the call names. Every row warms one index with a request, then alternates it with a request that
// differs in one fact, comparing each answer with a freshly compiled index's.
import { describe, expect, it } from 'vitest';
import { compileAuthz, evaluateWaypoint, evaluateZtunnel, waypointPoliciesFor, ztunnelPoliciesFor } from '../../src/authz';
import type { AuthorizerProvider, WaypointDecision, WaypointRequest, ZtunnelConnection } from '../../src/authz';
import type { AuthorizationPolicy, AuthzRule } from '../../src/k8s/types';
import { ap, conn, id, req, ROOT, TD, WORKLOAD } from './fixtures';

const GW = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' };
const CTX = { waypoint: { namespace: 'ns', name: 'waypoint' }, service: { kind: 'Service' as const, namespace: 'ns', name: 'svc' } };
const providers: AuthorizerProvider[] = [{ name: 'ext', allowIfHeader: { name: 'x-ok', values: ['yes'] } }];

const compile = (policies: AuthorizationPolicy[]) =>
  compileAuthz({ authorizationPolicies: policies, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD, providers });
const onWaypoint = (rule: AuthzRule, action: 'ALLOW' | 'DENY' = 'ALLOW') => [ap('ns/p', { targetRefs: [GW], action, rules: [rule] })];
const json = (x: unknown) => JSON.stringify(x);

describe('waypoint: a remembered verdict is keyed by every fact the policies read', () => {
  it.each<[string, AuthzRule, Partial<WaypointRequest>, Partial<WaypointRequest>, boolean, boolean]>([
    ['a header', { when: [{ key: 'request.headers[X-Team]', values: ['a'] }] }, { headers: { 'x-team': 'a' } }, { headers: { 'x-team': 'b' } }, true, false],
    ['a header going missing', { when: [{ key: 'request.headers[x-team]', values: ['*'] }] }, { headers: { 'x-team': '' } }, { headers: {} }, true, false],
    ['the method', { to: [{ operation: { methods: ['GET'] } }] }, { method: 'GET' }, { method: 'POST' }, true, false],
    ['the path', { to: [{ operation: { paths: ['/ok'] } }] }, { path: '/ok' }, { path: '/no' }, true, false],
    ['only the query string', { to: [{ operation: { paths: ['/ok'] } }] }, { path: '/ok?a=1' }, { path: '/ok?a=2' }, true, true],
    ['a path template', { to: [{ operation: { paths: ['/api/{*}/items'] } }] }, { path: '/api/v1/items' }, { path: '/api/v1/x/items' }, true, false],
    ['the authority', { to: [{ operation: { hosts: ['svc.ns*'] } }] }, { host: 'SVC.ns.svc.cluster.local' }, { host: 'other' }, true, false],
    ['the SNI', { when: [{ key: 'connection.sni', values: ['a.example'] }] }, { sni: 'a.example' }, {}, true, false],
    ['the port', { to: [{ operation: { ports: ['8080'] } }] }, { dstPort: 8080 }, { dstPort: 9090 }, true, false],
    ['the peer address', { from: [{ source: { ipBlocks: ['10.0.0.0/24'] } }] }, { srcIp: '10.0.0.5' }, { srcIp: '10.0.1.5' }, true, false],
    ['the original client address', { from: [{ source: { remoteIpBlocks: ['192.168.0.0/16'] } }] }, { remoteIp: '192.168.1.1' }, {}, true, false],
    ['the destination address', { when: [{ key: 'destination.ip', values: ['10.96.0.0/16'] }] }, { dstIp: '10.96.0.10' }, { dstIp: '10.0.9.9' }, true, false],
    ['the peer identity', { from: [{ source: { principals: [`${TD}/ns/client/sa/curl`] } }] }, {}, { srcIdentity: id('client', 'other') }, true, false],
    ['no peer identity', { from: [{ source: { namespaces: ['client'] } }] }, {}, { srcIdentity: null }, true, false],
    ['the protocol (HTTP-only rules drop on TCP)', { to: [{ operation: { methods: ['GET'] } }] }, {}, { protocol: 'tcp' }, true, false],
  ])('%s', (_name, rule, base, changed, baseAllowed, changedAllowed) => {
    const policies = onWaypoint(rule);
    const warm = compile(policies);
    for (const [over, want] of [[base, baseAllowed], [changed, changedAllowed], [base, baseAllowed], [changed, changedAllowed]] as const) {
      const r = req(over);
      const got = evaluateWaypoint(waypointPoliciesFor(warm, CTX), r, { at: 'w', nowMs: 0 });
      const fresh = evaluateWaypoint(waypointPoliciesFor(compile(policies), CTX), r, { at: 'w', nowMs: 0 });
      expect(got.allowed).toBe(want);
      expect(json(got)).toBe(json(fresh));
    }
  });
});

describe('ztunnel: a remembered verdict is keyed by every fact the policies read', () => {
  const allow = (rule: AuthzRule) => [ap('ns/p', { rules: [rule] })];
  it.each<[string, AuthzRule, Partial<ZtunnelConnection>, Partial<ZtunnelConnection>, boolean, boolean]>([
    ['the peer identity', { from: [{ source: { namespaces: ['client'] } }] }, {}, { srcIdentity: id('other', 'x') }, true, false],
    ['no peer identity', { from: [{ source: { principals: ['*'] } }] }, {}, { srcIdentity: null }, true, false],
    ['the port', { to: [{ operation: { ports: ['8080'] } }] }, { dstPort: 8080 }, { dstPort: 9090 }, true, false],
    ['the peer address', { from: [{ source: { ipBlocks: ['10.0.0.0/24'] } }] }, { srcIp: '10.0.0.5' }, { srcIp: '10.0.1.5' }, true, false],
    ['the destination address', { when: [{ key: 'destination.ip', values: ['10.0.1.0/24'] }] }, { dstIp: '10.0.1.9' }, { dstIp: '10.0.2.9' }, true, false],
  ])('%s', (_name, rule, base, changed, baseAllowed, changedAllowed) => {
    const policies = allow(rule);
    const warm = compile(policies);
    for (const [over, want] of [[base, baseAllowed], [changed, changedAllowed], [base, baseAllowed], [changed, changedAllowed]] as const) {
      const c = conn(over);
      const got = evaluateZtunnel(ztunnelPoliciesFor(warm, WORKLOAD), c, 'z');
      const fresh = evaluateZtunnel(ztunnelPoliciesFor(compile(policies), WORKLOAD), c, 'z');
      expect(got.allowed).toBe(want);
      expect(json(got)).toBe(json(fresh));
    }
  });
});

describe('a remembered verdict names the proxy and the source of each call', () => {
  // The policy reads no identity: both sources share one verdict, but not one decision.
  const policies = onWaypoint({ to: [{ operation: { methods: ['GET'] } }] });

  it.each([
    ['another proxy', 'waypoint ns/b', id('client', 'curl')],
    ['another source', 'waypoint ns/a', id('other', 'x')],
    ['no source', 'waypoint ns/a', null],
  ])('%s', (_name, at, srcIdentity) => {
    const idx = compile(policies);
    const set = waypointPoliciesFor(idx, CTX);
    evaluateWaypoint(set, req(), { at: 'waypoint ns/a', nowMs: 0 });
    const d = evaluateWaypoint(set, req({ srcIdentity }), { at, nowMs: 0 });
    expect(d.decision).toEqual({ at, kind: 'authz', result: 'ALLOW', policy: 'ns/p', rule: 0, reason: 'allowed by: ns/p', sourceIdentity: srcIdentity });
    const z = ztunnelPoliciesFor(idx, WORKLOAD);
    evaluateZtunnel(z, conn(), 'ztunnel a');
    expect(evaluateZtunnel(z, conn({ srcIdentity }), at).decision).toMatchObject({ at, sourceIdentity: srcIdentity });
  });

  // A remembered answer is shared, and frozen so the change throws; with the fast paths off each call
  // builds its own. Either way no caller's change reaches another call's answer.
  it.each<[string, (d: WaypointDecision) => void]>([
    ['its decision', (d) => Object.assign(d.decision, { policy: 'changed', sourceIdentity: null })],
    ['its verdict', (d) => Object.assign(d, { allowed: false })],
    ['its shadow records', (d) => d.shadow.push(d.decision)],
  ])('a caller that changes %s changes no other call', (_n, change) => {
    const set = waypointPoliciesFor(compile(policies), CTX);
    const first = evaluateWaypoint(set, req(), { at: 'w', nowMs: 0 });
    const before = json(first);
    try {
      change(first);
    } catch (e) {
      expect(e).toBeInstanceOf(TypeError);
    }
    expect(json(evaluateWaypoint(set, req(), { at: 'w', nowMs: 0 }))).toBe(before);
  });
});

describe('sets whose records depend on more than the request are evaluated every time', () => {
  it.each<[string, AuthorizationPolicy[], Partial<WaypointRequest>, Partial<WaypointRequest>, (d: ReturnType<typeof evaluateWaypoint>) => unknown, unknown[]]>([
    ['AUDIT records each matching request', [ap('ns/au', { targetRefs: [GW], action: 'AUDIT', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })], {}, { method: 'POST' }, (d) => d.shadow.length, [1, 0, 1, 0]],
    ['dry-run records each matching request', [ap('ns/dr', { targetRefs: [GW], action: 'DENY', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] }, { 'istio.io/dry-run': 'true' })], {}, { method: 'POST' }, (d) => d.shadow.length, [1, 0, 1, 0]],
    ['a CUSTOM provider is consulted on each request', [ap('ns/c', { targetRefs: [GW], action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] })], { headers: { 'x-ok': 'yes' } }, {}, (d) => d.allowed, [true, false, true, false]],
  ])('%s', (_name, policies, base, changed, observe, want) => {
    const set = waypointPoliciesFor(compile(policies), CTX);
    const seen = [base, changed, base, changed].map((over) => observe(evaluateWaypoint(set, req(over), { at: 'w', nowMs: 0 })));
    expect(seen).toEqual(want);
  });
});
