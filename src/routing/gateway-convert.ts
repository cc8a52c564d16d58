// Gateway API HTTPRoute / GRPCRoute rules → engine routes, following Istio's conversion
// (pilot/pkg/config/kube/gateway/conversion.go): per-match split, CRD defaults, hard errors that
// drop the whole route, and soft backend errors that turn one backend's share into a 500.
import type {
  BackendRef,
  GRPCMethodMatch,
  GRPCRoute,
  GRPCRouteRule,
  HTTPHeaderMatch,
  HTTPRoute,
  HTTPRouteFilter,
  HTTPRouteMatch,
  HTTPRouteRule,
} from '../k8s/types';
import { parseDurationMs } from './duration';
import { fromHeaderFilter } from './headers';
import { InvalidRegexError, re2OrThrow, type CompiledMatch, type HeaderMatcher, type PathMatcher, type StringMatcher } from './match';
import { exact, finishRoute, label, NONE, type CompiledRoute, type RedirectSpec, type ResolvedBackend, type RewriteSpec, type RouteEntry, type RouteKind } from './model';
import type { Registry } from './registry';
import { gatewayRetry, MESH_DEFAULT_RETRY } from './retry';
import type { DestinationRules } from './traffic-policy';
import type { BackendTarget, ClusterPolicy, HeaderOps, RetryPolicy } from './types';

/** A reason and message as Istio writes them into ResolvedRefs. */
export interface ConfigError {
  reason: string;
  message: string;
}

export interface ConvertContext {
  registry: Registry;
  drs: DestinationRules;
  /** Namespace of the waypoint that will apply the route (DR lookup). */
  proxyNs: string;
  /** parentRef.port: a rule without matches then gets a port-only match (Istio augmentPortMatch). */
  parentPort?: number;
}

export interface ConvertResult {
  /** Entries in rule order, then match order (unsorted). Empty when `hardError` is set. */
  entries: RouteEntry[];
  hardError?: ConfigError;
  softError?: ConfigError;
  /** Matches dropped because Envoy would reject them (invalid RE2). Istio writes no status for it. */
  droppedMatches: string[];
}

class HardError extends Error {
  constructor(readonly config: ConfigError) {
    super(config.message);
  }
}

const EMPTY_MATCH: CompiledMatch = Object.freeze({ path: null, headers: [], query: [], method: null, scheme: null, authority: null }) as CompiledMatch;

export function convertHTTPRoute(route: HTTPRoute, ctx: ConvertContext): ConvertResult {
  return convertRules('HTTPRoute', route, route.spec?.rules ?? [], ctx, (rule) =>
    // CRD default: omitted matches ⇒ one PathPrefix / match.
    (rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]).map(httpMatch),
  );
}

export function convertGRPCRoute(route: GRPCRoute, ctx: ConvertContext): ConvertResult {
  return convertRules('GRPCRoute', route, route.spec?.rules ?? [], ctx, (rule) => (rule.matches ?? []).map(grpcMatch));
}

type AnyRule = HTTPRouteRule | GRPCRouteRule;

function convertRules<R extends AnyRule>(
  kind: RouteKind,
  obj: HTTPRoute | GRPCRoute,
  rules: R[],
  ctx: ConvertContext,
  matchesOf: (rule: R) => (() => CompiledMatch)[],
): ConvertResult {
  const ns = obj.metadata.namespace ?? 'default';
  const out: ConvertResult = { entries: [], droppedMatches: [] };
  try {
    rules.forEach((rule, i) => {
      const { route, softError } = convertRule(kind, obj, ns, rule, i, ctx);
      if (softError && !out.softError) out.softError = softError;
      const builders = matchesOf(rule);
      if (builders.length === 0) {
        out.entries.push({ route, match: ctx.parentPort !== undefined ? EMPTY_MATCH : null, matchIndex: 0 });
        return;
      }
      builders.forEach((build, mi) => {
        try {
          out.entries.push({ route, match: build(), matchIndex: mi });
        } catch (e) {
          if (!(e instanceof InvalidRegexError)) throw e;
          out.droppedMatches.push(`${route.label} rule ${route.rule} match ${mi}: ${e.message}`);
        }
      });
    });
  } catch (e) {
    if (!(e instanceof HardError)) throw e;
    return { entries: [], hardError: e.config, droppedMatches: [] };
  }
  return out;
}

function convertRule(kind: RouteKind, obj: HTTPRoute | GRPCRoute, ns: string, rule: AnyRule, index: number, ctx: ConvertContext): { route: CompiledRoute; softError?: ConfigError } {
  let requestHeaders: HeaderOps | null = null;
  let responseHeaders: HeaderOps | null = null;
  let redirect: RedirectSpec | undefined;
  let rewrite: RewriteSpec | null = null;
  const mirrors: CompiledRoute['mirrors'] = [];
  let softError: ConfigError | undefined;
  for (const f of rule.filters ?? []) {
    switch (f.type) {
      case 'RequestHeaderModifier':
        requestHeaders = fromHeaderFilter(f.requestHeaderModifier) ?? requestHeaders;
        break;
      case 'ResponseHeaderModifier':
        responseHeaders = fromHeaderFilter(f.responseHeaderModifier) ?? responseHeaders;
        break;
      case 'RequestMirror': {
        const m = f.requestMirror;
        if (!m) break;
        const dst = resolveBackend({ ...m.backendRef, weight: 1 }, ns, ctx);
        if (!dst.target) {
          // HTTPRoute: the mirror is dropped and reported; GRPCRoute: the whole route fails.
          if (dst.error && kind === 'GRPCRoute') throw new HardError(dst.error);
          softError ??= dst.error;
          break;
        }
        const percent = m.fraction ? (100 * m.fraction.numerator) / (m.fraction.denominator ?? 100) : (m.percent ?? 100);
        if (percent > 0) mirrors.push({ target: dst.target, percent });
        break;
      }
      case 'RequestRedirect':
        if (kind === 'HTTPRoute') {
          redirect = redirectSpec(f);
          break;
        }
        throw unsupportedFilter(f);
      case 'URLRewrite':
        if (kind === 'HTTPRoute') {
          rewrite = rewriteSpec(f);
          break;
        }
        throw unsupportedFilter(f);
      case 'CORS':
        // Accepted by Istio; preflight handling is not simulated.
        if (kind === 'HTTPRoute') break;
        throw unsupportedFilter(f);
      default:
        throw unsupportedFilter(f);
    }
  }

  const httpRule = kind === 'HTTPRoute' ? (rule as HTTPRouteRule) : undefined;
  let retry: RetryPolicy | null = httpRule ? gatewayRetry(httpRule.retry) : MESH_DEFAULT_RETRY;
  let timeoutMs: number | undefined;
  const request = parseDurationMs(httpRule?.timeouts?.request);
  if (request) timeoutMs = request;
  const backendRequest = parseDurationMs(httpRule?.timeouts?.backendRequest);
  if (backendRequest) {
    // With a retry stanza it is the per-try timeout; without one it replaces the route timeout.
    if (httpRule?.retry && retry) retry = { ...retry, perTryTimeoutMs: backendRequest };
    else if (!httpRule?.retry) timeoutMs = backendRequest;
  }

  const route: CompiledRoute = finishRoute({
    kind,
    namespace: ns,
    name: obj.metadata.name,
    label: label(kind, ns, obj.metadata.name),
    rule: rule.name ?? index,
    gatewayApi: true,
    action: { kind: 'direct', status: 500, body: '' },
    requestHeaders,
    responseHeaders,
    rewrite,
    mirrors,
    ...(timeoutMs ? { timeoutMs } : {}),
    retry,
    fault: null,
  });

  const refs = (rule.backendRefs ?? []).filter((b) => (b.weight ?? 1) !== 0);
  if (redirect) {
    route.action = { kind: 'redirect', redirect };
  } else if (refs.length > 0) {
    const backends: ResolvedBackend[] = [];
    for (const ref of refs) {
      const dst = resolveBackend(ref, ns, ctx);
      if (dst.error) softError ??= dst.error;
      backends.push({
        weight: ref.weight ?? 1,
        target: dst.target,
        cluster: dst.cluster,
        ...(dst.invalidReason ? { invalidReason: dst.invalidReason } : {}),
        ...backendFilters(ref),
      });
    }
    route.action = { kind: 'forward', backends: exact(backends), totalWeight: backends.reduce((s, b) => s + b.weight, 0) };
  }
  // else: no backend with weight > 0 ⇒ direct 500 (already set).
  return softError ? { route, softError } : { route };
}

function unsupportedFilter(f: HTTPRouteFilter): HardError {
  return new HardError({ reason: 'InvalidFilter', message: `unsupported filter type ${JSON.stringify(f.type)}` });
}

function backendFilters(ref: BackendRef): { requestHeaders: HeaderOps | null; responseHeaders: HeaderOps | null } {
  let requestHeaders: HeaderOps | null = null;
  let responseHeaders: HeaderOps | null = null;
  for (const f of ref.filters ?? []) {
    if (f.type === 'RequestHeaderModifier') requestHeaders = fromHeaderFilter(f.requestHeaderModifier);
    else if (f.type === 'ResponseHeaderModifier') responseHeaders = fromHeaderFilter(f.responseHeaderModifier);
    else throw unsupportedFilter(f);
  }
  return { requestHeaders, responseHeaders };
}

export interface Resolved {
  target: BackendTarget | null;
  cluster: ClusterPolicy | null;
  /** Soft error for status (backend kept, its share fails). */
  error?: ConfigError;
  /** Why traffic to it fails at runtime. */
  invalidReason?: string;
}

/** Istio buildDestination for mesh parents (ReferenceGrants are not enforced for mesh routes). */
function resolveBackend(ref: BackendRef, routeNs: string, ctx: ConvertContext, protocol: 'http' | 'tcp' = 'http'): Resolved {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  const { registry } = ctx;
  let svc;
  let host: string;
  let error: ConfigError | undefined;
  if (group === '' && kind === 'Service') {
    if (ref.name.includes('.'))
      throw new HardError({ reason: 'InvalidDestination', message: 'service name invalid; the name of the Service must be used, not the hostname.' });
    const ns = ref.namespace ?? routeNs;
    host = registry.fqdn(ns, ref.name);
    svc = registry.get('Service', ns, ref.name);
    if (!svc) error = { reason: 'BackendNotFound', message: `backend(${host}) not found` };
  } else if (group === 'networking.istio.io' && kind === 'Hostname') {
    if (ref.namespace !== undefined) throw new HardError({ reason: 'InvalidDestination', message: 'namespace may not be set with Hostname type' });
    host = ref.name;
    svc = registry.byHostname(host);
    if (!svc) error = { reason: 'BackendNotFound', message: `backend(${host}) not found` };
  } else {
    const message = `referencing unsupported backendRef: group ${JSON.stringify(group)} kind ${JSON.stringify(kind)}`;
    return { target: null, cluster: null, error: { reason: 'InvalidKind', message }, invalidReason: message };
  }
  if (ref.port === undefined) throw new HardError({ reason: 'InvalidDestination', message: 'port is required in backendRef' });
  if (!svc) return { target: null, cluster: null, error, invalidReason: error!.message };
  if (!svc.ports.includes(ref.port)) {
    // Istio does not report this; Envoy has no cluster for the port.
    return { target: null, cluster: null, invalidReason: `no cluster for ${host}:${ref.port} (port not declared by the service)` };
  }
  const target: BackendTarget = { kind: svc.kind, namespace: svc.namespace, name: svc.name, port: ref.port, host };
  return { target, cluster: ctx.drs.policy(host, svc.namespace, ctx.proxyNs, ref.port, undefined, protocol) };
}

function redirectSpec(f: HTTPRouteFilter): RedirectSpec {
  const r = f.requestRedirect ?? {};
  const spec: RedirectSpec = { status: r.statusCode ?? 302 };
  if (r.hostname) spec.host = r.hostname;
  if (r.scheme) spec.scheme = r.scheme;
  // Gateway API: an unset port means the request's port, or the scheme's default when the scheme changes.
  spec.port = r.port ?? (r.scheme ? 'protocol' : 'request');
  if (r.path?.type === 'ReplaceFullPath') spec.fullPath = r.path.replaceFullPath ?? '';
  else if (r.path?.type === 'ReplacePrefixMatch') spec.prefix = r.path.replacePrefixMatch ?? '';
  return spec;
}

function rewriteSpec(f: HTTPRouteFilter): RewriteSpec | null {
  const r = f.urlRewrite;
  if (!r) return null;
  const spec: RewriteSpec = {};
  if (r.path?.type === 'ReplacePrefixMatch') {
    const v = (r.path.replacePrefixMatch ?? '').replace(/\/$/, '');
    if (v === '') spec.stripPrefix = true;
    else spec.prefix = v;
  } else if (r.path?.type === 'ReplaceFullPath') {
    spec.fullPath = r.path.replaceFullPath ?? '';
  }
  if (r.hostname) spec.authority = r.hostname;
  return spec.prefix !== undefined || spec.stripPrefix || spec.fullPath !== undefined || spec.authority ? spec : null;
}

// ------------------------------------------------------------------ matches

function httpMatch(m: HTTPRouteMatch): () => CompiledMatch {
  return () => ({
    path: httpPath(m),
    headers: headerMatchers(m.headers, 'HeaderMatch'),
    query: m.queryParams?.length ? m.queryParams.map((q) => ({ name: q.name, m: valueMatcher(q, 'QueryParams') })) : NONE,
    method: m.method ? { kind: 'exact', value: m.method } : null,
    scheme: null,
    authority: null,
  });
}

function httpPath(m: HTTPRouteMatch): PathMatcher {
  const type = m.path?.type ?? 'PathPrefix';
  let value = m.path?.value ?? '/';
  switch (type) {
    case 'PathPrefix':
      // A trailing `/` is ignored; `/` itself is a plain prefix matching everything.
      if (value !== '/') value = value.replace(/\/$/, '');
      return value === '/' ? { kind: 'prefix', value } : { kind: 'segment-prefix', value };
    case 'Exact':
      return { kind: 'exact', value };
    case 'RegularExpression':
      return { kind: 'regex', value, re: re2OrThrow(value) };
    default:
      throw new HardError({ reason: 'InvalidConfiguration', message: `unknown type: ${JSON.stringify(type)} is not supported Path match type` });
  }
}

function valueMatcher(h: HTTPHeaderMatch, what: string): StringMatcher {
  const type = h.type ?? 'Exact';
  if (type === 'Exact') return { kind: 'exact', value: h.value };
  if (type === 'RegularExpression') return h.value === '*' ? { kind: 'present' } : { kind: 'regex', value: h.value, re: re2OrThrow(h.value) };
  throw new HardError({ reason: 'InvalidConfiguration', message: `unknown type: ${JSON.stringify(type)} is not supported ${what} type` });
}

function headerMatchers(headers: HTTPHeaderMatch[] | undefined, what: string): HeaderMatcher[] {
  const out: HeaderMatcher[] = [];
  for (const h of headers ?? []) {
    const name = h.name.toLowerCase();
    // Only the first entry for a name counts.
    if (out.some((o) => o.name === name)) continue;
    out.push({ name, m: valueMatcher(h, what), invert: false });
  }
  return exact(out);
}

function grpcMatch(m: { method?: GRPCMethodMatch; headers?: HTTPHeaderMatch[] }): () => CompiledMatch {
  return () => ({
    path: m.method ? grpcPath(m.method) : null,
    headers: headerMatchers(m.headers, 'HeaderMatch'),
    query: NONE,
    method: null,
    scheme: null,
    authority: null,
  });
}

/** gRPC method matching is done on the HTTP/2 path `/<service>/<method>`. */
function grpcPath(m: GRPCMethodMatch): PathMatcher {
  const { service, method } = m;
  if (!service && !method) throw new HardError({ reason: 'InvalidConfiguration', message: 'gRPC match must have method or service defined' });
  const regex = (pattern: string): PathMatcher => ({ kind: 'regex', value: pattern, re: re2OrThrow(pattern) });
  const type = m.type ?? 'Exact';
  if (type === 'Exact') {
    if (!method) return { kind: 'prefix', value: `/${service}/` };
    if (!service) return regex(`/[^/]+/${method}`);
    return { kind: 'exact', value: `/${service}/${method}` };
  }
  if (type === 'RegularExpression') {
    if (!method) return regex(`/${service}/.+`);
    if (!service) return regex(`/[^/]+/${method}`);
    return regex(`/${service}/${method}`);
  }
  throw new HardError({ reason: 'InvalidConfiguration', message: `unknown type: ${JSON.stringify(type)} is not supported Path match type` });
}

/** Backend resolution for L4 routes: hard errors come back as `hardError` instead of throwing. */
export function resolveL4Backend(ref: BackendRef, routeNs: string, ctx: ConvertContext): Resolved & { hardError?: ConfigError } {
  try {
    return resolveBackend(ref, routeNs, ctx, 'tcp');
  } catch (e) {
    if (e instanceof HardError) return { target: null, cluster: null, hardError: e.config, invalidReason: e.config.message };
    throw e;
  }
}
