// Every message `meshsim analyze` can report. IST codes are Istio's own (istio/istio
// pkg/config/analysis/msg/messages.yaml), with its level and wording; MSH codes are meshsim's, for
// ambient checks Istio's analyzers do not make. Each MSH code is documented at its docs anchor.

export type Level = 'Error' | 'Warning' | 'Info';

export interface MessageType {
  code: string;
  /** Istio's message name, or meshsim's for MSH codes. */
  name: string;
  level: Level;
  description: string;
  docs: string;
}

/** The istio.io documentation version of the simulated Istio (1.28). */
const ISTIO_DOCS = 'https://istio.io/v1.28/docs/reference/config/analysis';
const MESHSIM_DOCS = 'https://meshsim.dev/docs/analyze';

function ist(code: string, name: string, level: Level, description: string): MessageType {
  return { code, name, level, description, docs: `${ISTIO_DOCS}/${code.toLowerCase()}/` };
}

function msh(code: string, name: string, level: Level, description: string): MessageType {
  return { code, name, level, description, docs: `${MESHSIM_DOCS}#${code}` };
}

export const IST = {
  ReferencedResourceNotFound: ist('IST0101', 'ReferencedResourceNotFound', 'Error', 'A resource being referenced does not exist.'),
  NamespaceNotInjected: ist('IST0102', 'NamespaceNotInjected', 'Info', 'A namespace is not enabled for Istio injection.'),
  NamespaceMultipleInjectionLabels: ist('IST0123', 'NamespaceMultipleInjectionLabels', 'Warning', 'A namespace has more than one type of injection labels'),
  NoMatchingWorkloadsFound: ist('IST0127', 'NoMatchingWorkloadsFound', 'Warning', "There aren't workloads matching the resource labels"),
  NegativeConditionStatus: ist('IST0171', 'NegativeConditionStatus', 'Warning', 'A condition with a negative status is present'),
} as const;

/**
 * meshsim's own checks.
 *
 * | code    | level   | what it finds |
 * |---------|---------|---------------|
 * | MSH0001 | Warning | `istio.io/use-waypoint` on a namespace (or a Service in a namespace) not enrolled in ambient: its pods are not captured |
 * | MSH0002 | Error   | `istio.io/use-waypoint` names a waypoint that does not exist: traffic goes direct, and istiod does not fall back to the namespace's label |
 * | MSH0003 | Error   | the waypoint's `istio.io/waypoint-for` does not accept this kind of traffic (Service on a workload waypoint, pod on a service waypoint) |
 * | MSH0004 | Error   | a cross-namespace waypoint whose HBONE listener's allowedRoutes does not admit the namespace |
 * | MSH0005 | Error   | an AuthorizationPolicy with targetRefs that no waypoint enforces (and ztunnel never receives) |
 * | MSH0006 | Error   | a selector/namespace ALLOW rule with HTTP attributes: ztunnel drops the rule, so it never matches |
 * | MSH0007 | Error   | a selector/namespace DENY rule whose HTTP-only part makes it a no-op at ztunnel |
 * | MSH0008 | Warning | a selector/namespace DENY rule that ztunnel enforces without its HTTP parts (broader than written) |
 * | MSH0009 | Error   | the waypoint-identity trap: an L4 policy at the destination denies the waypoint's own identity |
 * | MSH0010 | Error   | a route on a Service that has no waypoint: ztunnel is L4 only, the route is not respected |
 * | MSH0011 | Warning | a consumer route (namespace other than the Service's and the waypoint's): the waypoint ignores it |
 * | MSH0012 | Error   | a route backendRef naming a Service that does not exist (its share of traffic gets 500) |
 * | MSH0013 | Error   | a route backendRef naming a port the Service does not declare |
 * | MSH0014 | Warning | a waypoint no Service or workload is bound to |
 * | MSH0015 | Error   | a PeerAuthentication portLevelMtls key that is a Service port, not a workload (target) port |
 * | MSH0016 | Warning | routes on one Service that overlap and whose order is decided by creation time, not by precedence |
 * | MSH0017 | Warning | a route whose parentRef is a waypoint Gateway: Istio builds no routing from it |
 * | MSH0018 | Error   | the object could not be applied to the simulated cluster |
 */
export const MSH = {
  UseWaypointOutsideAmbient: msh('MSH0001', 'UseWaypointOutsideAmbient', 'Warning', 'A waypoint label is set where pods are not captured by ztunnel.'),
  WaypointNotFound: msh('MSH0002', 'WaypointNotFound', 'Error', 'istio.io/use-waypoint names a waypoint that does not exist.'),
  WaypointTrafficTypeMismatch: msh('MSH0003', 'WaypointTrafficTypeMismatch', 'Error', 'The waypoint does not accept this traffic type.'),
  WaypointAttachmentDenied: msh('MSH0004', 'WaypointAttachmentDenied', 'Error', 'The cross-namespace waypoint does not allow attachment from this namespace.'),
  PolicyEnforcedNowhere: msh('MSH0005', 'PolicyEnforcedNowhere', 'Error', 'A targetRef policy has no waypoint to enforce it.'),
  ZtunnelAllowRuleDropped: msh('MSH0006', 'ZtunnelAllowRuleDropped', 'Error', 'An ALLOW rule with HTTP attributes never matches at ztunnel.'),
  ZtunnelDenyRuleNoOp: msh('MSH0007', 'ZtunnelDenyRuleNoOp', 'Error', 'A DENY rule with HTTP-only parts has no effect at ztunnel.'),
  ZtunnelDenyRuleBroadened: msh('MSH0008', 'ZtunnelDenyRuleBroadened', 'Warning', 'A DENY rule is enforced at ztunnel without its HTTP parts.'),
  WaypointIdentityDenied: msh('MSH0009', 'WaypointIdentityDenied', 'Error', "L4 policy at the destination denies the waypoint's identity."),
  RouteWithoutWaypoint: msh('MSH0010', 'RouteWithoutWaypoint', 'Error', 'A route targets a Service that has no waypoint.'),
  ConsumerRouteIgnored: msh('MSH0011', 'ConsumerRouteIgnored', 'Warning', 'A consumer route is ignored by the waypoint.'),
  BackendNotFound: msh('MSH0012', 'BackendNotFound', 'Error', 'A route backend Service does not exist.'),
  BackendPortNotFound: msh('MSH0013', 'BackendPortNotFound', 'Error', 'A route backend port is not declared by the Service.'),
  UnusedWaypoint: msh('MSH0014', 'UnusedWaypoint', 'Warning', 'Nothing is bound to the waypoint.'),
  PeerAuthnServicePort: msh('MSH0015', 'PeerAuthnServicePort', 'Error', 'portLevelMtls keys are workload ports, not Service ports.'),
  RouteOrderByCreationTime: msh('MSH0016', 'RouteOrderByCreationTime', 'Warning', 'Overlapping routes are ordered by creation time.'),
  RouteParentIsWaypoint: msh('MSH0017', 'RouteParentIsWaypoint', 'Warning', 'A route attached to a waypoint Gateway is ignored.'),
  NotApplied: msh('MSH0018', 'NotApplied', 'Error', 'The object could not be applied.'),
  PeerAuthnStrictPortIgnored: msh('MSH0019', 'PeerAuthnStrictPortIgnored', 'Warning', 'A STRICT port on a lax workload policy under a mesh-wide STRICT is not enforced.'),
  DestinationRuleWithoutWaypoint: msh('MSH0020', 'DestinationRuleWithoutWaypoint', 'Warning', 'A DestinationRule for an ambient Service without a waypoint is ignored by ztunnel.'),
} as const;

export const ALL_MESSAGE_TYPES: readonly MessageType[] = [...Object.values(IST), ...Object.values(MSH)];

export function messageType(code: string): MessageType | undefined {
  return ALL_MESSAGE_TYPES.find((t) => t.code === code);
}
