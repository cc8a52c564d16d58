// The engine's internal form of a route: what Istio would put in one generated (or user)
// VirtualService http route, with every reference already resolved.
import type { RE2JS } from 're2js';
import type { CompiledMatch } from './match';
import type { BackendTarget, ClusterPolicy, HeaderOps, RetryPolicy } from './types';

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'VirtualService';

export interface ResolvedBackend {
  weight: number;
  /** Null: the backend cannot be reached; its share gets `invalidStatus`. */
  target: BackendTarget | null;
  cluster: ClusterPolicy | null;
  invalidReason?: string;
  requestHeaders: HeaderOps | null;
  responseHeaders: HeaderOps | null;
}

export interface RedirectSpec {
  status: number;
  scheme?: string;
  host?: string;
  /** undefined: keep the authority as sent; 'request': the port the request arrived on; 'protocol': scheme default. */
  port?: number | 'request' | 'protocol';
  fullPath?: string;
  /** Replacement for the matched prefix (Envoy prefix_rewrite). */
  prefix?: string;
}

export interface RewriteSpec {
  authority?: string;
  /** Envoy prefix_rewrite of the matched prefix or path. */
  prefix?: string;
  /** Gateway API ReplacePrefixMatch `/`: strip the matched prefix (regex ^prefix(/?)(.*) → /\2). */
  stripPrefix?: boolean;
  fullPath?: string;
  regex?: { re: RE2JS; substitution: string };
}

export interface FaultSpec {
  delayMs?: number;
  delayPercent: number;
  abortStatus?: number;
  abortGrpcStatus?: string;
  abortPercent: number;
}

export type RouteAction =
  | { kind: 'forward'; backends: ResolvedBackend[]; totalWeight: number }
  | { kind: 'redirect'; redirect: RedirectSpec }
  | { kind: 'direct'; status: number; body: string };

export interface CompiledRoute {
  kind: RouteKind;
  namespace: string;
  name: string;
  /** `HTTPRoute ns/name` */
  label: string;
  /** `ns/name`, as decisions name the deciding object (set by finishRoute). */
  policy: string;
  /** Rule index, or the rule's name when it has one. */
  rule: number | string;
  /** True for Gateway API routes: an unreachable backend answers 500, not 503. */
  gatewayApi: boolean;
  action: RouteAction;
  requestHeaders: HeaderOps | null;
  responseHeaders: HeaderOps | null;
  rewrite: RewriteSpec | null;
  mirrors: { target: BackendTarget; percent: number }[];
  timeoutMs?: number;
  retry: RetryPolicy | null;
  /** Precomputed from timeoutMs and retry.perTryTimeoutMs by finishRoute. */
  timeouts: { requestMs?: number; backendRequestMs?: number };
  fault: FaultSpec | null;
}

/** One match of one route: the unit of first-match-wins evaluation. Null match = match-less route. */
export interface RouteEntry {
  route: CompiledRoute;
  match: CompiledMatch | null;
  /** Index of the match inside the source rule (explanations). */
  matchIndex: number;
}

const NO_TIMEOUTS = Object.freeze({});

/** Fills the fields derived once per compile so that decisions allocate nothing for them. */
export function finishRoute(r: Omit<CompiledRoute, 'timeouts' | 'policy'>): CompiledRoute {
  const perTry = r.retry?.perTryTimeoutMs;
  const timeouts = r.timeoutMs || perTry ? Object.freeze({ ...(r.timeoutMs ? { requestMs: r.timeoutMs } : {}), ...(perTry ? { backendRequestMs: perTry } : {}) }) : NO_TIMEOUTS;
  return Object.assign(r, { timeouts, policy: `${r.namespace}/${r.name}` });
}
