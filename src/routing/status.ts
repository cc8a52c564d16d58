// Route status as Istio's gateway controller writes it for mesh (Service / ServiceEntry) parents
// (pilot/pkg/config/kube/gateway/conditions.go createRouteStatus).
import type { Condition, ParentReference, RouteStatus } from '../k8s/types';
import type { ConfigError } from './gateway-convert';

export const CONTROLLER_NAME = 'istio.io/gateway-controller';
export const WAYPOINT_MISSING_LABEL = 'istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will not be respected';
export const WAYPOINT_NO_PARENT = 'parent not found';

export interface ParentResult {
  parentRef: ParentReference;
  /** Why the parent was not accepted (reason NoMatchingParent), or null. */
  denied: ConfigError | null;
  /** ResolvedWaypoints message when not "All waypoints resolved". */
  waypointError: string | null;
}

export interface RouteStatusRecord {
  kind: string;
  namespace: string;
  name: string;
  /** Always present (kept inside the record's object), undefined when the route has none. */
  generation: number | undefined;
  parents: ParentResult[];
  /** ResolvedRefs error (hard conversion error, or the first unresolvable backend). */
  refError: ConfigError | null;
}

function parentRefString(p: ParentReference, routeNs: string): string {
  return `${p.group ?? 'gateway.networking.k8s.io'}/${p.kind ?? 'Gateway'}/${p.namespace ?? routeNs}/${p.name}/${p.sectionName ?? ''}/${p.port ?? ''}`;
}

export function buildRouteStatus(r: RouteStatusRecord): RouteStatus {
  const generation = r.generation !== undefined ? { observedGeneration: r.generation } : {};
  const parents = r.parents.map((p) => {
    // Conditions are written sorted by type.
    const conditions: Condition[] = [
      p.denied
        ? { type: 'Accepted', status: 'False', reason: p.denied.reason, message: p.denied.message, ...generation }
        : { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Route was valid', ...generation },
      r.refError
        ? { type: 'ResolvedRefs', status: 'False', reason: r.refError.reason, message: r.refError.message, ...generation }
        : { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved', ...generation },
      // Always True: the message carries the problem.
      { type: 'ResolvedWaypoints', status: 'True', reason: 'ResolvedWaypoints', message: p.waypointError ?? 'All waypoints resolved', ...generation },
    ];
    return { parentRef: p.parentRef, controllerName: CONTROLLER_NAME, conditions };
  });
  // New parent entries are appended in descending parent-reference order.
  parents.sort((a, b) => {
    const x = parentRefString(a.parentRef, r.namespace);
    const y = parentRefString(b.parentRef, r.namespace);
    return x > y ? -1 : x < y ? 1 : 0;
  });
  return { parents };
}
