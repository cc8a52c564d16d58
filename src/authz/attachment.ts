// Who enforces a policy (authz.md §1): targetRef(s) -> waypoints only; otherwise ztunnel with a scope.
// These predicates are istiod's `ShouldAttachPolicy` for a waypoint chain.
import type { PolicyTargetReference } from '../k8s/types';
import type { WaypointContext } from './types';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const NETWORKING_GROUP = 'networking.istio.io';
export const WAYPOINT_CLASS = 'istio-waypoint';

const groupIs = (ref: PolicyTargetReference, ...groups: string[]) => groups.includes(ref.group ?? '');

/** The key a targetRef is indexed under, or null when it can never attach to a waypoint. */
export function targetKey(ref: PolicyTargetReference, policyNamespace: string, rootNamespace: string): string | null {
  if (ref.namespace && ref.namespace !== policyNamespace) return null;
  switch (ref.kind) {
    case 'Gateway':
      return groupIs(ref, GATEWAY_GROUP, '') ? `Gateway/${policyNamespace}/${ref.name}` : null;
    case 'GatewayClass':
      return groupIs(ref, GATEWAY_GROUP, '') && ref.name === WAYPOINT_CLASS && policyNamespace === rootNamespace ? 'GatewayClass' : null;
    case 'Service':
      return groupIs(ref, '', 'core') ? `Service/${policyNamespace}/${ref.name}` : null;
    case 'ServiceEntry':
      return groupIs(ref, NETWORKING_GROUP, '') ? `ServiceEntry/${policyNamespace}/${ref.name}` : null;
    default:
      return null;
  }
}

/** The index keys a waypoint chain looks up: its own Gateway, the waypoint class and, for service chains, the service. */
export function chainKeys(ctx: WaypointContext): string[] {
  const keys = [`Gateway/${ctx.waypoint.namespace}/${ctx.waypoint.name}`, 'GatewayClass'];
  if (ctx.service) keys.push(`${ctx.service.kind}/${ctx.service.namespace}/${ctx.service.name}`);
  return keys;
}
