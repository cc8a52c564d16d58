// gateway.networking.k8s.io: GatewayClass, Gateway, HTTPRoute, GRPCRoute, TCPRoute, TLSRoute,
// ReferenceGrant. Limits, patterns and rule messages follow the CRDs' OpenAPI and CEL validation.
import * as z from 'zod';
import { anyStatus, check, gatewayDuration, intIn, isIP, kubeObject, labelSelector, port, strict, stringMap, labels, annotations } from './common';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function pattern(re: RegExp, max: number, what: string) {
  return check(z.string().min(1).max(max), (v) => re.test(v), (v) => `Invalid value: "${v}": ${what}`);
}

const group = check(z.string().max(253), (v) => v === '' || SUBDOMAIN.test(v), (v) => `Invalid value: "${v}": must be empty or a lowercase RFC 1123 subdomain`);
const kind = pattern(/^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/, 63, 'must start with a letter and contain only letters, digits and \'-\'');
const objectName = z.string().min(1).max(253);
const namespaceName = pattern(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 63, 'must be a lowercase RFC 1123 label');
const sectionName = pattern(SUBDOMAIN, 253, 'must be a lowercase RFC 1123 subdomain');
const hostname = pattern(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 253, 'must be a lowercase hostname, optionally starting with "*."');
const headerName = pattern(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, 256, 'must be a valid HTTP header name');
const ruleName = sectionName;

const parentRef = strict({
  group: group.optional(),
  kind: kind.optional(),
  namespace: namespaceName.optional(),
  name: objectName,
  sectionName: sectionName.optional(),
  port: port.optional(),
});

type ParentRef = z.output<typeof parentRef>;

/** Two refs to the same parent must be told apart by sectionName (and, for L4 routes, port). */
function distinctParents(byPort: boolean) {
  const what = byPort ? 'sectionName or port' : 'sectionName';
  return (refs: ParentRef[], ctx: z.RefinementCtx) => {
    const parentKey = (r: ParentRef) => `${r.group ?? 'gateway.networking.k8s.io'}/${r.kind ?? 'Gateway'}/${r.namespace ?? ''}/${r.name}`;
    const seen = new Map<string, string[]>();
    refs.forEach((r, i) => {
      const k = parentKey(r);
      const section = `${r.sectionName ?? ''}:${byPort ? r.port ?? '' : ''}`;
      const prior = seen.get(k);
      if (prior) {
        if (section === ':' || prior.includes(':')) {
          ctx.addIssue({ code: 'custom', path: [i], message: `${what} must be specified when parentRefs includes 2 or more references to the same parent` });
        } else if (prior.includes(section)) {
          ctx.addIssue({ code: 'custom', path: [i], message: `${what} must be unique when parentRefs includes 2 or more references to the same parent` });
        }
        prior.push(section);
      } else seen.set(k, [section]);
    });
  };
}

const parentRefs = (byPort: boolean) => z.array(parentRef).max(32).superRefine(distinctParents(byPort));

const backendObjectRef = {
  group: group.optional(),
  kind: kind.optional(),
  name: objectName,
  namespace: namespaceName.optional(),
  port: port.optional(),
};

function servicePortRequired(ref: { group?: string; kind?: string; port?: number }, ctx: z.RefinementCtx) {
  if ((ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service' && ref.port === undefined) {
    ctx.addIssue({ code: 'custom', path: ['port'], message: 'Must have port for Service reference' });
  }
}

const mirrorBackendRef = strict(backendObjectRef).superRefine(servicePortRequired);

// ---------------------------------------------------------------- filters

const header = strict({ name: headerName, value: z.string().min(1).max(4096) });
const headerModifier = strict({
  set: z.array(header).max(16).optional(),
  add: z.array(header).max(16).optional(),
  remove: z.array(z.string()).max(16).optional(),
});

const pathModifier = strict({
  type: z.enum(['ReplaceFullPath', 'ReplacePrefixMatch']),
  replaceFullPath: z.string().max(1024).optional(),
  replacePrefixMatch: z.string().max(1024).optional(),
}).superRefine((m, ctx) => {
  for (const t of ['ReplaceFullPath', 'ReplacePrefixMatch'] as const) {
    const field = t === 'ReplaceFullPath' ? 'replaceFullPath' : 'replacePrefixMatch';
    if (m.type === t && m[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} must be specified when type is set to '${t}'` });
    if (m.type !== t && m[field] !== undefined) ctx.addIssue({ code: 'custom', path: ['type'], message: `type must be '${t}' when ${field} is set` });
  }
});

const requestMirror = strict({
  backendRef: mirrorBackendRef,
  percent: intIn(0, 100).optional(),
  fraction: strict({ numerator: intIn(0, 2147483647), denominator: intIn(1, 2147483647).optional() })
    .superRefine((f, ctx) => {
      if (f.numerator > (f.denominator ?? 100)) ctx.addIssue({ code: 'custom', message: 'numerator must be less than or equal to denominator' });
    })
    .optional(),
}).superRefine((m, ctx) => {
  if (m.percent !== undefined && m.fraction !== undefined) ctx.addIssue({ code: 'custom', message: 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter' });
});

const HTTP_FILTER_FIELDS = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: 'cors',
  ExternalAuth: 'externalAuth',
} as const;

type FilterType = keyof typeof HTTP_FILTER_FIELDS;

/** Each filter carries exactly the field its type names (CEL "filter.X must be nil / must be specified"). */
function filterFieldMatchesType(types: readonly FilterType[]) {
  return (f: Record<string, unknown> & { type: string }, ctx: z.RefinementCtx) => {
    for (const t of types) {
      const field = HTTP_FILTER_FIELDS[t];
      if (f[field] !== undefined && f.type !== t) ctx.addIssue({ code: 'custom', path: [field], message: `filter.${field} must be nil if the filter.type is not ${t}` });
      if (f[field] === undefined && f.type === t) ctx.addIssue({ code: 'custom', path: ['type'], message: `filter.${field} must be specified for ${t} filter.type` });
    }
  };
}

/** A filter type may appear once per list (mirrors may repeat); redirect and rewrite exclude each other. */
function filterListRules(f: { type: string }[], ctx: z.RefinementCtx) {
  const counts = new Map<string, number>();
  f.forEach((x, i) => {
    const n = (counts.get(x.type) ?? 0) + 1;
    counts.set(x.type, n);
    if (n === 2 && x.type !== 'RequestMirror' && x.type !== 'ExtensionRef') ctx.addIssue({ code: 'custom', path: [i, 'type'], message: `${x.type} filter cannot be repeated` });
  });
  if (counts.has('RequestRedirect') && counts.has('URLRewrite')) {
    ctx.addIssue({ code: 'custom', message: 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both' });
  }
}

const extensionRef = strict({ group, kind, name: objectName });

const httpFilter = strict({
  type: z.enum(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'RequestRedirect', 'URLRewrite', 'ExtensionRef', 'CORS', 'ExternalAuth']),
  requestHeaderModifier: headerModifier.optional(),
  responseHeaderModifier: headerModifier.optional(),
  requestRedirect: strict({
    scheme: z.enum(['http', 'https']).optional(),
    hostname: pattern(SUBDOMAIN, 253, 'must be a lowercase RFC 1123 subdomain').optional(),
    path: pathModifier.optional(),
    port: port.optional(),
    statusCode: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).optional(),
  }).optional(),
  urlRewrite: strict({ hostname: pattern(SUBDOMAIN, 253, 'must be a lowercase RFC 1123 subdomain').optional(), path: pathModifier.optional() }).optional(),
  requestMirror: requestMirror.optional(),
  extensionRef: extensionRef.optional(),
  cors: strict({}, ['allowOrigins', 'allowCredentials', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'maxAge']).optional(),
  externalAuth: strict({}, ['protocol', 'backendRef', 'grpc', 'http', 'forwardBody']).optional(),
}).superRefine(filterFieldMatchesType(Object.keys(HTTP_FILTER_FIELDS) as FilterType[]));

const httpFilters = z.array(httpFilter).max(16).superRefine(filterListRules);

const grpcFilter = strict({
  type: z.enum(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef']),
  requestHeaderModifier: headerModifier.optional(),
  responseHeaderModifier: headerModifier.optional(),
  requestMirror: requestMirror.optional(),
  extensionRef: extensionRef.optional(),
}).superRefine(filterFieldMatchesType(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef']));

const grpcFilters = z.array(grpcFilter).max(16).superRefine(filterListRules);

const weight = intIn(0, 1000000);

function backendRef<F extends z.ZodType>(filters: F) {
  return strict({ ...backendObjectRef, weight: weight.optional(), filters: filters.optional() }).superRefine(servicePortRequired);
}
const l4BackendRef = strict({ ...backendObjectRef, weight: weight.optional() }).superRefine(servicePortRequired);

// ---------------------------------------------------------------- HTTPRoute

const pathMatch = strict({
  type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']).optional(),
  value: z.string().max(1024).optional(),
}).superRefine((m, ctx) => {
  const type = m.type ?? 'PathPrefix';
  const value = m.value ?? '/';
  if (type === 'RegularExpression') return;
  const fail = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message: `${message} when type one of ['Exact', 'PathPrefix'], got "${value}"` });
  if (!value.startsWith('/')) fail("value must be an absolute path and start with '/'");
  for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) if (value.includes(bad)) fail(`must not contain '${bad}'`);
  for (const bad of ['/..', '/.']) if (value.endsWith(bad)) fail(`must not end with '${bad}'`);
  if (!/^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/.test(value)) fail('must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&\'()*+,;=:@]|[%][0-9a-fA-F]{2})+$)');
});

const headerMatch = strict({ type: z.enum(['Exact', 'RegularExpression']).optional(), name: headerName, value: z.string().min(1).max(4096) });
const queryParamMatch = strict({ type: z.enum(['Exact', 'RegularExpression']).optional(), name: headerName, value: z.string().min(1).max(1024) });

const httpRouteMatch = strict({
  path: pathMatch.optional(),
  headers: z.array(headerMatch).max(16).optional(),
  queryParams: z.array(queryParamMatch).max(16).optional(),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']).optional(),
});

const httpRouteRule = strict({
  name: ruleName.optional(),
  matches: z.array(httpRouteMatch).max(64).optional(),
  filters: httpFilters.optional(),
  backendRefs: z.array(backendRef(httpFilters)).max(16).optional(),
  timeouts: strict({ request: gatewayDuration.optional(), backendRequest: gatewayDuration.optional() }).optional(),
  retry: strict({ codes: z.array(intIn(400, 599)).optional(), attempts: z.int().min(0).optional(), backoff: gatewayDuration.optional() }).optional(),
  sessionPersistence: z.record(z.string(), z.unknown()).optional(),
}).superRefine((rule, ctx) => {
  if ((rule.backendRefs?.length ?? 0) > 0 && rule.filters?.some((f) => f.requestRedirect !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['filters'], message: 'RequestRedirect filter must not be used together with backendRefs' });
  }
  for (const f of rule.filters ?? []) {
    const mod = f.requestRedirect?.path ?? f.urlRewrite?.path;
    if (mod?.type !== 'ReplacePrefixMatch' || mod.replacePrefixMatch === undefined) continue;
    const matches = rule.matches ?? [];
    if (matches.length !== 1 || (matches[0]!.path?.type ?? 'PathPrefix') !== 'PathPrefix') {
      const which = f.requestRedirect ? 'RequestRedirect' : 'URLRewrite';
      ctx.addIssue({ code: 'custom', path: ['matches'], message: `When using ${which} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified` });
    }
  }
});

function totalMatchesUnder128(rules: { matches?: unknown[] }[], ctx: z.RefinementCtx) {
  const total = rules.reduce((n, r) => n + (r.matches?.length ?? 0), 0);
  if (total > 128) ctx.addIssue({ code: 'custom', message: `While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128 (got ${total})` });
}

const hostnames = z.array(hostname).max(16);
const routeStatus = anyStatus;

export const httpRoute = kubeObject({
  spec: strict({
    parentRefs: parentRefs(false).optional(),
    hostnames: hostnames.optional(),
    rules: z.array(httpRouteRule).min(1).max(16).superRefine(totalMatchesUnder128).optional(),
  }, ['useDefaultGateways']),
  status: routeStatus.optional(),
});

// ---------------------------------------------------------------- GRPCRoute

const grpcMethodMatch = strict({
  type: z.enum(['Exact', 'RegularExpression']).optional(),
  service: z.string().max(1024).optional(),
  method: z.string().max(1024).optional(),
}).superRefine((m, ctx) => {
  if (m.service === undefined && m.method === undefined) ctx.addIssue({ code: 'custom', message: "One or both of 'service' or 'method' must be specified" });
  if ((m.type ?? 'Exact') !== 'Exact') return;
  if (m.service !== undefined && !/^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i.test(m.service)) {
    ctx.addIssue({ code: 'custom', path: ['service'], message: `service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$), got "${m.service}"` });
  }
  if (m.method !== undefined && !/^[A-Za-z_][A-Za-z_0-9]*$/.test(m.method)) {
    ctx.addIssue({ code: 'custom', path: ['method'], message: `method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$), got "${m.method}"` });
  }
});

const grpcRouteRule = strict({
  name: ruleName.optional(),
  matches: z.array(strict({ method: grpcMethodMatch.optional(), headers: z.array(headerMatch).max(16).optional() })).max(64).optional(),
  filters: grpcFilters.optional(),
  backendRefs: z.array(backendRef(grpcFilters)).max(16).optional(),
  sessionPersistence: z.record(z.string(), z.unknown()).optional(),
});

export const grpcRoute = kubeObject({
  spec: strict({
    parentRefs: parentRefs(false).optional(),
    hostnames: hostnames.optional(),
    rules: z.array(grpcRouteRule).max(16).superRefine(totalMatchesUnder128).optional(),
  }, ['useDefaultGateways']),
  status: routeStatus.optional(),
});

// ---------------------------------------------------------------- TCPRoute, TLSRoute

function uniqueRuleNames(rules: { name?: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (r.name === undefined) return;
    if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'Rule name must be unique within the route' });
    seen.add(r.name);
  });
}

const l4Rule = strict({ name: ruleName.optional(), backendRefs: z.array(l4BackendRef).min(1).max(16) });

export const tcpRoute = kubeObject({
  spec: strict({
    parentRefs: parentRefs(true).optional(),
    rules: z.array(l4Rule).min(1).max(16).superRefine(uniqueRuleNames),
  }, ['useDefaultGateways']),
  status: routeStatus.optional(),
});

const tlsHostnames = z.array(hostname).superRefine((hs, ctx) => {
  hs.forEach((h, i) => {
    if (isIP(h)) ctx.addIssue({ code: 'custom', path: [i], message: 'Hostnames cannot contain an IP' });
  });
});

/** TLSRoute v1 requires hostnames and a single rule; the alpha versions were looser. */
export function tlsRoute(v1: boolean) {
  return kubeObject({
    spec: strict({
      parentRefs: parentRefs(true).optional(),
      hostnames: v1 ? tlsHostnames.min(1).max(1024) : tlsHostnames.max(16).optional(),
      rules: z.array(l4Rule).min(1).max(v1 ? 1 : 16).superRefine(uniqueRuleNames),
    }, ['useDefaultGateways']),
    status: routeStatus.optional(),
  });
}

// ---------------------------------------------------------------- ReferenceGrant

export const referenceGrant = kubeObject({
  spec: strict({
    from: z.array(strict({ group, kind, namespace: namespaceName })).min(1).max(16),
    to: z.array(strict({ group, kind, name: objectName.optional() })).min(1).max(16),
  }),
});

// ---------------------------------------------------------------- GatewayClass, Gateway

const parametersRef = strict({ group, kind, name: objectName, namespace: namespaceName.optional() });

export const gatewayClass = kubeObject({
  spec: strict({
    controllerName: pattern(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/, 253, 'must be a domain-prefixed path, e.g. "istio.io/gateway-controller"'),
    description: z.string().max(64).optional(),
    parametersRef: parametersRef.optional(),
  }),
  status: anyStatus.optional(),
});

const certificateRef = strict({ group: group.optional(), kind: kind.optional(), name: objectName, namespace: namespaceName.optional() });

const listener = strict({
  name: pattern(SUBDOMAIN, 253, 'must be a lowercase RFC 1123 subdomain'),
  port,
  protocol: pattern(/^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/, 255, 'must be a protocol name (HTTP, HTTPS, TLS, TCP, UDP, HBONE, ...) or a domain-prefixed name'),
  hostname: hostname.optional(),
  allowedRoutes: strict({
    namespaces: strict({ from: z.enum(['All', 'Same', 'Selector']).optional(), selector: labelSelector.optional() }).optional(),
    kinds: z.array(strict({ group: group.optional(), kind })).max(8).optional(),
  }).optional(),
  tls: strict({
    mode: z.enum(['Terminate', 'Passthrough']).optional(),
    options: stringMap.optional(),
    certificateRefs: z.array(certificateRef).max(64).optional(),
  }).superRefine((tls, ctx) => {
    if ((tls.mode ?? 'Terminate') === 'Terminate' && !(tls.certificateRefs?.length) && !Object.keys(tls.options ?? {}).length) {
      ctx.addIssue({ code: 'custom', message: 'certificateRefs or options must be specified when mode is Terminate' });
    }
  }).optional(),
});

type Listener = z.output<typeof listener>;

function listenerRules(ls: Listener[], ctx: z.RefinementCtx) {
  const names = new Set<string>();
  const combos = new Set<string>();
  ls.forEach((l, i) => {
    const fail = (message: string, path: (string | number)[] = [i]) => ctx.addIssue({ code: 'custom', path, message });
    if (['HTTP', 'TCP', 'UDP'].includes(l.protocol) && l.tls) fail("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']", [i, 'tls']);
    if (l.protocol === 'HTTPS' && l.tls?.mode === 'Passthrough') fail('tls mode must be Terminate for protocol HTTPS', [i, 'tls', 'mode']);
    if (l.protocol === 'TLS' && !l.tls?.mode) fail('tls mode must be set for protocol TLS', [i, 'tls']);
    if (['TCP', 'UDP'].includes(l.protocol) && l.hostname) fail("hostname must not be specified for protocols ['TCP', 'UDP']", [i, 'hostname']);
    if (names.has(l.name)) fail('Listener name must be unique within the Gateway', [i, 'name']);
    names.add(l.name);
    const combo = `${l.port}/${l.protocol}/${l.hostname ?? ''}`;
    if (combos.has(combo)) fail('Combination of port, protocol and hostname must be unique for each listener');
    combos.add(combo);
  });
}

const gatewayAddress = strict({
  type: check(z.string().min(1).max(253), (v) => /^(Hostname|IPAddress|NamedAddress)$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(v), (v) => `Unsupported value: "${v}": supported values: "IPAddress", "Hostname", "NamedAddress" or a domain-prefixed name`).optional(),
  value: z.string().max(253),
}).superRefine((a, ctx) => {
  if (a.type === 'Hostname' && a.value !== '' && !/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(a.value)) {
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'Hostname value must be empty or contain only valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)' });
  }
});

export const gateway = kubeObject({
  spec: strict(
    {
      gatewayClassName: z.string().min(1).max(253),
      listeners: z.array(listener).min(1).max(64).superRefine(listenerRules),
      addresses: z.array(gatewayAddress).max(16).optional(),
      infrastructure: strict({ labels: labels.optional(), annotations: annotations.optional() }, ['parametersRef']).optional(),
    },
    ['allowedListeners', 'backendTLS', 'tls', 'defaultScope'],
  ),
  status: anyStatus.optional(),
});
