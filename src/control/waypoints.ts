// The waypoint collection and the `istio.io/use-waypoint` resolution of reference/ambient.md §2.2–§2.4, §2.8.
import { matchSelector } from '../k8s/object';
import type { Condition, Gateway, GatewayAddress, Labels, RouteNamespaces } from '../k8s/types';
import { USE_WAYPOINT, USE_WAYPOINT_NAMESPACE, WAYPOINT_FOR } from './labels';

export type TrafficType = 'service' | 'workload' | 'all' | 'none';

export interface WaypointInfo {
  namespace: string;
  name: string;
  /** `istio.io/waypoint-for` from the Gateway, else its GatewayClass, else `service`; unknown strings accept nothing. */
  trafficType: string;
  /** The HBONE listener's allowedRoutes.namespaces (unset means Same). */
  allowedRoutes: RouteNamespaces;
  address: GatewayAddress;
  /** The Gateway object as stored (for status and listing). */
  gateway: Gateway;
}

export type BindableKind = 'Service' | 'ServiceEntry' | 'Pod' | 'WorkloadEntry';

export interface BindingTarget {
  kind: BindableKind;
  namespace: string;
  labels: Labels;
}

export interface Binding {
  waypoint?: WaypointInfo;
  /** The `istio.io/WaypointBound` condition istiod writes; absent when no label applies or silently not applicable. */
  condition?: Condition;
}

/**
 * istiod treats a Gateway as a waypoint once it has status addresses, whatever its class
 * (ambient.md §2.1, open question 1).
 */
export function waypointFromGateway(gw: Gateway, classLabels: Labels | undefined): WaypointInfo | undefined {
  const address = gw.status?.addresses?.[0];
  if (!address) return undefined;
  const hbone = gw.spec?.listeners?.find((l) => l.protocol === 'HBONE' && l.port === 15008);
  return {
    namespace: gw.metadata.namespace ?? 'default',
    name: gw.metadata.name,
    trafficType: gw.metadata.labels?.[WAYPOINT_FOR] ?? classLabels?.[WAYPOINT_FOR] ?? 'service',
    allowedRoutes: hbone?.allowedRoutes?.namespaces ?? { from: 'Same' },
    address,
    gateway: gw,
  };
}

/**
 * istiod's check of the waypoint's listener against the attaching object's namespace. Nothing
 * exempts the waypoint's own namespace (a Selector must match it too), and a Selector without a
 * `selector` is Kubernetes' "nothing" selector: it admits no namespace.
 */
function attachmentAllowed(wp: WaypointInfo, clientNs: string, clientNsLabels: Labels): boolean {
  switch (wp.allowedRoutes.from) {
    case 'All':
      return true;
    case 'Selector':
      return wp.allowedRoutes.selector !== undefined && matchSelector(wp.allowedRoutes.selector, clientNsLabels);
    default:
      return clientNs === wp.namespace;
  }
}

function errorCondition(reason: string, message: string): Condition {
  return { type: 'istio.io/WaypointBound', status: 'False', reason, message };
}

export interface WaypointLookup {
  waypoint(namespace: string, name: string): WaypointInfo | undefined;
  namespaceLabels(namespace: string): Labels;
}

/**
 * Resolve the waypoint of one Service, ServiceEntry, Pod or WorkloadEntry: the object's label
 * beats its namespace's; `none` disables; a label naming a missing or refused waypoint gives no
 * waypoint and never falls back to the namespace label.
 */
export function resolveWaypoint(target: BindingTarget, lookup: WaypointLookup): Binding {
  const nsLabels = lookup.namespaceLabels(target.namespace);
  const own = target.labels[USE_WAYPOINT];
  const fromObject = own !== undefined;
  const labels = fromObject ? target.labels : nsLabels;
  const name = labels[USE_WAYPOINT];
  if (name === undefined || name === 'none') return {};
  const wpNs = labels[USE_WAYPOINT_NAMESPACE] ?? target.namespace;
  const ref = `${wpNs}/${name}`;
  const wp = lookup.waypoint(wpNs, name);
  if (!wp) return { condition: errorCondition('WaypointIsNotReady', `waypoint "${ref}" is not ready`) };
  if (!attachmentAllowed(wp, target.namespace, nsLabels)) {
    return { condition: errorCondition('AttachmentDenied', `we are not permitted to attach to waypoint "${ref}" (missing allowedRoutes?)`) };
  }
  const forServices = target.kind === 'Service' || target.kind === 'ServiceEntry';
  const wanted = forServices ? 'service' : 'workload';
  if (wp.trafficType !== wanted && wp.trafficType !== 'all') {
    // Pods inheriting a service waypoint from their namespace is the normal case: silent.
    if (!forServices && !fromObject) return {};
    return {
      condition: errorCondition('UnsupportedTrafficType', `attempting to bind to traffic type "${wanted}" which the waypoint "${ref}" does not support`),
    };
  }
  return {
    waypoint: wp,
    condition: { type: 'istio.io/WaypointBound', status: 'True', reason: 'WaypointAccepted', message: `Successfully attached to waypoint ${ref}` },
  };
}
