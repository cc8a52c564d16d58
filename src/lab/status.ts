// The status istiod writes on objects (AMBIENT_ENABLE_STATUS is on in the ambient profile), shown
// by kubectl: `istio.io/WaypointBound` on Services (reference/ambient.md §2.8), the waypoint and
// ztunnel conditions on AuthorizationPolicies (authz.md §1.4), and route parent statuses. meshsim
// computes them from the mesh view when an object is printed rather than storing them.
import { authorizationPolicyStatus } from '../authz';
import type { Condition, KubeObject } from '../k8s/types';
import { routeStatuses } from '../routing';
import { indexesFor, meshStateOf } from '../explain';
import type { World } from '../run/world';
import { serviceNamed } from '../control/service-lookup';

const WAYPOINT_MISSING: Condition = Object.freeze({
  type: 'istio.io/WaypointMissing',
  status: 'True',
  reason: 'NoWaypointForWildcardService',
  message: 'ServiceEntry will not apply until it is bound to a valid waypoint.',
});

function withConditions(obj: KubeObject, conditions: Condition[]): KubeObject {
  const status = (obj.status ?? {}) as { conditions?: Condition[] };
  const kept = (status.conditions ?? []).filter((c) => !conditions.some((n) => n.type === c.type));
  return { ...obj, status: { ...status, conditions: [...kept, ...conditions] } };
}

/** `obj` with the status istiod would have written on it in `cluster`. */
export function withIstioStatus(world: World, cluster: string, obj: KubeObject): KubeObject {
  const ns = obj.metadata.namespace ?? 'default';
  switch (obj.kind) {
    case 'Service': {
      // A ServiceEntry may share the Service's namespace and name.
      const svc = world.view(cluster).services.find((s) => s.source.kind === 'Service' && s.cluster === cluster && s.namespace === ns && s.name === obj.metadata.name);
      return svc?.waypointCondition ? withConditions(obj, [svc.waypointCondition]) : obj;
    }
    case 'ServiceEntry': {
      const hosts = world.view(cluster).serviceEntries.get(`${ns}/${obj.metadata.name}`) ?? [];
      const conditions = hosts[0]?.waypointCondition ? [hosts[0].waypointCondition] : [];
      // A wildcard host needs a waypoint to mean anything (model/service.go GetConditions).
      if (!hosts[0]?.waypoint && hosts.some((h) => h.hostname.startsWith('*'))) conditions.push(WAYPOINT_MISSING);
      return conditions.length ? withConditions(obj, conditions) : obj;
    }
    case 'AuthorizationPolicy': {
      const { authz, view } = indexesFor(meshStateOf(world), cluster);
      const byName = (kind: string, n: string, name: string) => (kind === 'Service' || kind === 'ServiceEntry' ? serviceNamed(view, kind, n, name) : undefined);
      const conditions = authorizationPolicyStatus(authz, {
        binding: (kind, n, name) => {
          if (kind === 'Gateway') return view.waypoints.has(`${n}/${name}`) ? { waypoint: { namespace: n, name } } : undefined;
          const wp = byName(kind, n, name)?.waypoint;
          return wp ? { waypoint: { namespace: wp.namespace, name: wp.name } } : undefined;
        },
        exists: (kind, n, name) => (kind === 'Gateway' ? world.cluster(cluster).get('Gateway', n, name) !== undefined : byName(kind, n, name) !== undefined),
      }).get(`${ns}/${obj.metadata.name}`);
      return conditions ? withConditions(obj, conditions) : obj;
    }
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TCPRoute':
    case 'TLSRoute': {
      const status = routeStatuses(indexesFor(meshStateOf(world), cluster).routes).get(`${obj.kind}/${ns}/${obj.metadata.name}`);
      return status ? { ...obj, status } : obj;
    }
    default:
      return obj;
  }
}
