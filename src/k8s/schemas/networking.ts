// networking.istio.io: VirtualService, DestinationRule, ServiceEntry, WorkloadEntry; and
// telemetry.istio.io Telemetry. Rules and wording follow Istio's validation webhook.
import * as z from 'zod';
import { anyStatus, celFail, isIP, istioDuration, kubeObject, schemaFail, strict, stringMap, uint32, webhookFail as fail, webhookListed, webhookWarn as warn } from './common';
import { fqdnError, ipSubnetError, isIstioLabel, regexError, wildcardDomainError } from './istio-values';
import { localityLbSetting } from './locality-lb';
import { oneOfSelectorOrTargets, policyTargetRef, workloadSelector } from './security';

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

const portNumber = z.int().superRefine((p, ctx) => {
  if (p < 1 || p > 65535) fail(ctx, [], `port number ${p} must be in the range 1..65535`);
});

// ---------------------------------------------------------------- VirtualService

const stringMatch = strict({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() }).superRefine((m, ctx) => {
  const set = (['exact', 'prefix', 'regex'] as const).filter((k) => m[k] !== undefined);
  if (set.length > 1) schemaFail(ctx, [set[1]!], `only one of exact, prefix or regex may be set, found ${set.join(' and ')}`);
});
type StringMatch = z.output<typeof stringMatch>;

function validateStringMatch(ctx: Ctx, path: Path, m: StringMatch | undefined, where: string, allowEmptyPrefix = false) {
  if (!m) return;
  if (m.prefix === '' && !allowEmptyPrefix) fail(ctx, [...path, 'prefix'], `"${where}": prefix string match should not be empty`);
  if (m.regex !== undefined) {
    const err = regexError(where, m.regex);
    if (err) fail(ctx, [...path, 'regex'], err);
  }
}

const percent = strict({ value: z.number().optional() });

const destination = strict({
  host: z.string(),
  subset: z.string().optional(),
  port: strict({ number: portNumber }).optional(),
}).superRefine((d, ctx) => {
  const hostErr = d.host === '*' ? `invalid destination host ${d.host}` : wildcardDomainError(d.host);
  if (hostErr) fail(ctx, ['host'], hostErr);
  if (d.subset !== undefined) {
    if (d.subset === '') fail(ctx, ['subset'], 'subset name cannot be empty');
    else if (!isIstioLabel(d.subset)) fail(ctx, ['subset'], `subset name is invalid: ${d.subset}`);
  }
});

const headerOps = strict({ set: stringMap.optional(), add: stringMap.optional(), remove: z.array(z.string()).optional() });
const headers = strict({ request: headerOps.optional(), response: headerOps.optional() });

const weight = z.int().superRefine((w, ctx) => {
  if (w < 0) fail(ctx, [], `weight ${w} < 0`);
});

function totalWeight(routes: { weight?: number }[], ctx: Ctx) {
  if (routes.length > 1 && routes.reduce((n, r) => n + (r.weight ?? 0), 0) === 0) fail(ctx, [], 'total destination weight = 0');
}

const httpMatch = strict(
  {
    name: z.string().optional(),
    uri: stringMatch.optional(),
    scheme: stringMatch.optional(),
    method: stringMatch.optional(),
    authority: stringMatch.optional(),
    headers: z.record(z.string(), stringMatch).optional(),
    withoutHeaders: z.record(z.string(), stringMatch).optional(),
    queryParams: z.record(z.string(), stringMatch).optional(),
    port: portNumber.optional(),
    sourceLabels: stringMap.optional(),
    sourceNamespace: z.string().optional(),
    gateways: z.array(z.string()).optional(),
    ignoreUriCase: z.boolean().optional(),
  },
  ['statPrefix'],
).superRefine((m, ctx) => {
  validateStringMatch(ctx, ['uri'], m.uri, 'uri', true);
  validateStringMatch(ctx, ['scheme'], m.scheme, 'scheme');
  validateStringMatch(ctx, ['method'], m.method, 'method');
  validateStringMatch(ctx, ['authority'], m.authority, 'authority');
  for (const [k, v] of Object.entries(m.headers ?? {})) validateStringMatch(ctx, ['headers', k], v, 'headers');
  for (const [k, v] of Object.entries(m.withoutHeaders ?? {})) if (v.regex !== '*') validateStringMatch(ctx, ['withoutHeaders', k], v, 'withoutHeaders');
  for (const [k, v] of Object.entries(m.queryParams ?? {})) validateStringMatch(ctx, ['queryParams', k], v, 'queryParams');
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== '' && !isIstioLabel(m.sourceNamespace)) fail(ctx, ['sourceNamespace'], `sourceNamespace match ${m.sourceNamespace} is invalid`);
});

const httpRouteDestination = strict({ destination, weight: weight.optional(), headers: headers.optional() });

const vsHttpRoute = strict(
  {
    name: z.string().optional(),
    match: z.array(httpMatch).optional(),
    route: z.array(httpRouteDestination).superRefine(totalWeight).optional(),
    redirect: strict(
      { uri: z.string().optional(), authority: z.string().optional(), port: portNumber.optional(), scheme: z.string().optional(), redirectCode: uint32.optional() },
      ['derivePort', 'prefixRewrite'],
    ).optional(),
    directResponse: strict({ status: z.int(), body: strict({ string: z.string().optional() }, ['bytes']).optional() }).superRefine((d, ctx) => {
      // validateHTTPStatus: its range check lets 600 through.
      if (d.status < 200 || d.status > 600) fail(ctx, ['status'], `HTTP status ${d.status} is not in range 200-599`);
    }).optional(),
    rewrite: strict({
      uri: z.string().optional(),
      authority: z.string().optional(),
      uriRegexRewrite: strict({ match: z.string(), rewrite: z.string() }).optional(),
    }).superRefine((rw, ctx) => {
      if (rw.uri !== undefined && rw.uriRegexRewrite) fail(ctx, ['uriRegexRewrite'], 'rewrite may only contain one of URI or UriRegexRewrite');
      if (rw.uriRegexRewrite) {
        const err = regexError('uriRegexRewrite.match', rw.uriRegexRewrite.match);
        if (err) fail(ctx, ['uriRegexRewrite', 'match'], err);
      }
    }).optional(),
    timeout: istioDuration.optional(),
    retries: strict({
      attempts: z.int().optional(),
      perTryTimeout: istioDuration.optional(),
      retryOn: z.string().optional(),
      retryRemoteLocalities: z.boolean().optional(),
    }, ['backoff', 'retryIgnorePreviousHosts']).superRefine((r, ctx) => {
      if ((r.attempts ?? 0) < 0) webhookListed(ctx, ['attempts'], 'attempts cannot be negative');
      if ((r.attempts ?? 0) === 0 && (r.perTryTimeout !== undefined || r.retryOn || r.retryRemoteLocalities !== undefined)) {
        fail(ctx, ['attempts'], 'http retry policy configured when attempts are set to 0 (disabled)');
      }
    }).optional(),
    fault: strict({
      delay: strict({ fixedDelay: istioDuration.optional(), percentage: percent.optional(), percent: z.int().optional() }, ['exponentialDelay']).optional(),
      abort: strict({ httpStatus: z.int().optional(), grpcStatus: z.string().optional(), percentage: percent.optional() }, ['http2Error']).superRefine((a, ctx) => {
        if (a.httpStatus !== undefined && (a.httpStatus < 200 || a.httpStatus > 600)) fail(ctx, ['httpStatus'], `HTTP status ${a.httpStatus} is not in range 200-599`);
      }).optional(),
    }).optional(),
    mirror: destination.optional(),
    mirrorPercentage: percent.optional(),
    mirrors: z.array(strict({ destination, percentage: percent.optional() })).optional(),
    headers: headers.optional(),
    corsPolicy: z.record(z.string(), z.unknown()).optional(),
  },
  ['delegate', 'mirrorPercent', 'mirror_percent'],
).superRefine((h, ctx) => {
  const hasRoute = (h.route?.length ?? 0) > 0;
  if (h.redirect) {
    if (hasRoute) fail(ctx, ['redirect'], 'HTTP route cannot contain both route and redirect');
    if (h.fault) fail(ctx, ['redirect'], 'HTTP route cannot contain both fault and redirect');
    if (h.rewrite) fail(ctx, ['redirect'], 'HTTP route rule cannot contain both rewrite and redirect');
    if (h.directResponse) fail(ctx, ['redirect'], 'HTTP route rule cannot contain both direct_response and redirect');
  } else if (h.directResponse) {
    if (hasRoute) fail(ctx, ['directResponse'], 'HTTP route cannot contain both route and direct_response');
    if (h.fault) fail(ctx, ['directResponse'], 'HTTP route cannot contain both fault and direct_response');
    if (h.rewrite) fail(ctx, ['directResponse'], 'HTTP route rule cannot contain both rewrite and direct_response');
  } else if (!hasRoute && !('delegate' in h)) {
    fail(ctx, [], 'HTTP route, redirect or direct_response is required');
  }
  if (h.mirror && h.mirrors?.length) fail(ctx, ['mirrors'], 'HTTP route cannot contain both mirror and mirrors');
  const mp = h.mirrorPercentage?.value;
  // Go's %f: six decimals.
  if (mp !== undefined && mp > 100) fail(ctx, ['mirrorPercentage', 'value'], `mirror_percentage must have a max value of 100 (it has ${mp.toFixed(6)})`);
  if (mp !== undefined && mp < 0) fail(ctx, ['mirrorPercentage', 'value'], `mirror_percentage must have a min value of 0 (it has ${mp.toFixed(6)})`);
  for (const [field, p] of [['delay', h.fault?.delay?.percentage], ['abort', h.fault?.abort?.percentage]] as const) {
    const v = p?.value;
    if (v !== undefined && (v < 0 || v > 100 || (v > 0 && v < 0.0001))) fail(ctx, ['fault', field, 'percentage', 'value'], `percentage ${v} is neither 0.0, nor in range [0.0001, 100.0]`);
  }
});

const tcpRoute = strict({
  match: z.array(strict(
    { port: portNumber.optional(), destinationSubnets: z.array(z.string()).optional(), sourceLabels: stringMap.optional() },
    ['gateways', 'sourceNamespace', 'sourceSubnet'],
  ).superRefine((m, ctx) => {
    m.destinationSubnets?.forEach((s, i) => {
      const err = ipSubnetError(s);
      if (err) fail(ctx, ['destinationSubnets', i], err);
    });
  })).optional(),
  route: z.array(strict({ destination, weight: weight.optional() })).superRefine(totalWeight).optional(),
});

const virtualServiceSpec = strict({
  hosts: z.array(z.string()).optional(),
  gateways: z.array(z.string()).optional(),
  http: z.array(vsHttpRoute).optional(),
  tcp: z.array(tcpRoute).optional(),
  tls: z.array(z.unknown()).optional(),
  exportTo: z.array(z.string()).optional(),
}).superRefine((vs, ctx) => {
  const hosts = vs.hosts ?? [];
  if (hosts.length === 0) {
    if (vs.gateways?.length) fail(ctx, ['gateways'], 'delegate virtual service must have no gateways specified');
    if (vs.tls?.length) fail(ctx, ['tls'], 'delegate virtual service must have no tls route specified');
    if (vs.tcp?.length) fail(ctx, ['tcp'], 'delegate virtual service must have no tcp route specified');
  }
  // Without gateways, or with `mesh` among them, the virtual service applies to the mesh.
  const appliesToMesh = !vs.gateways?.length || vs.gateways.includes('mesh');
  let allHostsValid = true;
  hosts.forEach((h, i) => {
    const problem = virtualServiceHostError(h, appliesToMesh);
    if (problem === undefined) return;
    fail(ctx, ['hosts', i], problem);
    allHostsValid = false;
  });
  // Every pair that host.Name.Matches, wildcards included (*.foo.com and a.foo.com), once the hosts are valid.
  if (allHostsValid) {
    hosts.forEach((a, i) => {
      for (let j = i + 1; j < hosts.length; j++) if (hostsMatch(a, hosts[j]!)) fail(ctx, ['hosts', j], `duplicate hosts in virtual service: ${a} & ${hosts[j]}`);
    });
  }
  if (!vs.http?.length && !vs.tcp?.length && !vs.tls?.length) fail(ctx, [], 'http, tcp or tls must be provided in virtual service');
  exportToRules(ctx, vs.exportTo, false);
});

/** Istio's check of one virtual service host; an IP address is no domain name, and passes. */
function virtualServiceHostError(host: string, appliesToMesh: boolean): string | undefined {
  const err = wildcardDomainError(host);
  if (err) return isIP(host) ? undefined : err;
  return host === '*' && appliesToMesh ? 'wildcard host * is not allowed for virtual services bound to the mesh gateway' : undefined;
}

/** host.Name.Matches: equal names, or a wildcard's suffix covering the other name (or the other wildcard's). */
function hostsMatch(a: string, b: string): boolean {
  const aWild = a.startsWith('*');
  const bWild = b.startsWith('*');
  if (aWild && bWild) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

function exportToRules(ctx: Ctx, exportTo: string[] | undefined, serviceEntry: boolean) {
  if (!exportTo?.length) return;
  const seen = new Set<string>();
  exportTo.forEach((e, i) => {
    if (seen.has(e)) fail(ctx, ['exportTo', i], `duplicate entries in exportTo for entry ${e}`);
    seen.add(e);
    // visibility.Instance.Validate; a service entry may also hide itself (~).
    if (e === '~' && !serviceEntry) fail(ctx, ['exportTo', i], 'exportTo ~ (none) is not allowed for Istio configuration objects');
    else if (e !== '.' && e !== '*' && e !== '~' && !isIstioLabel(e)) fail(ctx, ['exportTo', i], 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry');
  });
  if (seen.has('*') && exportTo.length > 1) fail(ctx, ['exportTo'], 'cannot have both public (*) and non-public exportTo values for a resource');
  if (seen.has('~') && exportTo.length > 1) fail(ctx, ['exportTo'], 'cannot export service entry to no one (~) and someone');
}

export const virtualService = kubeObject({ spec: virtualServiceSpec, status: anyStatus.optional() });

// ---------------------------------------------------------------- DestinationRule

const trafficPolicyShape = {
  loadBalancer: strict({
    simple: z.enum(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST']).optional(),
    consistentHash: strict({
      httpHeaderName: z.string().optional(),
      httpCookie: strict({ name: z.string(), path: z.string().optional(), ttl: z.string().optional() }, ['attributes']).optional(),
      useSourceIp: z.boolean().optional(),
      httpQueryParameterName: z.string().optional(),
      ringHash: strict({ minimumRingSize: z.int().optional() }).optional(),
      maglev: strict({ tableSize: z.int().optional() }).optional(),
    }, ['minimumRingSize']).optional(),
    localityLbSetting: localityLbSetting.optional(),
  }, ['backendUtilization', 'warmup', 'warmupDurationSecs', 'zoneAwareLbSetting']).superRefine((lb, ctx) => {
    if (lb.simple !== undefined && lb.consistentHash !== undefined) schemaFail(ctx, ['consistentHash'], 'only one of simple or consistentHash may be set');
  }).optional(),
  connectionPool: strict({
    tcp: strict({ maxConnections: z.int().optional(), connectTimeout: istioDuration.optional() }, ['idleTimeout', 'maxConnectionDuration', 'tcpKeepalive']).optional(),
    http: strict({
      http1MaxPendingRequests: z.int().optional(),
      http2MaxRequests: z.int().optional(),
      maxRequestsPerConnection: z.int().optional(),
      maxRetries: z.int().optional(),
      idleTimeout: istioDuration.optional(),
    }, ['h2UpgradePolicy', 'http2KeepAlive', 'maxConcurrentStreams', 'useClientProtocol']).optional(),
  }).optional(),
  outlierDetection: strict({
    consecutive5xxErrors: uint32.optional(),
    consecutiveGatewayErrors: uint32.optional(),
    interval: istioDuration.optional(),
    baseEjectionTime: istioDuration.optional(),
    maxEjectionPercent: z.int().optional(),
    minHealthPercent: z.int().optional(),
  }, ['consecutiveErrors', 'consecutiveLocalOriginFailures', 'outlierDetectionHttpErrorCodes', 'splitExternalLocalOriginErrors']).superRefine((o, ctx) => {
    for (const k of ['maxEjectionPercent', 'minHealthPercent'] as const) {
      const v = o[k];
      if (v !== undefined && (v < 0 || v > 100)) fail(ctx, [k], `percentage ${v} is not in range 0..100`);
    }
  }).optional(),
  tls: strict({ mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']).optional() }, ['caCertificates', 'caCrl', 'clientCertificate', 'credentialName', 'insecureSkipVerify', 'privateKey', 'sni', 'subjectAltNames']).optional(),
};
const trafficPolicyExtras = ['proxyProtocol', 'retryBudget', 'tunnel'];

/** Istio warns that failover without outlier detection never leaves the closest locality. */
function failoverNeedsOutliers(p: { loadBalancer?: { localityLbSetting?: { failover?: unknown[]; failoverPriority?: unknown[] } }; outlierDetection?: unknown }, ctx: Ctx) {
  const l = p.loadBalancer?.localityLbSetting;
  if ((l?.failover?.length || l?.failoverPriority?.length) && p.outlierDetection === undefined) warn(ctx, ['loadBalancer', 'localityLbSetting'], 'outlier detection policy must be provided for failover');
}

const portTrafficPolicy = strict({ ...trafficPolicyShape, port: strict({ number: portNumber }).optional() }, trafficPolicyExtras).superRefine(failoverNeedsOutliers);
const trafficPolicy = strict({ ...trafficPolicyShape, portLevelSettings: z.array(portTrafficPolicy).max(4096).optional() }, trafficPolicyExtras).superRefine(failoverNeedsOutliers);

const subset = strict({ name: z.string(), labels: stringMap.optional(), trafficPolicy: trafficPolicy.optional() }).superRefine((s, ctx) => {
  if (s.name === '') fail(ctx, ['name'], 'subset name cannot be empty');
  else if (!isIstioLabel(s.name)) fail(ctx, ['name'], `subset name is invalid: ${s.name}`);
});

export const destinationRule = kubeObject({
  spec: strict({
    host: z.string(),
    subsets: z.array(subset).optional(),
    trafficPolicy: trafficPolicy.optional(),
    exportTo: z.array(z.string()).optional(),
    workloadSelector: workloadSelector.optional(),
  }).superRefine((dr, ctx) => {
    const err = wildcardDomainError(dr.host);
    if (err) fail(ctx, ['host'], err);
    const names = new Set<string>();
    dr.subsets?.forEach((s, i) => {
      if (names.has(s.name)) fail(ctx, ['subsets', i, 'name'], `duplicate subset names: ${s.name}`);
      names.add(s.name);
    });
    exportToRules(ctx, dr.exportTo, false);
  }),
  status: anyStatus.optional(),
});

// ---------------------------------------------------------------- WorkloadEntry, ServiceEntry

/** What Istio's protocol.Parse knows (case aside); anything else is unsupported in a service entry. */
const PROTOCOLS = ['TCP', 'UDP', 'GRPC', 'GRPC-WEB', 'HTTP', 'HTTP_PROXY', 'HTTP2', 'HTTPS', 'TLS', 'MONGO', 'REDIS', 'MYSQL'];

/** ValidatePortName (and the CRD's CEL rule on port maps): an Istio label, so never empty. */
function portNameError(name: string): string | undefined {
  return isIstioLabel(name) ? undefined : `invalid port name: ${name}`;
}

const workloadEntryShape = {
  address: z.string().max(256).optional(),
  ports: z.record(z.string(), uint32).optional(),
  labels: stringMap.optional(),
  network: z.string().max(2048).optional(),
  locality: z.string().max(2048).optional(),
  weight: uint32.optional(),
  serviceAccount: z.string().max(253).optional(),
};

/** validateWorkloadEntry: an address (IP, FQDN where allowed, or unix://) unless a network is set. */
function workloadEntryRules(allowFqdn: boolean, servicePorts?: Set<string>) {
  return (we: { address?: string; network?: string; ports?: Record<string, number> }, ctx: Ctx, base: Path = []) => {
    const addr = we.address ?? '';
    if (addr === '') {
      if (!we.network) return celFail(ctx, [...base, 'address'], 'address is required', { rule: 'Address is required', type: 'object', up: 1 });
      warn(ctx, [...base, 'address'], `address is unset with network "${we.network}"`);
    }
    if (addr.startsWith('unix://')) {
      if (Object.keys(we.ports ?? {}).length) celFail(ctx, [...base, 'ports'], `unix endpoint ${addr} must not include ports`, { rule: 'UDS may not include ports', type: 'object', up: 1 });
    } else if (addr !== '' && !isIP(addr)) {
      if (!allowFqdn) fail(ctx, [...base, 'address'], `endpoint address "${addr}" is not a valid IP address`);
      else if (fqdnError(addr)) fail(ctx, [...base, 'address'], `endpoint address "${addr}" is not a valid FQDN or an IP address`);
    }
    for (const [name, p] of Object.entries(we.ports ?? {})) {
      if (servicePorts && !servicePorts.has(name)) fail(ctx, [...base, 'ports', name], `endpoint port ${p} is not defined by the service entry`);
      const nameErr = portNameError(name);
      if (nameErr) celFail(ctx, [...base, 'ports', name], nameErr, { rule: 'port name must be valid', type: 'object', up: 1 });
      if (p < 1 || p > 65535) celFail(ctx, [...base, 'ports', name], `port number ${p} must be in the range 1..65535`, { rule: 'port must be between 1-65535', type: 'integer', key: true });
    }
  };
}

export const workloadEntry = kubeObject({
  spec: strict(workloadEntryShape).superRefine((we, ctx) => workloadEntryRules(true)(we, ctx)),
  status: anyStatus.optional(),
});

const serviceEntryPort = strict({ number: uint32, protocol: z.string().optional(), name: z.string(), targetPort: uint32.optional() });

export const serviceEntry = kubeObject({
  spec: strict({
    hosts: z.array(z.string()).min(1).max(256),
    addresses: z.array(z.string().max(64)).max(256).optional(),
    ports: z.array(serviceEntryPort).max(256).optional(),
    location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).optional(),
    resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS']).optional(),
    endpoints: z.array(strict(workloadEntryShape)).max(4096).optional(),
    workloadSelector: strict({ labels: stringMap.optional() }).optional(),
    exportTo: z.array(z.string()).optional(),
  }, ['subjectAltNames']).superRefine((se, ctx) => {
    const resolution = se.resolution ?? 'NONE';
    if (se.workloadSelector && se.endpoints) celFail(ctx, ['workloadSelector'], 'only one of WorkloadSelector or Endpoints is allowed in Service Entry', { rule: 'only one of WorkloadSelector or Endpoints can be set', type: 'object', up: 1 });
    se.hosts.forEach((h, i) => {
      // A bare `*` is the CRD's CEL rule; the webhook checks the other names.
      if (h === '*') celFail(ctx, ['hosts', i], `invalid host ${h}`, { rule: 'hostname cannot be wildcard', type: 'string' });
      else {
        const err = wildcardDomainError(h);
        if (err) fail(ctx, ['hosts', i], err);
      }
    });
    let cidr = false;
    se.addresses?.forEach((a, i) => {
      cidr ||= a.includes('/');
      const err = ipSubnetError(a);
      if (err) fail(ctx, ['addresses', i], err);
    });
    if (cidr && resolution !== 'NONE' && resolution !== 'STATIC') celFail(ctx, ['resolution'], 'CIDR addresses are allowed only for NONE/STATIC resolution types', { rule: 'CIDR addresses are allowed only for NONE/STATIC resolution', type: 'object', up: 1 });
    const names = new Set<string>();
    const numbers = new Set<number>();
    se.ports?.forEach((p, i) => {
      if (names.has(p.name)) fail(ctx, ['ports', i, 'name'], `service entry port name "${p.name}" already defined`);
      if (numbers.has(p.number)) celFail(ctx, ['ports', i, 'number'], `service entry port ${p.number} already defined`, { rule: 'port number cannot be duplicated', type: 'array', up: 2 });
      names.add(p.name);
      numbers.add(p.number);
      const nameErr = portNameError(p.name);
      if (nameErr) fail(ctx, ['ports', i, 'name'], nameErr);
      if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol.toUpperCase())) fail(ctx, ['ports', i, 'protocol'], `unsupported protocol: ${p.protocol}`);
      if (p.number < 1 || p.number > 65535) celFail(ctx, ['ports', i, 'number'], `port number ${p.number} must be in the range 1..65535`, { rule: 'port must be between 1-65535', type: 'integer' });
      if (p.targetPort !== undefined && (p.targetPort < 1 || p.targetPort > 65535)) celFail(ctx, ['ports', i, 'targetPort'], `port number ${p.targetPort} must be in the range 1..65535`, { rule: 'port must be between 1-65535', type: 'integer' });
    });
    if (resolution === 'NONE') {
      if (se.endpoints?.length) celFail(ctx, ['endpoints'], 'no endpoints should be provided for resolution type none', { rule: 'NONE mode cannot set endpoints', type: 'object', up: 1 });
      if (se.workloadSelector) warn(ctx, ['workloadSelector'], 'workloadSelector should not be set when resolution mode is NONE');
    } else if (resolution === 'STATIC') {
      se.endpoints?.forEach((e, i) => workloadEntryRules(false, names)(e, ctx, ['endpoints', i]));
    } else if (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') {
      if (!se.endpoints?.length) {
        const bad = se.hosts.findIndex((h) => fqdnError(h) !== undefined);
        if (bad >= 0) fail(ctx, ['hosts', bad], `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}, ${fqdnError(se.hosts[bad]!)}`);
      }
      se.endpoints?.forEach((e, i) => workloadEntryRules(true, names)(e, ctx, ['endpoints', i]));
    }
    exportToRules(ctx, se.exportTo, true);
  }),
  status: anyStatus.optional(),
});

// ---------------------------------------------------------------- Telemetry

export const telemetry = kubeObject({
  spec: strict({
    selector: workloadSelector.optional(),
    targetRef: policyTargetRef.optional(),
    targetRefs: z.array(policyTargetRef).max(16).optional(),
    tracing: z.array(z.unknown()).optional(),
    metrics: z.array(z.unknown()).optional(),
    accessLogging: z.array(z.unknown()).optional(),
  }).superRefine(oneOfSelectorOrTargets).optional(),
  status: anyStatus.optional(),
});
