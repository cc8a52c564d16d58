// authz.md §2.1 (assert_rbac order), §2.3 (rules list semantics), §3.1 (boolean structure), §3.3-3.4 at ztunnel.
import { describe, expect, it } from 'vitest';
import { compileAuthz, evaluateZtunnel, ztunnelPoliciesFor } from '../../src/authz';
import type { AuthorizationPolicy } from '../../src/k8s/types';
import { ap, conn, id, ROOT, TD, WORKLOAD } from './fixtures';
import type { ZtunnelConnection } from '../../src/authz';

function decide(policies: AuthorizationPolicy[], c: ZtunnelConnection = conn()) {
  const idx = compileAuthz({ authorizationPolicies: policies, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
  return evaluateZtunnel(ztunnelPoliciesFor(idx, WORKLOAD), c, 'ztunnel-node-1');
}

const allowFrom = (name: string, source: object) => ap(`ns/${name}`, { action: 'ALLOW', rules: [{ from: [{ source }] }] });
const denyFrom = (name: string, source: object) => ap(`ns/${name}`, { action: 'DENY', rules: [{ from: [{ source }] }] });

describe('§2.1 ztunnel evaluation order', () => {
  it.each<[string, AuthorizationPolicy[], boolean, string | null, string]>([
    ['no policies -> allow', [], true, null, 'no allow policies'],
    ['matching DENY -> explicitly denied', [denyFrom('d', { namespaces: ['client'] })], false, 'ns/d', 'explicitly denied by: ns/d'],
    ['DENY wins over a matching ALLOW', [allowFrom('a', { namespaces: ['client'] }), denyFrom('d', { namespaces: ['client'] })], false, 'ns/d', 'explicitly denied by: ns/d'],
    ['non-matching DENY, no ALLOW -> allow', [denyFrom('d', { namespaces: ['other'] })], true, null, 'no allow policies'],
    ['matching ALLOW -> allow', [allowFrom('a', { namespaces: ['client'] })], true, 'ns/a', 'allowed by: ns/a'],
    ['ALLOW exists, none match -> deny', [allowFrom('a', { namespaces: ['other'] })], false, null, 'allow policies exist, but none allowed'],
    ['any of several ALLOW suffices', [allowFrom('a', { namespaces: ['other'] }), allowFrom('b', { principals: [`${TD}/ns/client/sa/curl`] })], true, 'ns/b', 'allowed by: ns/b'],
    ['CUSTOM with a selector has no effect', [ap('ns/c', { action: 'CUSTOM', provider: { name: 'x' }, rules: [{}] })], true, null, 'no allow policies'],
    ['AUDIT has no effect', [ap('ns/c', { action: 'AUDIT', rules: [{}] })], true, null, 'no allow policies'],
    ['dry-run DENY is not sent to ztunnel', [ap('ns/d', { action: 'DENY', rules: [{}] }, { 'istio.io/dry-run': 'true' })], true, null, 'no allow policies'],
    ['dry-run ALLOW is not sent either (no default deny)', [ap('ns/a', { action: 'ALLOW', rules: [] }, { 'istio.io/dry-run': 'true' })], true, null, 'no allow policies'],
    ['a targetRef policy never reaches ztunnel', [ap('ns/t', { action: 'DENY', targetRefs: [{ kind: 'Service', group: '', name: 'svc' }], rules: [{}] })], true, null, 'no allow policies'],
  ])('%s', (_name, policies, allowed, policy, reason) => {
    const d = decide(policies);
    expect(d.allowed).toBe(allowed);
    expect(d.decision).toMatchObject({ kind: 'authz', result: allowed ? 'ALLOW' : 'DENY', policy, reason, sourceIdentity: id('client', 'curl'), at: 'ztunnel-node-1' });
  });
});

describe('§2.3 rules list semantics at ztunnel', () => {
  it.each<[string, AuthorizationPolicy, boolean]>([
    ['ALLOW with rules omitted (spec: {}) matches nothing -> deny', ap('ns/a', {}), false],
    ['ALLOW with rules: [{}] matches everything', ap('ns/a', { rules: [{}] }), true],
    ['DENY with rules: [{}] denies everything', ap('ns/d', { action: 'DENY', rules: [{}] }), false],
  ])('%s', (_n, policy, allowed) => {
    expect(decide([policy]).allowed).toBe(allowed);
  });

  it('the reported rule is the index in the policy, counting dropped rules', () => {
    const p = ap('ns/a', { rules: [{ to: [{ operation: { methods: ['GET'] } }] }, { from: [{ source: { namespaces: ['client'] } }] }] });
    expect(decide([p]).decision).toMatchObject({ policy: 'ns/a', rule: 1 });
  });
});

describe('§3.1 boolean structure at ztunnel', () => {
  const c = conn({ srcIdentity: id('client', 'curl'), srcIp: '10.0.0.5', dstPort: 8080 });
  it.each<[string, object, boolean]>([
    ['from entries are OR-ed', { from: [{ source: { namespaces: ['x'] } }, { source: { namespaces: ['client'] } }] }, true],
    ['fields inside a source are AND-ed', { from: [{ source: { namespaces: ['client'], ipBlocks: ['192.168.0.0/16'] } }] }, false],
    ['positive AND negative on one field', { from: [{ source: { namespaces: ['client', 'x'], notNamespaces: ['client'] } }] }, false],
    ['from AND to', { from: [{ source: { namespaces: ['client'] } }], to: [{ operation: { ports: ['9090'] } }] }, false],
    ['to entries are OR-ed', { to: [{ operation: { ports: ['9090'] } }, { operation: { ports: ['8080'] } }] }, true],
    ['notPorts', { to: [{ operation: { notPorts: ['8080'] } }] }, false],
    ['each when clause is AND-ed', { when: [{ key: 'source.namespace', values: ['client'] }, { key: 'destination.port', values: ['9090'] }] }, false],
    ['when values ANY-of', { when: [{ key: 'destination.port', values: ['1', '8080'] }] }, true],
    ['when notValues NONE-of', { when: [{ key: 'source.ip', notValues: ['10.0.0.0/24'] }] }, false],
    ['destination.ip when', { when: [{ key: 'destination.ip', values: ['10.0.1.0/24'] }] }, true],
    ['source.principal when', { when: [{ key: 'source.principal', values: ['*/sa/curl'] }] }, true],
  ])('%s', (_n, rule, allowed) => {
    expect(decide([ap('ns/a', { rules: [rule] })], c).allowed).toBe(allowed);
  });
});

describe('§3.3 principals and identities at ztunnel', () => {
  it.each<[string, object, string | null, boolean]>([
    ['principal without spiffe:// matches', { principals: [`${TD}/ns/client/sa/curl`] }, id('client', 'curl'), true],
    ['principal written with spiffe:// never matches', { principals: [`spiffe://${TD}/ns/client/sa/curl`] }, id('client', 'curl'), false],
    ['plaintext never matches a positive principal', { principals: ['*'] }, null, false],
    ['plaintext never matches namespaces', { namespaces: ['*'] }, null, false],
    ['plaintext never matches serviceAccounts', { serviceAccounts: ['client/curl'] }, null, false],
    ['plaintext matches ipBlocks-only rules', { ipBlocks: ['10.0.0.0/8'] }, null, true],
    ['serviceAccounts ignore the trust domain', { serviceAccounts: ['client/curl'] }, id('client', 'curl', 'other.td'), true],
    ['a bare serviceAccount means the policy namespace', { serviceAccounts: ['curl'] }, id('client', 'curl'), false],
    ['a bare serviceAccount matches in the policy namespace', { serviceAccounts: ['curl'] }, id('ns', 'curl'), true],
    ['no trust-domain alias expansion at ztunnel', { principals: ['cluster.local/ns/client/sa/curl'] }, id('client', 'curl', 'example.org'), false],
    ['suffix principal', { principals: ['*/sa/curl'] }, id('client', 'curl'), true],
    ['prefix namespace', { namespaces: ['cli*'] }, id('client', 'curl'), true],
  ])('%s', (_n, source, identity, allowed) => {
    expect(decide([allowFrom('a', source)], conn({ srcIdentity: identity })).allowed).toBe(allowed);
  });

  it.each<[string, object, boolean]>([
    ['notPrincipals ["*"] in a DENY matches exactly plaintext', { notPrincipals: ['*'] }, false],
    ['notNamespaces ["*"] in a DENY matches exactly plaintext', { notNamespaces: ['*'] }, false],
  ])('%s', (_n, source, allowedPlain) => {
    expect(decide([denyFrom('d', source)], conn({ srcIdentity: null })).allowed).toBe(allowedPlain);
    expect(decide([denyFrom('d', source)], conn()).allowed).toBe(true);
  });
});

describe('§1.2 ztunnel scope', () => {
  const idx = compileAuthz({
    authorizationPolicies: [
      ap(`${ROOT}/global-deny`, { action: 'DENY', rules: [{ to: [{ operation: { ports: ['1'] } }] }] }),
      ap('ns/ns-deny', { action: 'DENY', rules: [{ to: [{ operation: { ports: ['2'] } }] }] }),
      ap('other/other-deny', { action: 'DENY', rules: [{ to: [{ operation: { ports: ['3'] } }] }] }),
      ap('ns/sel-deny', { action: 'DENY', selector: { matchLabels: { app: 'svc' } }, rules: [{ to: [{ operation: { ports: ['4'] } }] }] }),
      ap('ns/sel-other', { action: 'DENY', selector: { matchLabels: { app: 'svc', v: '2' } }, rules: [{ to: [{ operation: { ports: ['5'] } }] }] }),
      ap(`${ROOT}/root-sel`, { action: 'DENY', selector: { matchLabels: { app: 'svc' } }, rules: [{ to: [{ operation: { ports: ['6'] } }] }] }),
      ap('other/sel-wrong-ns', { action: 'DENY', selector: { matchLabels: { app: 'svc' } }, rules: [{ to: [{ operation: { ports: ['7'] } }] }] }),
      ap('ns/empty-selector', { action: 'DENY', selector: {}, rules: [{ to: [{ operation: { ports: ['8'] } }] }] }),
    ],
    peerAuthentications: [],
    requestAuthentications: [],
    rootNamespace: ROOT,
    trustDomain: TD,
  });
  it.each<[number, string | null]>([
    [1, `${ROOT}/global-deny`],
    [2, 'ns/ns-deny'],
    [3, null],
    [4, 'ns/sel-deny'],
    [5, null],
    [6, `${ROOT}/root-sel`],
    [7, null],
    [8, null], // selector: {} attaches to no workload in ambient (Q1)
  ])('port %i is denied by %s', (port, policy) => {
    const d = evaluateZtunnel(ztunnelPoliciesFor(idx, WORKLOAD), conn({ dstPort: port }), 'z');
    expect(d.decision.policy).toBe(policy);
    expect(d.allowed).toBe(policy === null);
  });
});
