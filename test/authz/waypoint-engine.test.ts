// authz.md §2.2 (filter order), §2.4 (dry run), §3.4-3.5 (fields and when keys at Envoy), §4.5 (TCP chains), §4.6.
import { describe, expect, it } from 'vitest';
import { compileAuthz, evaluateWaypoint, waypointPoliciesFor } from '../../src/authz';
import type { AuthorizerProvider, WaypointRequest } from '../../src/authz';
import type { AuthorizationPolicy, AuthzRule } from '../../src/k8s/types';
import { ap, id, req, ROOT, TD } from './fixtures';

const GW = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' };
const CTX = { waypoint: { namespace: 'ns', name: 'waypoint' }, service: { kind: 'Service' as const, namespace: 'ns', name: 'svc' } };
const providers: AuthorizerProvider[] = [{ name: 'ext', allowIfHeader: { name: 'x-ok', values: ['yes'] } }, { name: 'blocker', denyIfHeader: { name: 'x-bad', values: ['1'] }, deniedStatus: 401, deniedBody: 'nope' }];

function run(policies: AuthorizationPolicy[], r: WaypointRequest, trustDomain = TD) {
  const idx = compileAuthz({ authorizationPolicies: policies, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain, providers });
  return evaluateWaypoint(waypointPoliciesFor(idx, CTX), r, { at: 'waypoint ns/waypoint', nowMs: 0 });
}
const wp = (name: string, action: NonNullable<AuthorizationPolicy["spec"]>["action"], rules: AuthzRule[], extra: object = {}, annotations?: Record<string, string>) =>
  ap(`ns/${name}`, { targetRefs: [GW], action, rules, ...extra }, annotations);

describe('§2.2 waypoint filter order', () => {
  it.each<[string, AuthorizationPolicy[], WaypointRequest, { allowed: boolean; status?: number; body?: string; policy: string | null }]>([
    ['no policies -> pass', [], req(), { allowed: true, policy: null }],
    ['DENY match -> 403 RBAC: access denied', [wp('d', 'DENY', [{ to: [{ operation: { methods: ['POST'] } }] }])], req({ method: 'POST' }), { allowed: false, status: 403, body: 'RBAC: access denied', policy: 'ns/d' }],
    ['DENY beats ALLOW', [wp('a', 'ALLOW', [{}]), wp('d', 'DENY', [{}])], req(), { allowed: false, status: 403, policy: 'ns/d' }],
    ['ALLOW exists, none matches -> 403', [wp('a', 'ALLOW', [{ to: [{ operation: { paths: ['/ok'] } }] }])], req({ path: '/no' }), { allowed: false, status: 403, policy: null }],
    ['ALLOW with rules omitted -> match never -> 403', [wp('a', 'ALLOW', [])], req(), { allowed: false, status: 403, policy: null }],
    ['ALLOW match -> pass', [wp('a', 'ALLOW', [{ to: [{ operation: { paths: ['/ok'] } }] }])], req({ path: '/ok?x=1' }), { allowed: true, policy: 'ns/a' }],
    ['AUDIT never changes the result', [wp('au', 'AUDIT', [{}])], req(), { allowed: true, policy: null }],
    ['CUSTOM provider denies before DENY/ALLOW', [wp('c', 'CUSTOM', [{}], { provider: { name: 'ext' } }), wp('a', 'ALLOW', [{}])], req(), { allowed: false, status: 403, policy: 'ns/c' }],
    ['CUSTOM provider allows, then ALLOW decides', [wp('c', 'CUSTOM', [{}], { provider: { name: 'ext' } }), wp('a', 'ALLOW', [{}])], req({ headers: { 'x-ok': 'yes' } }), { allowed: true, policy: 'ns/a' }],
    ['CUSTOM provider consulted only when its rule matches', [wp('c', 'CUSTOM', [{ to: [{ operation: { paths: ['/admin*'] } }] }], { provider: { name: 'ext' } })], req({ path: '/public' }), { allowed: true, policy: null }],
    ['CUSTOM provider status and body', [wp('c', 'CUSTOM', [{}], { provider: { name: 'blocker' } })], req({ headers: { 'x-bad': '1' } }), { allowed: false, status: 401, body: 'nope', policy: 'ns/c' }],
    // istiod (authz builder, getBadCustomDenyRules): a CUSTOM policy whose provider the mesh does not
    // define becomes a DENY of its own rules, not of everything.
    ['CUSTOM naming an unknown provider denies what its rules match', [wp('c', 'CUSTOM', [{ to: [{ operation: { paths: ['/x'] } }] }], { provider: { name: 'missing' } })], req({ path: '/x' }), { allowed: false, status: 403, body: 'RBAC: access denied', policy: 'ns/c' }],
    ['CUSTOM naming an unknown provider lets the rest through', [wp('c', 'CUSTOM', [{ to: [{ operation: { paths: ['/x'] } }] }], { provider: { name: 'missing' } })], req({ path: '/y' }), { allowed: true, policy: null }],
  ])('%s', (_n, policies, r, want) => {
    const d = run(policies, r);
    expect(d.allowed).toBe(want.allowed);
    expect(d.decision.policy).toBe(want.policy);
    if (want.status) expect(d.outcome).toMatchObject({ kind: 'http', status: want.status, ...(want.body !== undefined ? { body: want.body } : {}) });
    else expect(d.outcome).toEqual({ kind: 'pass' });
  });

  it('AUDIT matches are recorded as shadow decisions', () => {
    expect(run([wp('au', 'AUDIT', [{}])], req()).shadow).toEqual([expect.objectContaining({ result: 'AUDIT', policy: 'ns/au', rule: 0 })]);
  });
});

describe('§2.4 dry run at the waypoint', () => {
  it.each<[string, AuthorizationPolicy[], boolean, string]>([
    ['dry-run DENY is recorded, not enforced', [wp('d', 'DENY', [{}], {}, { 'istio.io/dry-run': 'true' })], true, 'DENY'],
    ['dry-run ALLOW does not create default-deny', [wp('a', 'ALLOW', [{}], {}, { 'istio.io/dry-run': 'true' })], true, 'ALLOW'],
  ])('%s', (_n, policies, allowed, shadowResult) => {
    const d = run(policies, req());
    expect(d.allowed).toBe(allowed);
    expect(d.shadow).toEqual([expect.objectContaining({ result: shadowResult, detail: { dryRun: true } })]);
  });

  it('an unparseable dry-run value counts as false (enforced)', () => {
    expect(run([wp('d', 'DENY', [{}], {}, { 'istio.io/dry-run': 'maybe' })], req()).allowed).toBe(false);
  });
});

describe('§3.4 source and operation fields at the waypoint', () => {
  const r = req({ srcIdentity: id('client', 'curl'), srcIp: '10.0.0.5', remoteIp: '203.0.113.7', host: 'Svc.NS:8080', method: 'GET', path: '/api/v1/items?x=1', dstPort: 8080 });
  it.each<[string, AuthzRule, boolean]>([
    ['principals (spiffe:// prepended by Envoy)', { from: [{ source: { principals: [`${TD}/ns/client/sa/curl`] } }] }, true],
    ['principals suffix', { from: [{ source: { principals: ['*/sa/curl'] } }] }, true],
    ['notPrincipals', { from: [{ source: { notPrincipals: ['*/sa/curl'] } }] }, false],
    ['namespaces regex with middle wildcard', { from: [{ source: { namespaces: ['cl*nt'] } }] }, true],
    ['serviceAccounts', { from: [{ source: { serviceAccounts: ['client/curl'] } }] }, true],
    ['trustDomains enforced at the waypoint', { from: [{ source: { trustDomains: ['other.td'] } } as never] }, false],
    ['trustDomains match', { from: [{ source: { trustDomains: [TD] } } as never] }, true],
    ['ipBlocks use the direct peer IP', { from: [{ source: { ipBlocks: ['10.0.0.0/24'] } }] }, true],
    ['remoteIpBlocks use the original client IP', { from: [{ source: { remoteIpBlocks: ['203.0.113.0/24'] } }] }, true],
    ['remoteIpBlocks miss', { from: [{ source: { remoteIpBlocks: ['10.0.0.0/24'] } }] }, false],
    ['hosts are case-insensitive, port included', { to: [{ operation: { hosts: ['svc.ns:8080'] } }] }, true],
    ['hosts without port do not match host:port', { to: [{ operation: { hosts: ['svc.ns'] } }] }, false],
    ['methods are case-sensitive', { to: [{ operation: { methods: ['get'] } }] }, false],
    ['paths ignore the query string', { to: [{ operation: { paths: ['/api/v1/items'] } }] }, true],
    ['path template {*}', { to: [{ operation: { paths: ['/api/{*}/items'] } }] }, true],
    ['notPaths', { to: [{ operation: { notPaths: ['/api/*'] } }] }, false],
    ['ports are the port the waypoint sees', { to: [{ operation: { ports: ['8080'] } }] }, true],
    ['requestPrincipals need a token', { from: [{ source: { requestPrincipals: ['*'] } }] }, false],
    ['notRequestPrincipals ["*"] matches tokenless requests', { from: [{ source: { notRequestPrincipals: ['*'] } }] }, true],
  ])('%s', (_n, rule, allowed) => {
    expect(run([wp('a', 'ALLOW', [rule])], r).allowed).toBe(allowed);
  });

  it.each<[string, string, string, boolean]>([
    ['cluster.local in a policy means the mesh trust domain', 'example.org', 'cluster.local/ns/client/sa/curl', true],
    ['the mesh trust domain itself', 'example.org', 'example.org/ns/client/sa/curl', true],
    ['another trust domain stays literal', 'example.org', 'other.org/ns/client/sa/curl', false],
  ])('trust domain rewrite (bundle.go): %s', (_n, meshTd, principal, allowed) => {
    const d = run([wp('a', 'ALLOW', [{ from: [{ source: { principals: [principal] } }] }])], req({ srcIdentity: id('client', 'curl', meshTd) }), meshTd);
    expect(d.allowed).toBe(allowed);
  });
});

describe('§3.5 when keys at the waypoint', () => {
  const r = req({ srcIdentity: id('client', 'curl'), srcIp: '10.0.0.5', remoteIp: '203.0.113.7', dstIp: '10.96.0.10', dstPort: 8080, headers: { 'x-user': 'alice', 'x-empty': '' }, sni: 'svc.example.com' });
  it.each<[string, { key: string; values?: string[]; notValues?: string[] }, boolean]>([
    ['source.ip', { key: 'source.ip', values: ['10.0.0.5'] }, true],
    ['remote.ip', { key: 'remote.ip', values: ['203.0.113.7'] }, true],
    ['source.namespace', { key: 'source.namespace', values: ['client'] }, true],
    ['source.principal', { key: 'source.principal', values: [`${TD}/ns/client/sa/curl`] }, true],
    ['source.serviceAccount', { key: 'source.serviceAccount', values: ['client/curl'] }, true],
    ['source.trustDomain', { key: 'source.trustDomain', values: [TD] }, true],
    ['destination.ip', { key: 'destination.ip', values: ['10.96.0.0/16'] }, true],
    ['destination.port', { key: 'destination.port', notValues: ['8080'] }, false],
    ['connection.sni', { key: 'connection.sni', values: ['*.example.com'] }, true],
    ['request.headers exact', { key: 'request.headers[X-User]', values: ['alice'] }, true],
    ['request.headers prefix', { key: 'request.headers[x-user]', values: ['al*'] }, true],
    ['request.headers presence matches an empty value', { key: 'request.headers[x-empty]', values: ['*'] }, true],
    ['request.headers on an absent header', { key: 'request.headers[x-missing]', values: ['*'] }, false],
    ['notValues also matches when the header is absent', { key: 'request.headers[x-missing]', notValues: ['bob'] }, true],
    ['notValues on a present matching header', { key: 'request.headers[x-user]', notValues: ['alice'] }, false],
    ['request.auth.principal without a token', { key: 'request.auth.principal', values: ['*'] }, false],
    ['request.auth.claims without a token', { key: 'request.auth.claims[group]', values: ['a'] }, false],
    ['experimental.envoy.filters.* (no metadata in the simulation)', { key: 'experimental.envoy.filters.x[y]', values: ['z'] }, false],
  ])('%s', (_n, cond, allowed) => {
    expect(run([wp('a', 'ALLOW', [{ when: [cond] }])], r).allowed).toBe(allowed);
  });
});

describe('§4.5 TCP chains at the waypoint', () => {
  const tcp = req({ protocol: 'tcp', method: '', path: '', host: '' });
  it.each<[string, AuthorizationPolicy, boolean]>([
    ['HTTP-only DENY denies all TCP traffic in scope', wp('d', 'DENY', [{ to: [{ operation: { methods: ['POST'] } }] }]), false],
    ['DENY drops only the HTTP field: ports still constrain', wp('d', 'DENY', [{ to: [{ operation: { ports: ['9090'], methods: ['POST'] } }] }]), true],
    ['DENY with a request.headers when on TCP -> match any', wp('d', 'DENY', [{ from: [{ source: { namespaces: ['client'] } }], when: [{ key: 'request.headers[x]', values: ['1'] }] }]), false],
    ['ALLOW rule with an HTTP field is skipped -> deny', wp('a', 'ALLOW', [{ to: [{ operation: { paths: ['/'] } }] }]), false],
    ['ALLOW with an L4 rule beside it', wp('a', 'ALLOW', [{ to: [{ operation: { paths: ['/'] } }] }, { from: [{ source: { namespaces: ['client'] } }] }]), true],
  ])('%s', (_n, policy, allowed) => {
    const d = run([policy], tcp);
    expect(d.allowed).toBe(allowed);
    expect(d.outcome).toEqual(allowed ? { kind: 'pass' } : { kind: 'close' });
  });

  it('the same HTTP-only DENY over HTTP only denies the matching method (contrast)', () => {
    const p = wp('d', 'DENY', [{ to: [{ operation: { methods: ['POST'] } }] }]);
    expect(run([p], req({ method: 'GET' })).allowed).toBe(true);
    expect(run([p], req({ method: 'POST' })).allowed).toBe(false);
  });
});
