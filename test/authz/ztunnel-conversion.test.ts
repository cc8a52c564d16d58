// authz.md §4: istiod's conversion of L7-bearing policies for ztunnel, with the status it writes.
import { describe, expect, it } from 'vitest';
import { compileAuthz, convertForZtunnel, evaluateZtunnel, ztunnelPoliciesFor } from '../../src/authz';
import type { AuthzRule } from '../../src/k8s/types';
import { ap, conn, id, ROOT, TD, WORKLOAD } from './fixtures';

const HTTP = 'ztunnel does not support HTTP attributes';
const ALLOW_TAIL = 'Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.';
const DENY_MIXED = 'DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.';
const DENY_NOOP =
  'After omitting unsupported HTTP attributes, this DENY policy has no enforceable rules at ztunnel and will have no effect. Deploy a waypoint proxy and use a targetRef to enforce this policy.';

function allowedAtZtunnel(action: 'ALLOW' | 'DENY', rules: AuthzRule[], c = conn()) {
  const idx = compileAuthz({ authorizationPolicies: [ap('ns/p', { action, rules })], peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
  return evaluateZtunnel(ztunnelPoliciesFor(idx, WORKLOAD), c, 'z').allowed;
}

const fromClient = { from: [{ source: { namespaces: ['client'] } }] };

describe('§4.2 ALLOW policy with L7', () => {
  it.each<[string, AuthzRule[], boolean]>([
    ['every rule has paths/methods -> policy matches nothing -> deny (TestAuthorizationL7)', [{ to: [{ operation: { paths: ['/'], methods: ['GET'] } }] }], false],
    ['L7 rule dropped, an L4 rule survives', [{ to: [{ operation: { methods: ['GET'] } }] }, fromClient], true],
    ['requestPrincipals make the rule L7', [{ from: [{ source: { namespaces: ['client'], requestPrincipals: ['*'] } }] }], false],
    ['remoteIpBlocks make the rule L7', [{ from: [{ source: { remoteIpBlocks: ['0.0.0.0/0'] } }] }], false],
    ['a request.headers when makes the rule L7', [{ ...fromClient, when: [{ key: 'request.headers[x]', values: ['a'] }] }], false],
    ['when source.serviceAccount is L7 for ztunnel', [{ when: [{ key: 'source.serviceAccount', values: ['client/curl'] }] }], false],
    ['when source.trustDomain is L7 for ztunnel', [{ when: [{ key: 'source.trustDomain', values: [TD] }] }], false],
    ['when connection.sni is L7 for ztunnel', [{ when: [{ key: 'connection.sni', values: ['x'] }] }], false],
    ['when source.namespace is L4', [{ when: [{ key: 'source.namespace', values: ['client'] }] }], true],
  ])('%s', (_n, rules, allowed) => {
    expect(allowedAtZtunnel('ALLOW', rules)).toBe(allowed);
  });

  it('status names the HTTP attributes found, sorted', () => {
    const s = convertForZtunnel(ap('ns/p', { rules: [{ to: [{ operation: { paths: ['/'], methods: ['GET'] } }], when: [{ key: 'request.auth.claims[group]', values: ['a'] }] }] }), ROOT);
    expect(s.status).toEqual({ reason: 'UnsupportedValue', message: `${HTTP} (found: methods, paths, request.auth.claims[group]). In ambient mode you must use a waypoint proxy to enforce HTTP rules. ${ALLOW_TAIL}` });
    expect(s.policy?.groups).toEqual([]);
  });
});

describe('§4.3 DENY policy with L7', () => {
  it.each<[string, AuthzRule[], ReturnType<typeof conn>, boolean]>([
    ['ports + methods in one entry -> denies the whole port', [{ to: [{ operation: { ports: ['8080'], methods: ['POST'] } }] }], conn(), false],
    ['ports + methods, other port unaffected', [{ to: [{ operation: { ports: ['8080'], methods: ['POST'] } }] }], conn({ dstPort: 9090 }), true],
    ['principals + requestPrincipals in one source -> denies the principal', [{ from: [{ source: { principals: [`${TD}/ns/client/sa/curl`], requestPrincipals: ['*'] } }] }], conn(), false],
    ['from.principals + to.methods -> no-op', [{ from: [{ source: { principals: [`${TD}/ns/client/sa/curl`] } }], to: [{ operation: { methods: ['GET'] } }] }], conn(), true],
    ['from.principals + when request.headers -> no-op', [{ from: [{ source: { principals: ['*'] } }], when: [{ key: 'request.headers[x]', values: ['1'] }] }], conn(), true],
    ['only the L7-only entry of a from list is dead', [{ from: [{ source: { requestPrincipals: ['*'] } }, { source: { namespaces: ['client'] } }] }], conn(), false],
    ['a methods-only DENY is a no-op', [{ to: [{ operation: { methods: ['GET'] } }] }], conn(), true],
  ])('%s', (_n, rules, c, allowed) => {
    expect(allowedAtZtunnel('DENY', rules, c)).toBe(allowed);
  });

  it.each<[string, AuthzRule[], string]>([
    ['mixed entry', [{ to: [{ operation: { ports: ['8080'], methods: ['POST'] } }] }], `${HTTP} (found: methods). In ambient mode you must use a waypoint proxy to enforce HTTP rules. ${DENY_MIXED}`],
    ['no enforceable rule', [{ to: [{ operation: { methods: ['GET'] } }] }], `${HTTP} (found: methods). In ambient mode you must use a waypoint proxy to enforce HTTP rules. ${DENY_NOOP}`],
  ])('status: %s', (_n, rules, message) => {
    expect(convertForZtunnel(ap('ns/p', { action: 'DENY', rules }), ROOT).status).toEqual({ reason: 'UnsupportedValue', message });
  });
});

describe('§4.4 silent gaps in the conversion', () => {
  const src = (source: object) => [{ from: [{ source }] }];
  it.each<[string, 'ALLOW' | 'DENY', AuthzRule[], string | null, boolean]>([
    ['trustDomains-only source: ALLOW rule dead', 'ALLOW', src({ trustDomains: [TD] }), id('client', 'curl'), false],
    ['trustDomains-only source: DENY rule is a no-op', 'DENY', src({ trustDomains: [TD] }), id('client', 'curl'), true],
    ['trustDomains + namespaces: the trust-domain constraint is lost (ALLOW broader)', 'ALLOW', src({ trustDomains: ['other.td'], namespaces: ['client'] }), id('client', 'curl'), true],
    ['unparseable ports are dropped per value', 'ALLOW', [{ to: [{ operation: { ports: ['http', '8080'] } }] }], id('client', 'curl'), true],
    ['unparseable ipBlocks are dropped per value', 'ALLOW', src({ ipBlocks: ['bogus', '10.0.0.0/8'] }), id('client', 'curl'), true],
  ])('%s', (_n, action, rules, identity, allowed) => {
    expect(allowedAtZtunnel(action, rules, conn({ srcIdentity: identity }))).toBe(allowed);
  });

  it('trustDomains produce no status message', () => {
    expect(convertForZtunnel(ap('ns/p', { rules: src({ trustDomains: [TD] }) }), ROOT).status).toBeNull();
  });
});

describe('§2.1 / §2.4 what istiod refuses to send', () => {
  it.each<[string, Parameters<typeof ap>, { reason: string; message: string }]>([
    ['CUSTOM', ['ns/p', { action: 'CUSTOM', provider: { name: 'x' }, rules: [{}] }], { reason: 'UnsupportedValue', message: 'ztunnel does not support the CUSTOM action' }],
    ['AUDIT', ['ns/p', { action: 'AUDIT', rules: [{}] }], { reason: 'UnsupportedValue', message: 'ztunnel does not support the AUDIT action' }],
    [
      'dry-run',
      ['ns/p', { action: 'DENY', rules: [{}] }, { 'istio.io/dry-run': 'true' }],
      { reason: 'UnsupportedValue', message: `found policy "ns/p" using dry-run annotation, but support for ambient dry-run authorizationPolicies isn't enabled` },
    ],
  ])('%s', (_n, args, status) => {
    const c = convertForZtunnel(ap(...args), ROOT);
    expect(c.policy).toBeNull();
    expect(c.status).toEqual(status);
  });

  it('with AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY the dry-run DENY is logged, not enforced', () => {
    const idx = compileAuthz({
      authorizationPolicies: [ap('ns/p', { action: 'DENY', rules: [{}] }, { 'istio.io/dry-run': 'true' })],
      peerAuthentications: [],
      requestAuthentications: [],
      rootNamespace: ROOT,
      trustDomain: TD,
      features: { ambientDryRun: true },
    });
    const d = evaluateZtunnel(ztunnelPoliciesFor(idx, WORKLOAD), conn(), 'z');
    expect(d.allowed).toBe(true);
    expect(d.shadow).toEqual([expect.objectContaining({ result: 'DENY', policy: 'ns/p', detail: { dryRun: true } })]);
  });
});
