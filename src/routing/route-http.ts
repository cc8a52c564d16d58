// routeHttp: the decision a waypoint's HTTP chain takes for one request to one service port.
import type { Decision } from '../result/types';
import { httpTable, type RouteIndex } from './compile';
import { explainSkipped, routeDecision } from './explain';
import { hashKeyOf } from './hash-key';
import { applyHeaderOps } from './headers';
import type { MatchContext } from './match';
import type { CompiledRoute, ResolvedBackend, RouteEntry } from './model';
import { hashingLb, matchedDecision, mergeResponseOps, sharedDecision, type PlainForward } from './plain-forward';
import type { Candidate } from './candidate';
import type { RouteTable } from './table';
import { pickPercent, pickWeighted } from '../../sim/choice';
import { MESH_DEFAULT_RETRY } from './retry';
import { redirectLocation, rewritePath } from './rewrite';
import type { BackendTarget, ClusterPolicy, ForwardDecision, HttpRequest, LbPolicy, RouteDecision, RouteOptions, RouteTarget } from './types';

const NO_MIRRORS: BackendTarget[] = [];
const NO_TIMEOUTS = Object.freeze({}) as ForwardDecision['timeouts'];

/**
 * Random draws, in order, only where chance decides: fault delay, fault abort (when 0 < % < 100),
 * the weighted backend (when there are several), each mirror (when 0 < % < 100).
 */
export function routeHttp(index: RouteIndex, target: RouteTarget, req: HttpRequest, rng: () => number, opts?: RouteOptions): RouteDecision {
  const at = opts?.at ?? 'waypoint';
  const full = req.path;
  const q = full.indexOf('?');
  const path = q < 0 ? full : full.slice(0, q);
  const query = q < 0 ? '' : full.slice(q);
  const table = httpTable(index, target.namespace, target.service, target.port);
  if (!table) return defaultForward(index, target, req, query, at);
  const ctx: MatchContext = { method: req.method, path, query, authority: req.authority, scheme: req.scheme ?? 'http', headers: req.headers };
  if (opts?.explain) return explained(index, table, target, ctx, req, rng, at);
  const c = table.first(ctx);
  if (c === null) return noRoute(table, at, null);
  const plain = c.plain();
  if (plain !== null) return plainForward(plain, req, query, at);
  return act(index, c.entry, target, ctx, req, rng, at);
}

/** The decision with one decision per earlier entry saying why it did not match. */
function explained(index: RouteIndex, table: RouteTable, target: RouteTarget, ctx: MatchContext, req: HttpRequest, rng: () => number, at: string): RouteDecision {
  const i = table.firstMatch(ctx);
  const skipped = explainSkipped(at, table, ctx, i);
  if (i < 0) return noRoute(table, at, skipped);
  const decision = act(index, table.entries[i]!, target, ctx, req, rng, at);
  decision.decisions.unshift(...skipped);
  return decision;
}

function noRoute(table: RouteTable, at: string, skipped: Decision[] | null): RouteDecision {
  const d = routeDecision(at, 'no-route', null, table.noMatchReason());
  return { type: 'no-route', status: 404, decisions: skipped ? [...skipped, d] : [d] };
}

/** The decision of a plain-forward entry: shared parts from the entry, the rest from the request. */
function plainForward(c: Candidate & PlainForward, req: HttpRequest, query: string, at: string): ForwardDecision {
  if (c.decision === null || c.at !== at) {
    c.decision = sharedDecision(matchedDecision(at, c.entry.route, c.entry.matchIndex));
    c.at = at;
  }
  return forward(c, c.backend, c.cluster, req.headers, req.path, req.authority, c.responseHeaderOps, NO_MIRRORS, c.hashLb, query, req.srcIp, [c.decision]);
}

/** The action of a matched entry: redirect, direct response, or forward with faults, header ops, rewrite and mirrors. */
export function act(index: RouteIndex, entry: RouteEntry, target: RouteTarget, ctx: MatchContext, req: HttpRequest, rng: () => number, at: string): RouteDecision {
  const route = entry.route;
  const action = route.action;
  if (action.kind === 'redirect') {
    const location = redirectLocation(action.redirect, ctx, target.port, entry.match);
    return {
      type: 'redirect',
      route: route.label,
      rule: route.rule,
      status: action.redirect.status,
      location,
      responseHeaderOps: route.responseHeaders,
      decisions: [routeDecision(at, 'redirect', route, `redirect ${action.redirect.status} to ${location}`)],
    };
  }
  if (action.kind === 'direct') {
    const reason = route.gatewayApi && action.status === 500 ? 'rule has no backend with weight > 0' : `direct response ${action.status}`;
    return { type: 'direct', route: route.label, rule: route.rule, status: action.status, body: action.body, responseHeaderOps: route.responseHeaders, decisions: [routeDecision(at, 'direct', route, reason)] };
  }

  const decisions: Decision[] = [matchedDecision(at, route, entry.matchIndex)];
  let fault: ForwardDecision['fault'];
  const f = route.fault;
  if (f) {
    if (f.delayMs !== undefined && sample(f.delayPercent, rng)) fault = { delayMs: f.delayMs };
    if ((f.abortStatus !== undefined || f.abortGrpcStatus !== undefined) && sample(f.abortPercent, rng)) {
      fault = { ...fault, ...(f.abortStatus !== undefined ? { abortStatus: f.abortStatus } : {}), ...(f.abortGrpcStatus !== undefined ? { abortGrpcStatus: f.abortGrpcStatus } : {}) };
    }
    if (fault) decisions.push({ at, kind: 'fault', result: fault.abortStatus !== undefined ? String(fault.abortStatus) : fault.abortGrpcStatus ?? `delay ${fault.delayMs}ms`, policy: route.policy, rule: route.rule, detail: { ...fault } });
  }

  const backend = pickBackend(action.backends, action.totalWeight, rng);
  if (!backend || !backend.target || !backend.cluster) {
    const status = route.gatewayApi ? 500 : 503;
    const reason = backend?.invalidReason ?? 'no backend';
    decisions[0] = routeDecision(at, 'invalid-backend', route, `${reason} (${status})`);
    return { type: 'invalid-backend', route: route.label, rule: route.rule, status, reason, decisions };
  }

  let headers = req.headers;
  let authority = req.authority;
  if (route.requestHeaders || backend.requestHeaders) {
    headers = { ...req.headers };
    // Backend-level operations first, then the rule's (the less specific level is applied last).
    if (backend.requestHeaders) authority = applyHeaderOps(headers, backend.requestHeaders) ?? authority;
    if (route.requestHeaders) authority = applyHeaderOps(headers, route.requestHeaders) ?? authority;
  }
  // ctx is req.path split at `?`: without a rewrite the forwarded path is the request's own.
  let path = req.path;
  if (route.rewrite) {
    path = rewritePath(ctx.path, route.rewrite, entry.match) + ctx.query;
    if (route.rewrite.authority) authority = route.rewrite.authority;
  }
  const mirrors = sampleMirrors(route, rng);
  const d = forward(route, backend.target, backend.cluster, headers, path, authority, mergeResponseOps(route, backend), mirrors, hashingLb(backend.cluster), ctx.query, req.srcIp, decisions);
  if (fault) d.fault = fault;
  return d;
}

function forward(
  route: Pick<CompiledRoute, 'label' | 'rule' | 'retry' | 'timeouts'> | null,
  backend: BackendTarget,
  cluster: ClusterPolicy,
  requestHeaders: Record<string, string>,
  path: string,
  authority: string,
  responseHeaderOps: ForwardDecision['responseHeaderOps'],
  mirrors: BackendTarget[],
  /** The cluster's LB policy when it hashes (the key is then taken from the request), else null. */
  hashLb: LbPolicy | null,
  query: string,
  srcIp: string | undefined,
  decisions: Decision[],
): ForwardDecision {
  const retry = route ? route.retry : MESH_DEFAULT_RETRY;
  const timeouts = route ? route.timeouts : NO_TIMEOUTS;
  const d: ForwardDecision = {
    type: 'forward',
    route: route ? route.label : null,
    rule: route ? route.rule : null,
    backend,
    cluster,
    requestHeaders,
    path,
    authority,
    responseHeaderOps,
    mirrors,
    timeouts,
    retry,
    decisions,
  };
  if (hashLb !== null) {
    const key = hashKeyOf(hashLb, requestHeaders, query, srcIp);
    if (key !== undefined) d.hashKey = key;
  }
  return d;
}

/** No route for this service port: forward to the service itself with the mesh default retry and no timeout. */
function defaultForward(index: RouteIndex, target: RouteTarget, req: HttpRequest, query: string, at: string): ForwardDecision {
  const d = index.defaults.get(target);
  if (d.decision === null || d.at !== at) {
    d.decision = sharedDecision(routeDecision(at, 'forward', null, 'no route applies to this service port; default route to the service'));
    d.at = at;
  }
  return forward(null, d.backend, d.cluster, req.headers, req.path, req.authority, null, NO_MIRRORS, d.hashLb, query, req.srcIp, [d.decision]);
}

function sample(percent: number, rng: () => number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return pickPercent(rng, percent);
}

function pickBackend(backends: ResolvedBackend[], total: number, rng: () => number): ResolvedBackend | undefined {
  if (backends.length <= 1) return backends[0];
  return backends[pickWeighted(rng, backends.length, total, (i) => backends[i]!.weight)];
}

function sampleMirrors(route: CompiledRoute, rng: () => number): BackendTarget[] {
  if (route.mirrors.length === 0) return NO_MIRRORS;
  const out: BackendTarget[] = [];
  for (const m of route.mirrors) if (sample(m.percent, rng)) out.push(m.target);
  return out;
}
