// The common route decision: a forward to one backend that draws no random number and leaves the
// request as it is (no fault, mirror, header operation or rewrite). All of it but the request's own
// fields is then the same for every request the entry matches, so it is gathered once per table
// entry, and the decision it starts with is made once per deciding proxy and shared (frozen: a
// result is never modified once returned).
import type { Decision } from '../result/types';
import { routeDecision } from './explain';
import type { CompiledRoute, ResolvedBackend } from './model';
import type { BackendTarget, ClusterPolicy, HeaderOps, LbPolicy, RetryPolicy } from './types';

/** What a plain forward's decision takes from its route, the same for every request. */
export interface PlainForward {
  readonly label: string;
  readonly rule: number | string;
  readonly retry: RetryPolicy | null;
  readonly timeouts: CompiledRoute['timeouts'];
  readonly backend: BackendTarget;
  readonly cluster: ClusterPolicy;
  readonly responseHeaderOps: HeaderOps | null;
  /** The cluster's LB policy when it hashes requests, else null. */
  readonly hashLb: LbPolicy | null;
}

/** The route's plain forward, or null when its decision needs the full evaluation. */
export function plainForwardOf(route: CompiledRoute): PlainForward | null {
  const action = route.action;
  if (action.kind !== 'forward' || action.backends.length !== 1 || route.fault || route.mirrors.length > 0 || route.rewrite || route.requestHeaders) return null;
  const backend = action.backends[0]!;
  if (!backend.target || !backend.cluster || backend.requestHeaders) return null;
  return {
    label: route.label,
    rule: route.rule,
    retry: route.retry,
    timeouts: route.timeouts,
    backend: backend.target,
    cluster: backend.cluster,
    responseHeaderOps: mergeResponseOps(route, backend),
    hashLb: hashingLb(backend.cluster),
  };
}

/** The first decision of a forward by a matched entry. */
export function matchedDecision(at: string, route: CompiledRoute, matchIndex: number): Decision {
  return routeDecision(at, 'forward', route, 'matched', { match: matchIndex });
}

/** A decision put in many results: any attempt to change it fails loudly. */
export function sharedDecision(d: Decision): Decision {
  if (d.detail) Object.freeze(d.detail);
  return Object.freeze(d);
}

/** The cluster's LB policy when requests carry a hash key for it, else null. */
export function hashingLb(cluster: ClusterPolicy): LbPolicy | null {
  return cluster.lb.hashOn ? cluster.lb : null;
}

/** Backend-level response operations apply before the rule's. */
export function mergeResponseOps(route: CompiledRoute, backend: ResolvedBackend): HeaderOps | null {
  if (!backend.responseHeaders) return route.responseHeaders;
  if (!route.responseHeaders) return backend.responseHeaders;
  const a = backend.responseHeaders;
  const b = route.responseHeaders;
  return {
    ...(a.set || b.set ? { set: [...(a.set ?? []), ...(b.set ?? [])] } : {}),
    ...(a.add || b.add ? { add: [...(a.add ?? []), ...(b.add ?? [])] } : {}),
    ...(a.remove || b.remove ? { remove: [...(a.remove ?? []), ...(b.remove ?? [])] } : {}),
  };
}
