// "What would change this": the smallest edit that turns a deny, a 404 or a policy enforced nowhere
// into what the user probably meant, worded as an action on a named object.
import type { ConditionCheck, PolicyExplanation, RuleExplanation } from '../authz/explain';
import type { MeshView } from '../control/mesh-view';
import type { ServiceInfo } from '../control/model';
import type { AuthorizationPolicy } from '../k8s/types';
import type { Decision } from '../result/types';

const NOUN: Record<string, string> = {
  'source.principals': 'principal',
  'source.namespaces': 'namespace',
  'source.serviceAccounts': 'service account',
  'source.ipBlocks': 'source IP',
  'source.requestPrincipals': 'request principal',
  'operation.methods': 'method',
  'operation.paths': 'path',
  'operation.hosts': 'host',
  'operation.ports': 'port',
};

const noun = (c: ConditionCheck) => NOUN[c.attribute] ?? c.attribute;

/** The rule that came closest: fewest conditions that did not hold (rules that can never match last). */
export function closestRule(p: PolicyExplanation): RuleExplanation | undefined {
  const failing = (r: RuleExplanation) => (r.inert ? Number.MAX_SAFE_INTEGER : r.conditions.filter((c) => !c.holds).length);
  return [...p.rules].sort((a, b) => failing(a) - failing(b))[0];
}

/** "allow principal X in ns/p" / "add a rule allowing method POST to ns/p" for an ALLOW that did not match. */
function allowFix(p: PolicyExplanation, ztunnel: boolean): string | undefined {
  const rule = closestRule(p);
  if (!rule) return undefined;
  const failed = rule.conditions.filter((c) => !c.holds);
  if (failed.length === 0) return undefined;
  const negated = failed.filter((c) => c.negated);
  if (negated.length) return `remove ${negated.map((c) => c.observed).join(', ')} from the not-lists of ${p.policy} rule ${rule.rule}`;
  const wanted = failed.map((c) => `${noun(c)} ${c.observed}`).join(' and ');
  // An identity missing from an otherwise matching rule is best added to that rule; anything else is a new rule.
  const onlyIdentity = failed.every((c) => c.attribute.startsWith('source.'));
  if (ztunnel || (onlyIdentity && failed.length === 1)) return `allow ${wanted} in ${p.policy}`;
  return `add a rule allowing ${wanted} to ${p.policy}`;
}

/** Fixes for an authorization decision at a ztunnel or waypoint, given the policies it applied. */
export function authzFixes(decision: Decision | undefined, policies: readonly PolicyExplanation[], at: 'ztunnel' | 'waypoint', namespace: string, observedPrincipal: string | undefined): string[] {
  if (!decision || decision.result !== 'DENY') return [];
  if (decision.kind === 'authn') return [`present a valid JWT for ${decision.policy ?? 'the RequestAuthentication'} (${decision.reason ?? 'rejected'}), or send none`];
  if (decision.policy) {
    const p = policies.find((x) => x.policy === decision.policy);
    if (decision.kind === 'peer-authn' || p?.origin === 'peer-authn') {
      return [`send mTLS: enroll the client in the mesh (label its namespace istio.io/dataplane-mode=ambient), or set PeerAuthentication mode PERMISSIVE for ${namespace}`];
    }
    const rule = decision.rule ?? p?.rule;
    return [`narrow or remove ${decision.policy}${rule !== null && rule !== undefined ? ` rule ${rule}` : ''}: it matched this request`];
  }
  const allows = policies.filter((p) => p.action === 'ALLOW' && !p.dryRun);
  const fixes = allows.map((p) => allowFix(p, at === 'ztunnel')).filter((f): f is string => f !== undefined);
  if (fixes.length) return [fixes[0]!];
  const who = observedPrincipal ? `principal ${observedPrincipal}` : 'this request';
  return [`add an ALLOW policy in ${namespace} allowing ${who}${allows.length ? ` (${allows.map((p) => p.policy).join(', ')} ${allows.length === 1 ? 'has' : 'have'} no rule that could match)` : ''}`];
}

/** targetRef policies for `svc` that no proxy enforces because the Service has no waypoint (authz.md §1.4). */
export function unenforcedTargetPolicies(policies: readonly AuthorizationPolicy[], svc: ServiceInfo): string[] {
  if (svc.waypoint) return [];
  return policies
    .filter((ap) => (ap.metadata.namespace ?? 'default') === svc.namespace)
    .filter((ap) => [...(ap.spec?.targetRef ? [ap.spec.targetRef] : []), ...(ap.spec?.targetRefs ?? [])].some((r) => r.kind === svc.source.kind && r.name === svc.name))
    .map((ap) => `${ap.metadata.namespace ?? 'default'}/${ap.metadata.name}`);
}

export function bindWaypointFix(view: MeshView, svc: ServiceInfo): string {
  const wp = [...view.waypoints.values()].find((w) => w.namespace === svc.namespace);
  const label = `label ${svc.source.kind} ${svc.namespace}/${svc.name} istio.io/use-waypoint=${wp?.name ?? 'waypoint'}`;
  return wp ? label : `istioctl waypoint apply -n ${svc.namespace}, then ${label}`;
}
