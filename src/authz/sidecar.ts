// A sidecar keeps classic sidecar semantics (reference/ambient.md §1.4, §4): its own Envoy applies
// the selector, namespace and root-namespace AuthorizationPolicies of its workload with full L7
// (targetRef policies are for waypoints and gateways), and its PeerAuthentication mode decides
// whether plaintext is accepted.
import { matchLabels } from '../k8s/object';
import type { AuthorizationPolicy, Labels } from '../k8s/types';
import { envoyPolicySet, type AuthzIndex } from './compile';
import { peerAuthnFor } from './peer-authn';
import { compileWaypointPolicy, type WpPolicy } from './waypoint-compile';
import type { WaypointPolicySet } from './waypoint-eval';

function applies(ap: AuthorizationPolicy, namespace: string, labels: Labels, root: string): boolean {
  const spec = ap.spec ?? {};
  if (spec.targetRef || (spec.targetRefs?.length ?? 0) > 0) return false;
  const ns = ap.metadata.namespace ?? 'default';
  if (ns !== namespace && ns !== root) return false;
  const sel = spec.selector?.matchLabels;
  // `selector: {}` attaches to nothing, as for ztunnel (authz.md §1.2 Q1).
  if (spec.selector && (!sel || Object.keys(sel).length === 0)) return false;
  return matchLabels(sel, labels);
}

const memo = new WeakMap<AuthzIndex, Map<string, WeakMap<Labels, WaypointPolicySet>>>();

/** The policies the sidecar of a workload in `namespace` with `labels` enforces, as an Envoy RBAC set. */
export function sidecarPoliciesFor(idx: AuthzIndex, namespace: string, labels: Labels): WaypointPolicySet {
  let byNs = memo.get(idx);
  if (!byNs) memo.set(idx, (byNs = new Map()));
  let byLabels = byNs.get(namespace);
  if (!byLabels) byNs.set(namespace, (byLabels = new WeakMap()));
  const hit = byLabels.get(labels);
  if (hit) return hit;
  const policies: WpPolicy[] = idx.policies.filter((ap) => applies(ap, namespace, labels, idx.rootNamespace)).map((ap) => compileWaypointPolicy(ap, idx.trustDomain));
  const set = envoyPolicySet(idx, policies, []);
  byLabels.set(labels, set);
  return set;
}

/** Whether the sidecar of this workload accepts plaintext (PeerAuthentication not STRICT). */
export function sidecarAcceptsPlaintext(idx: AuthzIndex, namespace: string, labels: Labels): boolean {
  return peerAuthnFor(idx.peerAuthn, namespace, labels).mode !== 'STRICT';
}
