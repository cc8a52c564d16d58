// Public API of the authorization engines (ztunnel L4, waypoint L7, PeerAuthentication, JWT).
export type {
  AuthorizerProvider,
  AuthzDecision,
  AuthzFeatures,
  AuthzInput,
  RequestAuth,
  Source,
  WaypointContext,
  WaypointDecision,
  WaypointOutcome,
  WaypointRequest,
  WorkloadRef,
  ZtunnelConnection,
} from './types';
export { compileAuthz, ztunnelPoliciesFor, waypointPoliciesFor, type AuthzIndex } from './compile';
export { evaluateZtunnel, NOT_ALLOWED, explicitlyDenied, type ZtunnelPolicySet } from './ztunnel-eval';
export { sidecarAcceptsPlaintext, sidecarPoliciesFor } from './sidecar';
export { evaluateWaypoint, RBAC_DENIED_BODY, type WaypointPolicySet, type WaypointEvalOptions } from './waypoint-eval';
export { authorizationPolicyStatus, type StatusOracles, type BindingOracle, type ExistenceOracle } from './status';
export { convertForZtunnel, type ZtConversion, type StatusMessage } from './ztunnel-convert';
export { peerAuthnFor, STATIC_STRICT_NAME, CONVERTED_PA_PREFIX, type EffectivePeerAuthn } from './peer-authn';
export type { ZtPolicy, ZtGroup, ZtMatch, ZtScope } from './ztunnel-policy';
export type { WpPolicy } from './waypoint-compile';
export { JWT_ERRORS } from './jwt';
export { mintToken, type MintOptions, type MintedToken } from './mint-token';
