// The status conditions istiod writes on AuthorizationPolicies in ambient (authz.md §1.4, §4):
// `ZtunnelAccepted` for policies without targetRefs, `WaypointAccepted` for targetRef policies.
import type { Condition, PolicyTargetReference } from '../k8s/types';
import type { AuthzIndex } from './compile';
import { convertForZtunnel, targetRefsOf } from './ztunnel-convert';

export type BindingOracle = (kind: 'Service' | 'ServiceEntry' | 'Gateway', namespace: string, name: string) => { waypoint: { namespace: string; name: string } } | undefined;
export type ExistenceOracle = (kind: string, namespace: string, name: string) => boolean;

export interface StatusOracles {
  /** Which waypoint a Service/ServiceEntry is bound to; for a Gateway, itself when it is a known waypoint. */
  binding: BindingOracle;
  exists: ExistenceOracle;
  /** controllerName of a GatewayClass (defaults to istio.io/mesh-controller for an existing class). */
  gatewayClassController?: (name: string) => string | undefined;
}

export const MESH_CONTROLLER = 'istio.io/mesh-controller';

interface Binding {
  ancestor: string;
  bound: boolean;
  reason: string;
  message: string;
}

function bindTarget(ref: PolicyTargetReference, policyNamespace: string, rootNamespace: string, o: StatusOracles): Binding {
  const namespace = ref.namespace || policyNamespace;
  const key = `${namespace}/${ref.name}`;
  const ancestor = `${ref.kind}.${ref.group || 'core'}:${key}`;
  const result = (bound: boolean, reason: string, message: string): Binding => ({ ancestor, bound, reason, message });
  switch (ref.kind) {
    case 'GatewayClass': {
      if (namespace !== rootNamespace) return result(false, 'Invalid', `AuthorizationPolicy must be in the root namespace \`${rootNamespace}\` when referencing a GatewayClass`);
      if (!o.exists('GatewayClass', '', ref.name)) return result(false, 'TargetNotFound', 'not bound');
      const controller = o.gatewayClassController?.(ref.name) ?? MESH_CONTROLLER;
      if (controller !== MESH_CONTROLLER) return result(false, 'Invalid', `GatewayClass must use controller name \`${MESH_CONTROLLER}\` for waypoints`);
      return result(true, 'Accepted', `bound to ${ref.name}`);
    }
    case 'Gateway': {
      const w = o.binding('Gateway', namespace, ref.name);
      return w ? result(true, 'Accepted', `bound to ${w.waypoint.namespace}/${w.waypoint.name}`) : result(false, 'TargetNotFound', 'not bound');
    }
    case 'Service':
    case 'ServiceEntry': {
      if (!o.exists(ref.kind, namespace, ref.name)) return result(false, 'TargetNotFound', `${ref.kind} ${key} was not found`);
      const w = o.binding(ref.kind, namespace, ref.name);
      return w ? result(true, 'Accepted', `bound to ${w.waypoint.namespace}/${w.waypoint.name}`) : result(false, 'AncestorNotBound', `${ref.kind} ${key} is not bound to a waypoint`);
    }
    default:
      return result(false, 'unknown', 'not bound');
  }
}

/** Several targetRefs fold into one condition: bound if any is, listing the unbound ones. */
function flatten(bindings: Binding[]): Omit<Condition, 'type'> {
  if (bindings.length === 1) {
    const b = bindings[0]!;
    return { status: b.bound ? 'True' : 'False', reason: b.reason, message: b.message };
  }
  const unbound = bindings.filter((b) => !b.bound).map((b) => b.ancestor);
  const anyBound = bindings.some((b) => b.bound);
  const reason = anyBound ? (unbound.length ? 'PartiallyInvalid' : 'Accepted') : 'Invalid';
  return { status: anyBound ? 'True' : 'False', reason, message: unbound.length ? `Invalid targetRefs: ${unbound.join(', ')}` : '' };
}

/** Conditions per policy key (`ns/name`), as istiod writes them. */
export function authorizationPolicyStatus(idx: AuthzIndex, oracles: StatusOracles): Map<string, Condition[]> {
  const out = new Map<string, Condition[]>();
  for (const ap of idx.policies) {
    const ns = ap.metadata.namespace ?? 'default';
    const key = `${ns}/${ap.metadata.name}`;
    const refs = targetRefsOf(ap.spec);
    if (refs.length > 0) {
      out.set(key, [{ type: 'WaypointAccepted', ...flatten(refs.map((r) => bindTarget(r, ns, idx.rootNamespace, oracles))) }]);
      continue;
    }
    // Converted again rather than kept: status is asked for rarely, and the index converts lazily.
    const conv = convertForZtunnel(ap, idx.rootNamespace, { dryRunEnabled: idx.features.ambientDryRun });
    const status = conv.policy ? 'True' : 'False';
    out.set(key, [
      conv.status
        ? { type: 'ZtunnelAccepted', status, reason: conv.status.reason, message: conv.status.message }
        : { type: 'ZtunnelAccepted', status, reason: 'Accepted', message: 'attached to ztunnel' },
    ]);
  }
  return out;
}
