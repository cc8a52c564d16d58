// The ztunnel plan (ztunnel-plan.ts) files each group of the enforced policies under the destination
// ports it is limited to: a connection walks only the groups its port can satisfy, in policy then group
// order, and decides exactly what a plain walk of the policies' own matchers does.
import { describe, expect, it } from 'vitest';
import { compileAuthz, evaluateZtunnel, ztunnelPoliciesFor } from '../../src/authz';
import type { ZtunnelPolicySet } from '../../src/authz';
import { planZtunnel, portSlot, type PlannedGroups } from '../../src/authz/ztunnel-plan';
import type { ZtFacts } from '../../src/authz/ztunnel-policy';
import type { AuthzRule } from '../../src/k8s/types';
import { ap, conn, id, ROOT, TD, WORKLOAD } from './fixtures';

const to = (operation: object): AuthzRule => ({ to: [{ operation }] });
const from = (source: object): AuthzRule => ({ from: [{ source }] });

const POLICIES = [
  ap('ns/a-deny-admin-port', { action: 'DENY', rules: [to({ ports: ['9000'] })] }),
  ap('ns/b-deny-legacy', { action: 'DENY', rules: [from({ principals: [`${TD}/ns/legacy/*`] })] }),
  ap('ns/c-allow-web', {
    rules: [
      { ...from({ namespaces: ['web'] }), ...to({ ports: ['8080', '8443'] }) },
      to({ ports: ['9090'] }),
      // Two operations: the clause holds on either port, so the group is not limited to one list.
      { to: [{ operation: { ports: ['7000'] } }, { operation: { ports: ['7001'] } }] },
    ],
  }),
  ap('ns/d-allow-not-port', { rules: [to({ notPorts: ['8080'] })] }),
  ap('ns/e-allow-any-port', { rules: [from({ namespaces: ['ops'] })] }),
];

const index = () => compileAuthz({ authorizationPolicies: POLICIES, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
const fresh = (): ZtunnelPolicySet => ({ ...ztunnelPoliciesFor(index(), WORKLOAD), memo: null });
const listed = (l: PlannedGroups) => l.verdicts.map((v) => `${v.policy}#${v.rule}`);

describe('ztunnel groups by destination port', () => {
  const set = fresh();
  const plan = planZtunnel(set.deny, set.allow);

  it('names the ports some group of a single port-limited match is limited to', () => {
    expect([...plan.ports].sort()).toEqual([8080, 8443, 9000, 9090]);
  });

  it.each<[number, string[], string[]]>([
    // A group limited to the port is listed; one limited to other ports is skipped; the others stay, in order.
    [9000, ['ns/a-deny-admin-port#0', 'ns/b-deny-legacy#0'], ['ns/c-allow-web#2', 'ns/d-allow-not-port#0', 'ns/e-allow-any-port#0']],
    [8080, ['ns/b-deny-legacy#0'], ['ns/c-allow-web#0', 'ns/c-allow-web#2', 'ns/d-allow-not-port#0', 'ns/e-allow-any-port#0']],
    [8443, ['ns/b-deny-legacy#0'], ['ns/c-allow-web#0', 'ns/c-allow-web#2', 'ns/d-allow-not-port#0', 'ns/e-allow-any-port#0']],
    [9090, ['ns/b-deny-legacy#0'], ['ns/c-allow-web#1', 'ns/c-allow-web#2', 'ns/d-allow-not-port#0', 'ns/e-allow-any-port#0']],
    // A port no group is limited to: only the unlimited groups.
    [7000, ['ns/b-deny-legacy#0'], ['ns/c-allow-web#2', 'ns/d-allow-not-port#0', 'ns/e-allow-any-port#0']],
    [1234, ['ns/b-deny-legacy#0'], ['ns/c-allow-web#2', 'ns/d-allow-not-port#0', 'ns/e-allow-any-port#0']],
  ])('port %i walks DENY %j, then ALLOW %j', (port, deny, allow) => {
    const slot = portSlot(plan, port);
    expect(listed(plan.deny[slot]!)).toEqual(deny);
    expect(listed(plan.allow![slot]!)).toEqual(allow);
  });

  it('a set without ALLOW policies plans none', () => {
    expect(planZtunnel(set.deny, []).allow).toBeNull();
  });
});

/** DENY then ALLOW, each the first matching group of the first matching policy in key order. */
function plainWalk(set: ZtunnelPolicySet, f: ZtFacts): { allowed: boolean; policy: string | null; rule: number | null } {
  for (const p of set.deny) {
    const rule = p.match(f);
    if (rule >= 0) return { allowed: false, policy: p.key, rule };
  }
  for (const p of set.allow) {
    const rule = p.match(f);
    if (rule >= 0) return { allowed: true, policy: p.key, rule };
  }
  return { allowed: set.allow.length === 0, policy: null, rule: null };
}

describe('ztunnel: the port-indexed plan decides as a plain walk of the policies', () => {
  const set = fresh();
  it.each<[string, string | null, number, string | null, number | null]>([
    ['the port-limited DENY on its port', id('web', 'x'), 9000, 'ns/a-deny-admin-port', 0],
    ['a DENY without a port on any port', id('legacy', 'x'), 8080, 'ns/b-deny-legacy', 0],
    ['a port-limited ALLOW group on one of its ports', id('web', 'x'), 8443, 'ns/c-allow-web', 0],
    ['the same source on no port of that group', id('web', 'x'), 8081, 'ns/d-allow-not-port', 0],
    ['the second group on its port', id('other', 'x'), 9090, 'ns/c-allow-web', 1],
    ['the two-operation group on either port', id('other', 'x'), 7001, 'ns/c-allow-web', 2],
    ['notPorts excludes its port only', id('other', 'x'), 8080, null, null],
    ['an unlimited ALLOW on its source', id('ops', 'x'), 8080, 'ns/e-allow-any-port', 0],
    ['no identity on a port-limited ALLOW port', null, 9090, 'ns/c-allow-web', 1],
  ])('%s', (_n, srcIdentity, dstPort, policy, rule) => {
    const c = conn({ srcIdentity, dstPort });
    const d = evaluateZtunnel(set, c, 'z');
    const f: ZtFacts = { id: srcIdentity === null ? null : set.caches.identities.get(srcIdentity), src: null, dst: null, port: dstPort };
    expect({ policy: d.decision.policy, rule: d.decision.rule }).toEqual({ policy, rule });
    expect({ allowed: d.allowed, policy: d.decision.policy, rule: d.decision.rule }).toEqual(plainWalk(set, f));
  });
});
