// authz.md §1: which proxy enforces a policy, waypoint chain attachment (§1.1, §1.3), binding status (§1.4),
// and the implicit allow-from-waypoint policy (§1.6).
import { describe, expect, it } from 'vitest';
import { authorizationPolicyStatus, compileAuthz, evaluateZtunnel, waypointPoliciesFor, ztunnelPoliciesFor } from '../../src/authz';
import type { WaypointContext } from '../../src/authz';
import type { AuthorizationPolicy, PolicyTargetReference } from '../../src/k8s/types';
import { ap, conn, id, ROOT, TD, WORKLOAD } from './fixtures';

const GWG = 'gateway.networking.k8s.io';
const deny = (nsName: string, targetRefs?: PolicyTargetReference[], extra: object = {}) => ap(nsName, { action: 'DENY', rules: [{}], ...(targetRefs ? { targetRefs } : {}), ...extra });
const idxOf = (policies: AuthorizationPolicy[], features = {}) =>
  compileAuthz({ authorizationPolicies: policies, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD, features });

const svcChain: WaypointContext = { waypoint: { namespace: 'ns', name: 'waypoint' }, service: { kind: 'Service', namespace: 'ns', name: 'svc' } };
const podChain: WaypointContext = { waypoint: { namespace: 'ns', name: 'waypoint' } };
const otherSvc: WaypointContext = { waypoint: { namespace: 'ns', name: 'waypoint' }, service: { kind: 'Service', namespace: 'ns', name: 'other' } };

describe('§1.1 waypoint attachment', () => {
  it.each<[string, AuthorizationPolicy, WaypointContext, boolean]>([
    ['Gateway targetRef applies to its waypoint', deny('ns/p', [{ kind: 'Gateway', group: GWG, name: 'waypoint' }]), svcChain, true],
    ['Gateway targetRef applies on the workload-addressed chain too', deny('ns/p', [{ kind: 'Gateway', group: GWG, name: 'waypoint' }]), podChain, true],
    ['Gateway targetRef from another namespace does not apply', deny('other/p', [{ kind: 'Gateway', group: GWG, name: 'waypoint' }]), svcChain, false],
    ['Gateway targetRef naming another waypoint', deny('ns/p', [{ kind: 'Gateway', group: GWG, name: 'wp2' }]), svcChain, false],
    ['GatewayClass istio-waypoint from the root namespace applies to every waypoint', deny(`${ROOT}/p`, [{ kind: 'GatewayClass', group: GWG, name: 'istio-waypoint' }]), podChain, true],
    ['GatewayClass outside the root namespace is ignored', deny('ns/p', [{ kind: 'GatewayClass', group: GWG, name: 'istio-waypoint' }]), podChain, false],
    ['GatewayClass with another name is ignored', deny(`${ROOT}/p`, [{ kind: 'GatewayClass', group: GWG, name: 'istio' }]), podChain, false],
    ['Service targetRef applies to that service chain', deny('ns/p', [{ kind: 'Service', group: '', name: 'svc' }]), svcChain, true],
    ['Service targetRef does not apply to another service', deny('ns/p', [{ kind: 'Service', group: '', name: 'svc' }]), otherSvc, false],
    ['Service targetRef does not apply to workload-addressed traffic', deny('ns/p', [{ kind: 'Service', group: '', name: 'svc' }]), podChain, false],
    ['ServiceEntry targetRef needs a ServiceEntry chain', deny('ns/p', [{ kind: 'ServiceEntry', group: 'networking.istio.io', name: 'svc' }]), svcChain, false],
    [
      'ServiceEntry targetRef on its chain',
      deny('ns/p', [{ kind: 'ServiceEntry', group: 'networking.istio.io', name: 'se' }]),
      { waypoint: svcChain.waypoint, service: { kind: 'ServiceEntry', namespace: 'ns', name: 'se' } },
      true,
    ],
    ['legacy singular targetRef', ap('ns/p', { action: 'DENY', rules: [{}], targetRef: { kind: 'Service', group: '', name: 'svc' } }), svcChain, true],
    ['namespace-wide policies are ignored by waypoints', deny('ns/p'), svcChain, false],
    ['root-namespace policies are ignored by waypoints', deny(`${ROOT}/p`), svcChain, false],
    ['selector policies are ignored by waypoints', deny('ns/p', undefined, { selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } } }), svcChain, false],
    ['any matching targetRef attaches', deny('ns/p', [{ kind: 'Service', group: '', name: 'nope' }, { kind: 'Service', group: '', name: 'svc' }]), svcChain, true],
  ])('%s', (_n, policy, ctx, applies) => {
    const set = waypointPoliciesFor(idxOf([policy]), ctx);
    expect(set.policies.map((p) => p.key)).toEqual(applies ? [`${policy.metadata.namespace}/${policy.metadata.name}`] : []);
  });

  it('targetRef policies are never sent to ztunnel', () => {
    const set = ztunnelPoliciesFor(idxOf([deny('ns/p', [{ kind: 'Service', group: '', name: 'svc' }])]), WORKLOAD);
    expect(set.policies).toEqual([]);
  });
});

describe('§1.4 targetRef binding status (WaypointAccepted)', () => {
  const policies = [
    deny('ns/bound', [{ kind: 'Service', group: '', name: 'svc' }]),
    deny('ns/unbound', [{ kind: 'Service', group: '', name: 'plain' }]),
    deny('ns/missing', [{ kind: 'Service', group: '', name: 'ghost' }]),
    deny('ns/se-unbound', [{ kind: 'ServiceEntry', group: 'networking.istio.io', name: 'ext' }]),
    deny('ns/gw', [{ kind: 'Gateway', group: GWG, name: 'waypoint' }]),
    deny('ns/gw-unknown', [{ kind: 'Gateway', group: GWG, name: 'nope' }]),
    deny('ns/gc-wrong-ns', [{ kind: 'GatewayClass', group: GWG, name: 'istio-waypoint' }]),
    deny(`${ROOT}/gc`, [{ kind: 'GatewayClass', group: GWG, name: 'istio-waypoint' }]),
    deny(`${ROOT}/gc-missing`, [{ kind: 'GatewayClass', group: GWG, name: 'nope' }]),
    deny(`${ROOT}/gc-other-controller`, [{ kind: 'GatewayClass', group: GWG, name: 'istio' }]),
    deny('ns/partial', [{ kind: 'Service', group: '', name: 'svc' }, { kind: 'Service', group: '', name: 'ghost' }]),
    deny('ns/none', [{ kind: 'Service', group: '', name: 'plain' }, { kind: 'Service', group: '', name: 'ghost' }]),
  ];
  const existing = new Set(['Service/ns/svc', 'Service/ns/plain', 'ServiceEntry/ns/ext', 'GatewayClass//istio-waypoint', 'GatewayClass//istio']);
  const status = authorizationPolicyStatus(idxOf(policies), {
    exists: (k, ns, n) => existing.has(`${k}/${ns}/${n}`),
    binding: (k, ns, n) => ((k === 'Service' && n === 'svc') || (k === 'Gateway' && n === 'waypoint') ? { waypoint: { namespace: ns, name: 'waypoint' } } : undefined),
    gatewayClassController: (n) => (n === 'istio' ? 'istio.io/gateway-controller' : 'istio.io/mesh-controller'),
  });
  it.each<[string, 'True' | 'False', string, string]>([
    ['ns/bound', 'True', 'Accepted', 'bound to ns/waypoint'],
    ['ns/unbound', 'False', 'AncestorNotBound', 'Service ns/plain is not bound to a waypoint'],
    ['ns/missing', 'False', 'TargetNotFound', 'Service ns/ghost was not found'],
    ['ns/se-unbound', 'False', 'AncestorNotBound', 'ServiceEntry ns/ext is not bound to a waypoint'],
    ['ns/gw', 'True', 'Accepted', 'bound to ns/waypoint'],
    ['ns/gw-unknown', 'False', 'TargetNotFound', 'not bound'],
    ['ns/gc-wrong-ns', 'False', 'Invalid', 'AuthorizationPolicy must be in the root namespace `istio-system` when referencing a GatewayClass'],
    [`${ROOT}/gc`, 'True', 'Accepted', 'bound to istio-waypoint'],
    [`${ROOT}/gc-missing`, 'False', 'TargetNotFound', 'not bound'],
    [`${ROOT}/gc-other-controller`, 'False', 'Invalid', 'GatewayClass must use controller name `istio.io/mesh-controller` for waypoints'],
    ['ns/partial', 'True', 'PartiallyInvalid', 'Invalid targetRefs: Service.core:ns/ghost'],
    ['ns/none', 'False', 'Invalid', 'Invalid targetRefs: Service.core:ns/plain, Service.core:ns/ghost'],
  ])('%s -> %s %s', (key, st, reason, message) => {
    expect(status.get(key)).toEqual([{ type: 'WaypointAccepted', status: st, reason, message }]);
  });

  it('ztunnel policies get ZtunnelAccepted', () => {
    const s = authorizationPolicyStatus(idxOf([deny('ns/l4'), ap('ns/c', { action: 'CUSTOM', provider: { name: 'x' }, rules: [{}] })]), { exists: () => true, binding: () => undefined });
    expect(s.get('ns/l4')).toEqual([{ type: 'ZtunnelAccepted', status: 'True', reason: 'Accepted', message: 'attached to ztunnel' }]);
    expect(s.get('ns/c')).toEqual([{ type: 'ZtunnelAccepted', status: 'False', reason: 'UnsupportedValue', message: 'ztunnel does not support the CUSTOM action' }]);
  });
});

describe('§1.6 implicit allow-from-waypoint (PILOT_AUTO_ALLOW_WAYPOINT_POLICY)', () => {
  const workload = { ...WORKLOAD, waypoint: { namespace: 'ns', name: 'waypoint', serviceAccounts: ['waypoint'] } };
  it.each<[string, boolean, string | null, boolean]>([
    ['off: no policy, direct traffic allowed', false, id('client', 'curl'), true],
    ['on: waypoint identity allowed', true, id('ns', 'waypoint'), true],
    ['on: direct (non-waypoint) traffic now denied', true, id('client', 'curl'), false],
  ])('%s', (_n, on, identity, allowed) => {
    const set = ztunnelPoliciesFor(idxOf([], { autoAllowWaypointPolicy: on }), workload);
    const d = evaluateZtunnel(set, conn({ srcIdentity: identity }), 'z');
    expect(d.allowed).toBe(allowed);
    if (on && allowed) expect(d.decision.policy).toBe('ns/istio_allow_waypoint_ns_waypoint');
  });
});
