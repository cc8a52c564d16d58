// VirtualService http routes → engine routes, as a waypoint applies them (Istio
// getVirtualServiceForWaypoint + route translation): first match wins, per-match filters for the
// waypoint, plain-string prefixes, faults, retries, subsets.
import type { VirtualService, VSDestination, VSHTTPRoute, VSMatch } from '../k8s/types';
import { parseDurationMs } from './duration';
import { fromVsHeaderOps } from './headers';
import { fromStringMatch, InvalidRegexError, re2OrThrow, type CompiledMatch, type HeaderMatcher } from './match';
import { finishRoute, label, type CompiledRoute, type FaultSpec, type RedirectSpec, type ResolvedBackend, type RewriteSpec, type RouteEntry } from './model';
import { hostMatches, type KnownService, type Registry } from './registry';
import { virtualServiceRetry } from './retry';
import type { DestinationRules } from './traffic-policy';
import type { BackendTarget, ClusterPolicy } from './types';

export interface VsContext {
  registry: Registry;
  drs: DestinationRules;
  proxyNs: string;
  service: KnownService;
  port: number;
}

/** Whether a waypoint in `proxyNs` uses this VS for the service (gateways, exportTo, namespace, hosts). */
export function vsAppliesTo(vs: VirtualService, svc: KnownService, proxyNs: string, registry: Registry): boolean {
  const ns = vs.metadata.namespace ?? 'default';
  if (ns !== svc.namespace && ns !== proxyNs) return false;
  const gateways = vs.spec?.gateways;
  if (gateways && gateways.length > 0 && !gateways.includes('mesh')) return false;
  if (!vsVisibleTo(vs, proxyNs)) return false;
  return (vs.spec?.hosts ?? []).some((h) => {
    const host = registry.resolveHost(h, ns);
    return svc.hosts.some((sh) => hostMatches(host, sh));
  });
}

export function vsVisibleTo(vs: VirtualService, proxyNs: string): boolean {
  const exportTo = vs.spec?.exportTo;
  const ns = vs.metadata.namespace ?? 'default';
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || e === proxyNs || (e === '.' && ns === proxyNs));
}

export interface VsConvertResult {
  entries: RouteEntry[];
  droppedMatches: string[];
}

export function convertVirtualService(vs: VirtualService, ctx: VsContext): VsConvertResult {
  const out: VsConvertResult = { entries: [], droppedMatches: [] };
  const ns = vs.metadata.namespace ?? 'default';
  (vs.spec?.http ?? []).forEach((http, i) => {
    let route: CompiledRoute;
    try {
      route = convertHttp(vs, ns, http, i, ctx);
    } catch (e) {
      if (!(e instanceof InvalidRegexError)) throw e;
      out.droppedMatches.push(`VirtualService ${ns}/${vs.metadata.name} http ${http.name ?? i}: ${e.message}`);
      return;
    }
    if (!http.match || http.match.length === 0) {
      out.entries.push({ route, match: null, matchIndex: 0 });
      return;
    }
    http.match.forEach((m, mi) => {
      if (!appliesAtWaypoint(m, ctx)) return;
      try {
        out.entries.push({ route, match: vsMatch(m), matchIndex: mi });
      } catch (e) {
        if (!(e instanceof InvalidRegexError)) throw e;
        out.droppedMatches.push(`${route.label} http ${route.rule} match ${mi}: ${e.message}`);
      }
    });
  });
  return out;
}

/** Per-match filters at a waypoint: sourceLabels drop the match; port, gateways and sourceNamespace must fit. */
function appliesAtWaypoint(m: VSMatch, ctx: VsContext): boolean {
  if (m.sourceLabels && Object.keys(m.sourceLabels).length > 0) return false;
  if (m.port !== undefined && m.port !== ctx.port) return false;
  if (m.gateways && m.gateways.length > 0 && !m.gateways.includes('mesh')) return false;
  // Compared with the waypoint's namespace, not the client's.
  if (m.sourceNamespace && m.sourceNamespace !== ctx.proxyNs) return false;
  return true;
}

function vsMatch(m: VSMatch): CompiledMatch {
  const ignoreCase = m.ignoreUriCase === true;
  const uri = m.uri && m.uri.regex === undefined ? fromStringMatch(m.uri, ignoreCase) : fromStringMatch(m.uri);
  const headers: HeaderMatcher[] = [];
  for (const [name, sm] of Object.entries(m.headers ?? {})) headers.push({ name: name.toLowerCase(), m: fromStringMatch(sm)!, invert: false });
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {})) headers.push({ name: name.toLowerCase(), m: fromStringMatch(sm)!, invert: true });
  return {
    path: uri,
    headers,
    query: Object.entries(m.queryParams ?? {}).map(([name, sm]) => ({ name, m: fromStringMatch(sm)! })),
    method: fromStringMatch(m.method),
    scheme: fromStringMatch(m.scheme),
    authority: fromStringMatch(m.authority),
  };
}

function convertHttp(vs: VirtualService, ns: string, http: VSHTTPRoute, index: number, ctx: VsContext): CompiledRoute {
  const timeout = parseDurationMs(http.timeout);
  const route: CompiledRoute = finishRoute({
    kind: 'VirtualService',
    namespace: ns,
    name: vs.metadata.name,
    label: label('VirtualService', ns, vs.metadata.name),
    rule: http.name ?? index,
    gatewayApi: false,
    action: { kind: 'direct', status: 500, body: '' },
    requestHeaders: fromVsHeaderOps(http.headers?.request),
    responseHeaders: fromVsHeaderOps(http.headers?.response),
    rewrite: rewrite(http.rewrite),
    mirrors: mirrors(http, ns, ctx),
    retry: virtualServiceRetry(http.retries),
    fault: fault(http.fault),
    ...(timeout ? { timeoutMs: timeout } : {}),
  });
  if (http.redirect) route.action = { kind: 'redirect', redirect: redirect(http.redirect) };
  else if (http.directResponse) route.action = { kind: 'direct', status: http.directResponse.status, body: http.directResponse.body?.string ?? '' };
  else {
    const dests = http.route ?? [];
    const single = dests.length === 1;
    let backends: ResolvedBackend[] = dests.map((d) => ({
      weight: single ? 1 : (d.weight ?? 0),
      ...resolveDestination(d.destination, ns, ctx),
      requestHeaders: fromVsHeaderOps(d.headers?.request),
      responseHeaders: fromVsHeaderOps(d.headers?.response),
    }));
    backends = backends.filter((b) => b.weight > 0);
    route.action = { kind: 'forward', backends, totalWeight: backends.reduce((s, b) => s + b.weight, 0) };
  }
  return route;
}

/** A destination Envoy has no cluster for (unknown host, port or subset) answers 503. */
function resolveDestination(d: VSDestination, vsNs: string, ctx: VsContext): { target: BackendTarget | null; cluster: ClusterPolicy | null; invalidReason?: string } {
  const host = ctx.registry.resolveHost(d.host, vsNs);
  const svc = ctx.registry.byHostname(host);
  if (!svc) return { target: null, cluster: null, invalidReason: `no cluster for host ${host}` };
  const port = d.port?.number ?? (svc === ctx.service ? ctx.port : svc.ports.length === 1 ? svc.ports[0]! : ctx.port);
  if (!svc.ports.includes(port)) return { target: null, cluster: null, invalidReason: `no cluster for ${host}:${port}` };
  if (d.subset && !ctx.drs.hasSubset(host, svc.namespace, ctx.proxyNs, d.subset))
    return { target: null, cluster: null, invalidReason: `no cluster for subset ${d.subset} of ${host} (not defined by a DestinationRule)` };
  const target: BackendTarget = { kind: svc.kind, namespace: svc.namespace, name: svc.name, port, host, ...(d.subset ? { subset: d.subset } : {}) };
  return { target, cluster: ctx.drs.policy(host, svc.namespace, ctx.proxyNs, port, d.subset, 'http') };
}

function mirrors(http: VSHTTPRoute, ns: string, ctx: VsContext): CompiledRoute['mirrors'] {
  const list: { destination: VSDestination; percent: number }[] = [];
  if (http.mirror) list.push({ destination: http.mirror, percent: http.mirrorPercentage?.value ?? 100 });
  for (const m of http.mirrors ?? []) list.push({ destination: m.destination, percent: m.percentage?.value ?? 100 });
  const out: CompiledRoute['mirrors'] = [];
  for (const m of list) {
    const r = resolveDestination(m.destination, ns, ctx);
    if (r.target && m.percent > 0) out.push({ target: r.target, percent: m.percent });
  }
  return out;
}

function redirect(r: NonNullable<VSHTTPRoute['redirect']> & { derivePort?: string }): RedirectSpec {
  const spec: RedirectSpec = { status: r.redirectCode ?? 301 };
  if (r.authority) spec.host = r.authority;
  if (r.scheme) spec.scheme = r.scheme;
  if (r.port !== undefined) spec.port = r.port;
  else if (r.derivePort === 'FROM_REQUEST_PORT') spec.port = 'request';
  else if (r.derivePort === 'FROM_PROTOCOL_DEFAULT') spec.port = 'protocol';
  if (r.uri !== undefined) spec.fullPath = r.uri;
  return spec;
}

function rewrite(r: VSHTTPRoute['rewrite']): RewriteSpec | null {
  if (!r) return null;
  const spec: RewriteSpec = {};
  if (r.uri !== undefined) spec.prefix = r.uri;
  if (r.uriRegexRewrite) spec.regex = { re: re2OrThrow(r.uriRegexRewrite.match), substitution: r.uriRegexRewrite.rewrite };
  if (r.authority) spec.authority = r.authority;
  return spec;
}

function fault(f: VSHTTPRoute['fault']): FaultSpec | null {
  if (!f) return null;
  // Without a percentage nothing is faulted (the deprecated integer `percent` still counts).
  const spec: FaultSpec = { delayPercent: 0, abortPercent: 0 };
  const delay = parseDurationMs(f.delay?.fixedDelay);
  if (f.delay && delay !== undefined) {
    spec.delayMs = delay;
    spec.delayPercent = f.delay.percentage?.value ?? f.delay.percent ?? 0;
  }
  if (f.abort && (f.abort.httpStatus !== undefined || f.abort.grpcStatus !== undefined)) {
    if (f.abort.httpStatus !== undefined) spec.abortStatus = f.abort.httpStatus;
    if (f.abort.grpcStatus !== undefined) spec.abortGrpcStatus = f.abort.grpcStatus;
    spec.abortPercent = f.abort.percentage?.value ?? 0;
  }
  return spec;
}
