// Public shapes of the authorization engines: what the data plane passes in per hop and what it gets back.
import type { AuthzSource, Labels } from '../k8s/types';
import type { Decision } from '../result/types';

/** `from.source` as the current Istio API has it (trustDomains arrived after the shared k8s types were written). */
export type Source = AuthzSource & { trustDomains?: string[]; notTrustDomains?: string[] };

/** One TCP connection as the destination ztunnel sees it (authz.md §3.6). */
export interface ZtunnelConnection {
  /** `spiffe://td/ns/x/sa/y`, or null for plaintext passthrough. */
  srcIdentity: string | null;
  srcIp: string;
  dstIp: string;
  /** The destination TARGET (container) port. */
  dstPort: number;
}

/** One request (or TCP connection) as a waypoint sees it (authz.md §3.6). */
export interface WaypointRequest {
  srcIdentity: string | null;
  /** Direct peer IP (the client pod IP). */
  srcIp: string;
  /** Original client IP (XFF / PROXY); defaults to srcIp. */
  remoteIp?: string;
  dstIp: string;
  /** Service port for service-addressed traffic, pod port for workload-addressed. */
  dstPort: number;
  host: string;
  method: string;
  /** Path as sent, query string included. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  sni?: string;
  protocol: 'http' | 'tcp';
}

/** The workload whose ztunnel policies are looked up. */
export interface WorkloadRef {
  namespace: string;
  labels: Labels;
  /** The waypoint this workload uses (only for PILOT_AUTO_ALLOW_WAYPOINT_POLICY). */
  waypoint?: { namespace: string; name: string; serviceAccounts: string[] };
}

export interface WaypointContext {
  waypoint: { namespace: string; name: string };
  /** The service the request was addressed to; absent for workload-addressed traffic. */
  service?: { kind: 'Service' | 'ServiceEntry'; namespace: string; name: string };
}

/**
 * A CUSTOM (ext_authz) provider as meshsim models it: it allows or denies by one request header.
 * With `allowIfHeader` only requests carrying one of the values pass; with `denyIfHeader` those are denied.
 */
export interface AuthorizerProvider {
  name: string;
  allowIfHeader?: { name: string; values: string[] };
  denyIfHeader?: { name: string; values: string[] };
  /** Status the provider answers on deny (default 403). */
  deniedStatus?: number;
  deniedBody?: string;
}

export interface AuthzFeatures {
  /** PILOT_AUTO_ALLOW_WAYPOINT_POLICY (default false). */
  autoAllowWaypointPolicy?: boolean;
  /** AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY (default false): send dry-run policies to ztunnel, logged only. */
  ambientDryRun?: boolean;
}

export interface AuthzInput {
  authorizationPolicies: import('../k8s/types').AuthorizationPolicy[];
  peerAuthentications: import('../k8s/types').PeerAuthentication[];
  requestAuthentications: import('../k8s/types').RequestAuthentication[];
  rootNamespace: string;
  trustDomain: string;
  features?: AuthzFeatures;
  /** CUSTOM providers (meshConfig.extensionProviders as meshsim models them). */
  providers?: AuthorizerProvider[];
}

/** The outcome of one authz evaluation. */
export interface AuthzDecision {
  allowed: boolean;
  /** The deciding decision (kind authz, authn or peer-authn). */
  decision: Decision;
  /** Decisions recorded but not enforced: dry-run policies and AUDIT matches. */
  shadow: Decision[];
}

/** What the waypoint's client observes (authz.md §4.6). */
export type WaypointOutcome =
  | { kind: 'pass' }
  | { kind: 'http'; status: number; body: string }
  | { kind: 'close' };

/** Attributes produced by RequestAuthentication for `request.auth.*` (empty when no valid token). */
export interface RequestAuth {
  principal: string;
  issuer: string;
  subject: string;
  audiences: string[];
  presenter: string;
  claims: Record<string, unknown>;
}

export interface WaypointDecision extends AuthzDecision {
  outcome: WaypointOutcome;
  /** The JWT decision when a RequestAuthentication applies (kind authn). */
  authn?: Decision;
  auth?: RequestAuth;
}
