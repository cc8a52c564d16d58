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

/**
 * An empty list shared by every compiled object that has nothing to list (routes without
 * mirrors, matches without headers): each `[]` would otherwise cost an array of its own.
 */
export const NONE: never[] = Object.freeze([]) as never[];

/** A copy holding exactly its elements: a list grown by push keeps spare capacity (up to 17 slots). */
export function exact<T>(list: T[]): T[] {
  return list.length === 0 ? NONE : list.slice();
}

/** Joined flat: compiled routes outlive the compile, and a template literal would keep a chain of pieces. */
export function label(kind: string, namespace: string, name: string): string {
  return [kind, ' ', namespace, '/', name].join('');
}

/** Fills the fields derived once per compile so that decisions allocate nothing for them. */
export function finishRoute(r: Omit<CompiledRoute, 'timeouts' | 'policy'>): CompiledRoute {
  const perTry = r.retry?.perTryTimeoutMs;
  const timeouts = r.timeoutMs || perTry ? Object.freeze({ ...(r.timeoutMs ? { requestMs: r.timeoutMs } : {}), ...(perTry ? { backendRequestMs: perTry } : {}) }) : NO_TIMEOUTS;
  // One literal of every field: fields added to `r` would go to a separate property store, and a
  // spread copy gets a hidden class of its own per route.
  const route: CompiledRoute = {
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    label: r.label,
    policy: [r.namespace, '/', r.name].join(''),
    rule: r.rule,
    gatewayApi: r.gatewayApi,
    action: r.action,
    requestHeaders: r.requestHeaders,
    responseHeaders: r.responseHeaders,
    rewrite: r.rewrite,
    mirrors: exact(r.mirrors),
    retry: r.retry,
    timeouts,
    fault: r.fault,
  };
  if (r.timeoutMs !== undefined) route.timeoutMs = r.timeoutMs;
  return route;
}
