// authz.md §6.1 / ambient.md §4: PeerAuthentication resolved per workload into ztunnel DENY policies.
import { describe, expect, it } from 'vitest';
import { compileAuthz, evaluateZtunnel, ztunnelPoliciesFor } from '../../src/authz';
import type { MtlsMode, PeerAuthentication } from '../../src/k8s/types';
import { ap, conn, pa, ROOT, TD, WORKLOAD } from './fixtures';

const STATIC = `${ROOT}/istio_converted_static_strict`;
const sel = { matchLabels: { app: 'svc' } };
const mesh = (mode: MtlsMode, t?: string) => pa(`${ROOT}/default`, { mtls: { mode } }, t);
const nsPa = (mode: MtlsMode, name = 'ns-default', t?: string) => pa(`ns/${name}`, { mtls: { mode } }, t);
const wl = (mode: MtlsMode | undefined, ports?: Record<string, MtlsMode>, name = 'wl', t?: string) =>
  pa(`ns/${name}`, { selector: sel, ...(mode ? { mtls: { mode } } : {}), ...(ports ? { portLevelMtls: Object.fromEntries(Object.entries(ports).map(([p, m]) => [p, { mode: m }])) } : {}) }, t);

function setFor(pas: PeerAuthentication[], extra: Parameters<typeof ap>[] = []) {
  const idx = compileAuthz({ authorizationPolicies: extra.map((a) => ap(...a)), peerAuthentications: pas, requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
  return ztunnelPoliciesFor(idx, WORKLOAD);
}

describe('§6.1 effective mode and the policies istiod attaches', () => {
  // [name, PAs, attached policy keys, plaintext allowed on 8080, on 9090]
  it.each<[string, PeerAuthentication[], string[], boolean, boolean]>([
    ['no PeerAuthentication: PERMISSIVE, nothing attached', [], [], true, true],
    ['mesh STRICT', [mesh('STRICT')], [STATIC], false, false],
    ['mesh PERMISSIVE', [mesh('PERMISSIVE')], [], true, true],
    ['mesh STRICT, namespace PERMISSIVE', [mesh('STRICT'), nsPa('PERMISSIVE')], [], true, true],
    ['mesh STRICT, namespace UNSET inherits', [mesh('STRICT'), nsPa('UNSET')], [STATIC], false, false],
    ['mesh PERMISSIVE, namespace STRICT', [mesh('PERMISSIVE'), nsPa('STRICT')], [STATIC], false, false],
    ['namespace STRICT, workload PERMISSIVE', [nsPa('STRICT'), wl('PERMISSIVE')], [], true, true],
    ['namespace STRICT, workload DISABLE (treated like PERMISSIVE)', [nsPa('STRICT'), wl('DISABLE')], [], true, true],
    ['workload STRICT', [wl('STRICT')], [STATIC], false, false],
    ['STRICT + port 8080 PERMISSIVE -> deny if no identity AND port != 8080', [wl('STRICT', { '8080': 'PERMISSIVE' })], ['ns/converted_peer_authentication_wl'], true, false],
    ['STRICT + port 8080 DISABLE', [wl('STRICT', { '8080': 'DISABLE' })], ['ns/converted_peer_authentication_wl'], true, false],
    ['STRICT + all ports STRICT -> just the static policy', [wl('STRICT', { '8080': 'STRICT' })], [STATIC], false, false],
    ['PERMISSIVE + port 9090 STRICT -> deny if no identity AND port == 9090', [wl('PERMISSIVE', { '9090': 'STRICT' })], ['ns/converted_peer_authentication_wl'], true, false],
    ['DISABLE + port 9090 STRICT', [wl('DISABLE', { '9090': 'STRICT' })], ['ns/converted_peer_authentication_wl'], true, false],
    ['mesh STRICT + workload UNSET with PERMISSIVE port -> merged, no static', [mesh('STRICT'), wl(undefined, { '8080': 'PERMISSIVE' })], ['ns/converted_peer_authentication_wl'], true, false],
    ['namespace STRICT + workload UNSET with PERMISSIVE port -> merged', [nsPa('STRICT'), wl(undefined, { '8080': 'PERMISSIVE' })], ['ns/converted_peer_authentication_wl'], true, false],
    ['mesh STRICT + workload UNSET with a DISABLE port stays strict (istiod checks PERMISSIVE only)', [mesh('STRICT'), wl(undefined, { '8080': 'DISABLE' })], [STATIC], false, false],
    ['mesh PERMISSIVE + workload UNSET with STRICT port', [mesh('PERMISSIVE'), wl(undefined, { '9090': 'STRICT' })], ['ns/converted_peer_authentication_wl'], true, false],
    ['no parent + workload UNSET with STRICT port', [wl(undefined, { '9090': 'STRICT' })], ['ns/converted_peer_authentication_wl'], true, false],
    // istiod's skip test for a STRICT port is `own STRICT || own UNSET && namespace STRICT || mesh
    // STRICT` (Go's && binds tighter than ||): under an inherited mesh-wide STRICT the port is skipped
    // whatever the workload's own mode, so nothing enforces it. Istio 1.28 lets plaintext through.
    ['mesh STRICT + workload PERMISSIVE with STRICT port: the port is not enforced', [mesh('STRICT'), wl('PERMISSIVE', { '9090': 'STRICT' })], [], true, true],
    ['mesh STRICT + workload DISABLE with STRICT port: the port is not enforced', [mesh('STRICT'), wl('DISABLE', { '9090': 'STRICT' })], [], true, true],
    ['namespace STRICT + workload PERMISSIVE with STRICT port: enforced (the namespace clause is gated)', [nsPa('STRICT'), wl('PERMISSIVE', { '9090': 'STRICT' })], ['ns/converted_peer_authentication_wl'], true, false],
    ['selector PAs in the root namespace are ignored', [pa(`${ROOT}/sel`, { selector: sel, mtls: { mode: 'STRICT' } })], [], true, true],
    ['oldest namespace PA wins', [nsPa('PERMISSIVE', 'b', '2026-01-02T00:00:00Z'), nsPa('STRICT', 'a', '2026-01-01T00:00:00Z')], [STATIC], false, false],
    ['oldest namespace PA wins (reverse)', [nsPa('STRICT', 'b', '2026-01-02T00:00:00Z'), nsPa('PERMISSIVE', 'a', '2026-01-01T00:00:00Z')], [], true, true],
    ['equal timestamps: the name decides', [nsPa('STRICT', 'b', '2026-01-01T00:00:00Z'), nsPa('PERMISSIVE', 'a', '2026-01-01T00:00:00Z')], [], true, true],
    ['oldest workload PA wins', [wl('STRICT', undefined, 'w2', '2026-01-02T00:00:00Z'), wl('PERMISSIVE', undefined, 'w1', '2026-01-01T00:00:00Z')], [], true, true],
    ['a workload PA not selecting the workload is ignored', [pa('ns/other', { selector: { matchLabels: { app: 'x' } }, mtls: { mode: 'STRICT' } })], [], true, true],
  ])('%s', (_n, pas, keys, plain8080, plain9090) => {
    const set = setFor(pas);
    expect(set.policies.map((p) => p.key).sort()).toEqual([...keys].sort());
    expect(evaluateZtunnel(set, conn({ srcIdentity: null, dstPort: 8080 }), 'z').allowed).toBe(plain8080);
    expect(evaluateZtunnel(set, conn({ srcIdentity: null, dstPort: 9090 }), 'z').allowed).toBe(plain9090);
    // HBONE is always mTLS: PeerAuthentication never denies a connection with an identity.
    expect(evaluateZtunnel(set, conn({ dstPort: 9090 }), 'z').allowed).toBe(true);
  });

  it('a STRICT deny is reported as a peer-authn decision naming the static policy', () => {
    const d = evaluateZtunnel(setFor([mesh('STRICT')]), conn({ srcIdentity: null }), 'ztunnel-n1');
    expect(d.decision).toEqual({ at: 'ztunnel-n1', kind: 'peer-authn', result: 'DENY', policy: STATIC, rule: 0, reason: `explicitly denied by: ${STATIC}`, sourceIdentity: null });
  });

  it('multiple PERMISSIVE ports each add an exemption', () => {
    const set = setFor([wl('STRICT', { '8080': 'PERMISSIVE', '8081': 'PERMISSIVE' })]);
    expect([8080, 8081, 9090].map((p) => evaluateZtunnel(set, conn({ srcIdentity: null, dstPort: p }), 'z').allowed)).toEqual([true, true, false]);
  });

  it('under PERMISSIVE, plaintext is still denied by an ALLOW that needs an identity, allowed by ipBlocks/ports-only ALLOW', () => {
    const needsId = setFor([mesh('PERMISSIVE')], [['ns/a', { rules: [{ from: [{ source: { namespaces: ['client'] } }] }] }]]);
    const portsOnly = setFor([mesh('PERMISSIVE')], [['ns/a', { rules: [{ to: [{ operation: { ports: ['8080'] } }] }] }]]);
    expect(evaluateZtunnel(needsId, conn({ srcIdentity: null }), 'z').allowed).toBe(false);
    expect(evaluateZtunnel(portsOnly, conn({ srcIdentity: null }), 'z').allowed).toBe(true);
  });
});
