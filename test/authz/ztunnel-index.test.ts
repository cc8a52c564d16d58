// Which policies without targetRefs a workload's ztunnel set holds (the set keeps them in key order):
// root-namespace ones without a selector, its namespace's without a selector, and selector ones of its
// namespace or the root namespace whose every label it carries. Refused policies (dry-run without
// support, CUSTOM/AUDIT) are never in a set. Policies are converted when a set first needs them; the
// status reads the same conversion either way.
import { describe, expect, it } from 'vitest';
import { authorizationPolicyStatus, compileAuthz, ztunnelPoliciesFor } from '../../src/authz';
import type { AuthorizationPolicy } from '../../src/k8s/types';
import { ap, ROOT, TD } from './fixtures';

const ALLOW_ALL = { action: 'ALLOW' as const, rules: [{}] };
const select = (matchLabels: Record<string, string>) => ({ ...ALLOW_ALL, selector: { matchLabels } });

const POLICIES: AuthorizationPolicy[] = [
  ap('ns/z-sel-app', select({ app: 'web' })),
  ap('ns/a-sel-app', select({ app: 'web' })),
  ap('ns/sel-two-labels', select({ app: 'web', tier: 'front' })),
  ap('ns/sel-other-value', select({ app: 'db' })),
  ap('ns/sel-empty', select({})),
  ap('ns/ns-wide', ALLOW_ALL),
  ap('other/ns-wide', ALLOW_ALL),
  ap(`${ROOT}/mesh-wide`, ALLOW_ALL),
  ap(`${ROOT}/root-sel`, select({ tier: 'front' })),
  ap('ns/dry-run', ALLOW_ALL, { 'istio.io/dry-run': 'true' }),
  ap('ns/custom', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] }),
];

const index = () => compileAuthz({ authorizationPolicies: POLICIES, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
const keys = (namespace: string, labels: Record<string, string>) => ztunnelPoliciesFor(index(), { namespace, labels }).policies.map((p) => p.key);

describe('ztunnel policies of a workload', () => {
  it.each<{ who: string; namespace: string; labels: Record<string, string>; want: string[] }>([
    { who: 'web front pod', namespace: 'ns', labels: { app: 'web', tier: 'front' }, want: [`${ROOT}/mesh-wide`, 'ns/ns-wide', 'ns/a-sel-app', 'ns/sel-two-labels', 'ns/z-sel-app', `${ROOT}/root-sel`] },
    { who: 'web pod', namespace: 'ns', labels: { app: 'web' }, want: [`${ROOT}/mesh-wide`, 'ns/ns-wide', 'ns/a-sel-app', 'ns/z-sel-app'] },
    { who: 'db pod', namespace: 'ns', labels: { app: 'db' }, want: [`${ROOT}/mesh-wide`, 'ns/ns-wide', 'ns/sel-other-value'] },
    { who: 'front pod elsewhere', namespace: 'other', labels: { app: 'web', tier: 'front' }, want: [`${ROOT}/mesh-wide`, 'other/ns-wide', `${ROOT}/root-sel`] },
    { who: 'unlabelled pod', namespace: 'ns', labels: {}, want: [`${ROOT}/mesh-wide`, 'ns/ns-wide'] },
  ])('$who gets $want', ({ namespace, labels, want }) => {
    expect(keys(namespace, labels)).toEqual([...want].sort());
  });

  it('status is the same whether or not a set converted the policies first', () => {
    const oracles = { service: () => false, serviceEntry: () => false, gateway: () => undefined, gatewayClass: () => undefined } as never;
    const fresh = authorizationPolicyStatus(index(), oracles);
    const used = index();
    ztunnelPoliciesFor(used, { namespace: 'ns', labels: { app: 'web', tier: 'front' } });
    expect(authorizationPolicyStatus(used, oracles)).toEqual(fresh);
    expect(fresh.get('ns/dry-run')?.[0]).toMatchObject({ type: 'ZtunnelAccepted', status: 'False', reason: 'UnsupportedValue' });
    expect(fresh.get('ns/custom')?.[0]).toMatchObject({ status: 'False', message: 'ztunnel does not support the CUSTOM action' });
    expect(fresh.get('ns/a-sel-app')?.[0]).toMatchObject({ status: 'True', reason: 'Accepted', message: 'attached to ztunnel' });
  });
});
