// security.istio.io: AuthorizationPolicy, PeerAuthentication, RequestAuthentication.
// Structure follows the CRDs; the cross-field rules and their wording follow Istio's validation
// webhook (ValidateAuthorizationPolicy, ValidatePeerAuthentication, ValidateRequestAuthentication).
import * as z from 'zod';
import { anyStatus, celFail, istioDuration, kubeObject, schemaFail, strict, webhookAlone, webhookFail as fail, webhookListed, webhookWarn as warn } from './common';
import {
  attributeError, emptyValues, ipOrCidrError, pathTemplateValues, portStringError, serviceAccountValues, trustDomainValues, type ListProblem,
} from './istio-values';

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

// ---------------------------------------------------------------- selectors and targetRefs

/** Istio workload selectors: labels only, no wildcards, no empty keys (CRD CEL). */
export const workloadSelector = strict({ matchLabels: z.record(z.string(), z.string().max(63)).optional() }).superRefine((s, ctx) => {
  const entries = Object.entries(s.matchLabels ?? {});
  for (const [k, v] of entries) {
    if (k === '') celFail(ctx, ['matchLabels', k], 'key must not be empty', { type: 'object', up: 1 });
    if (k.includes('*')) celFail(ctx, ['matchLabels', k], 'wildcard not allowed in label key match', { type: 'object', up: 1 });
    if (v.includes('*')) celFail(ctx, ['matchLabels', k], 'wildcard not allowed in label value match', { type: 'string', key: true });
  }
  if (entries.length === 0) warn(ctx, [], 'workload selector specified without labels');
});

/** validatePolicyTargetReference's kinds, by canonical group (the core group is `core`), and how its message lists them (%v of the GVKs). */
const ALLOWED_TARGETS = ['core/Service', 'networking.istio.io/ServiceEntry', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/GatewayClass'];
const ALLOWED_TARGETS_TEXT = '[core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1beta1/Gateway gateway.networking.k8s.io/v1beta1/GatewayClass]';

export const policyTargetRef = strict({
  group: z.string().max(253).optional(),
  kind: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
  namespace: z.string().optional(),
}).superRefine((r, ctx) => {
  if (r.namespace) celFail(ctx, ['namespace'], 'cross namespace referencing is not currently supported', { type: 'string' });
  if (!ALLOWED_TARGETS.includes(`${r.group || 'core'}/${r.kind}`)) {
    fail(ctx, ['kind'], `targetRef must be to one of ${ALLOWED_TARGETS_TEXT} but was ${r.group ?? ''}/${r.kind}`);
  }
});

/** selector, targetRef and targetRefs exclude each other (CRD CEL, message as the API server prints it). */
export function oneOfSelectorOrTargets(spec: { selector?: unknown; targetRef?: unknown; targetRefs?: unknown[] }, ctx: Ctx) {
  const set = (['selector', 'targetRef', 'targetRefs'] as const).filter((k) => spec[k] !== undefined);
  if (set.length > 1) celFail(ctx, [set[1]!], 'only one of targetRefs or selector can be set', { type: 'object', up: 1 });
}

// ---------------------------------------------------------------- AuthorizationPolicy

const strings = z.array(z.string());

const source = strict({
  principals: strings.optional(),
  notPrincipals: strings.optional(),
  requestPrincipals: strings.optional(),
  notRequestPrincipals: strings.optional(),
  namespaces: strings.optional(),
  notNamespaces: strings.optional(),
  ipBlocks: strings.optional(),
  notIpBlocks: strings.optional(),
  remoteIpBlocks: strings.optional(),
  notRemoteIpBlocks: strings.optional(),
  serviceAccounts: strings.max(16).optional(),
  notServiceAccounts: strings.max(16).optional(),
  trustDomains: strings.optional(),
  notTrustDomains: strings.optional(),
});
type Source = z.output<typeof source>;

const operation = strict({
  hosts: strings.optional(),
  notHosts: strings.optional(),
  ports: strings.optional(),
  notPorts: strings.optional(),
  methods: strings.optional(),
  notMethods: strings.optional(),
  paths: strings.optional(),
  notPaths: strings.optional(),
});
type Operation = z.output<typeof operation>;

const condition = strict({ key: z.string(), values: strings.optional(), notValues: strings.optional() });

const rule = strict({
  from: z.array(strict({ source: source.optional() })).max(512).optional(),
  to: z.array(strict({ operation: operation.optional() })).optional(),
  when: z.array(condition).optional(),
});
type Rule = z.output<typeof rule>;

const action = z.enum(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']);

type ListCheck = (field: string, values: readonly string[]) => ListProblem | undefined;

/** A list check of Istio's security package on one field, reported at the item it found (or the field). */
function checkList(ctx: Ctx, at: Path, obj: Record<string, string[] | undefined>, field: string, check: ListCheck) {
  const values = obj[field];
  const found = values && check(capitalize(field), values);
  if (found) fail(ctx, found.at < 0 ? [...at, field] : [...at, field, found.at], found.message);
}

/** security.ValidateIPs / ValidatePorts: every bad value, in one go-multierror list. */
function checkEach(ctx: Ctx, at: Path, values: string[] | undefined, field: string, error: (v: string) => string | undefined) {
  values?.forEach((v, j) => {
    const message = error(v);
    if (message) webhookListed(ctx, [...at, field, j], message);
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The per-field checks of a `from.source` and a `to.operation`, in the order ValidateAuthorizationPolicy runs them. */
const SOURCE_IPS: (keyof Source)[] = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const SOURCE_CHECKS: [keyof Source, ListCheck][] = [
  ['principals', emptyValues], ['requestPrincipals', emptyValues], ['namespaces', emptyValues], ['serviceAccounts', serviceAccountValues],
  ['trustDomains', trustDomainValues], ['ipBlocks', emptyValues], ['remoteIpBlocks', emptyValues], ['notPrincipals', emptyValues],
  ['notRequestPrincipals', emptyValues], ['notNamespaces', emptyValues], ['notServiceAccounts', serviceAccountValues],
  ['notTrustDomains', trustDomainValues], ['notIpBlocks', emptyValues], ['notRemoteIpBlocks', emptyValues],
];
const OPERATION_PORTS: (keyof Operation)[] = ['ports', 'notPorts'];
const OPERATION_CHECKS: [keyof Operation, ListCheck][] = [
  ['ports', emptyValues], ['methods', emptyValues], ['paths', emptyValues], ['hosts', emptyValues],
  ['notPorts', emptyValues], ['notMethods', emptyValues], ['notPaths', emptyValues], ['notHosts', emptyValues],
  ['paths', pathTemplateValues], ['notPaths', pathTemplateValues],
];
/** Source fields ztunnel can enforce without HTTP (used for Istio's DENY-rule warning). */
const TCP_SOURCE_FIELDS: (keyof Source)[] = ['principals', 'notPrincipals', 'ipBlocks', 'notIpBlocks', 'namespaces', 'notNamespaces', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts'];

const filled = (o: Record<string, unknown[] | undefined>) => Object.values(o).some((v) => (v?.length ?? 0) > 0);

function validateRule(r: Rule, i: number, act: string, ctx: Ctx) {
  const base: Path = ['rules', i];
  let tcpInFrom = false;
  let tcpInTo = false;
  let hasFrom = false;
  let hasTo = false;
  // Istio's "`from` must not be empty" never fires: protobuf's JSON decoding leaves an empty list nil.
  r.from?.forEach((f, j) => {
    const at: Path = [...base, 'from', j, 'source'];
    const src = f.source;
    if (!src) return fail(ctx, [...base, 'from', j], `\`from.source\` must not be nil, found at rule ${i}`);
    hasFrom = true;
    if ((src.serviceAccounts || src.notServiceAccounts) && (src.principals || src.notPrincipals || src.namespaces || src.notNamespaces)) {
      celFail(ctx, at, 'Cannot set serviceAccounts with namespaces or principals', { type: 'object' });
    }
    if (!filled(src)) fail(ctx, at, `\`from.source\` must not be empty, found at rule ${i}`);
    for (const field of SOURCE_IPS) checkEach(ctx, at, src[field], field, ipOrCidrError);
    for (const [field, check] of SOURCE_CHECKS) checkList(ctx, at, src, field, check);
    if (TCP_SOURCE_FIELDS.some((k) => src[k] !== undefined)) tcpInFrom = true;
    if (act === 'CUSTOM') {
      for (const k of ['namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains', 'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals'] as const) {
        if (src[k]?.length) fail(ctx, [...at, k], `From.${capitalize(k)} is currently not supported with CUSTOM action`);
      }
    }
  });
  r.to?.forEach((t, j) => {
    const at: Path = [...base, 'to', j, 'operation'];
    const op = t.operation;
    if (!op) return fail(ctx, [...base, 'to', j], `\`to.operation\` must not be nil, found at rule ${i}`);
    hasTo = true;
    if (!filled(op)) fail(ctx, at, `\`to.operation\` must not be empty, found at rule ${i}`);
    for (const field of OPERATION_PORTS) checkEach(ctx, at, op[field], field, portStringError);
    for (const [field, check] of OPERATION_CHECKS) checkList(ctx, at, op, field, check);
    if (op.ports !== undefined || op.notPorts !== undefined) tcpInTo = true;
  });
  r.when?.forEach((c, j) => {
    const at: Path = [...base, 'when', j];
    if (c.key === '') return fail(ctx, [...at, 'key'], '`key` must not be empty');
    if (!c.values?.length && !c.notValues?.length) return fail(ctx, at, `at least one of \`values\` or \`notValues\` must be set for key ${c.key}`);
    // Istio checks the key with each list, empty or not: a bad key is reported for both.
    const vErr = attributeError(c.key, c.values ?? []);
    if (vErr) fail(ctx, [...at, c.values?.length ? 'values' : 'key'], `invalid \`value\` for \`key\` ${c.key}: ${vErr}`);
    const nErr = attributeError(c.key, c.notValues ?? []);
    if (nErr) fail(ctx, [...at, c.notValues?.length ? 'notValues' : 'key'], `invalid \`notValue\` for \`key\` ${c.key}: ${nErr}`);
    if (act === 'CUSTOM' && (['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'].includes(c.key) || c.key.startsWith('request.auth.'))) {
      fail(ctx, [...at, 'key'], `${c.key} is currently not supported with CUSTOM action`);
    }
  });
  if (act === 'DENY' && ((hasFrom && !hasTo && !tcpInFrom) || (hasTo && !tcpInTo))) {
    warn(ctx, base, 'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port');
  }
}

const authorizationPolicySpec = strict({
  selector: workloadSelector.optional(),
  targetRef: policyTargetRef.optional(),
  targetRefs: z.array(policyTargetRef).max(16).optional(),
  action: action.optional(),
  provider: strict({ name: z.string() }).optional(),
  // A null rule fails the CRD's schema (an object is expected); checked below, beside the policy's other problems.
  rules: z.array(rule.nullable()).max(512).optional(),
}).superRefine((spec, ctx) => {
  oneOfSelectorOrTargets(spec, ctx);
  const act = spec.action ?? 'ALLOW';
  if (act === 'CUSTOM') {
    if (!spec.rules?.length) fail(ctx, ['action'], 'CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request');
    else if (!spec.provider?.name) fail(ctx, spec.provider ? ['provider', 'name'] : ['provider'], '`provider.name` must not be empty');
  } else if (spec.provider) {
    fail(ctx, ['provider'], `\`provider\` must not be with non CUSTOM action, found ${act}`);
  }
  // `rules: []` decodes to no rules at all.
  if (act === 'DENY' && !spec.rules?.length) {
    fail(ctx, ['action'], 'DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request');
  }
  spec.rules?.forEach((r, i) => (r === null ? schemaFail(ctx, ['rules', i], `\`rule\` must not be nil, found at rule ${i}`) : validateRule(r, i, act, ctx)));
  // A policy that passed holds no null rule.
}).transform((spec) => spec as Omit<typeof spec, 'rules'> & { rules?: Rule[] });

const DRY_RUN = 'istio.io/dry-run';

/** checkDryRunAnnotation (Go's strconv.ParseBool for the value), answered before the policy's own rules. */
export const authorizationPolicy = kubeObject({ spec: authorizationPolicySpec.optional(), status: anyStatus.optional() }).superRefine((ap, ctx) => {
  const dryRun = ap.metadata.annotations?.[DRY_RUN];
  if (dryRun === undefined) return;
  const act = ap.spec?.action ?? 'ALLOW';
  const at: Path = ['metadata', 'annotations', DRY_RUN];
  const policy = `${ap.metadata.namespace ?? 'default'}/${ap.metadata.name}`;
  if (act !== 'ALLOW' && act !== 'DENY') webhookAlone(ctx, at, `the annotation ${DRY_RUN} currently only supports action ALLOW/DENY, found action ${act} in ${policy}`);
  else if (!['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(dryRun)) {
    webhookAlone(ctx, at, `${policy} has annotation ${DRY_RUN} with invalid value (${dryRun}): strconv.ParseBool: parsing ${JSON.stringify(dryRun)}: invalid syntax`);
  }
});

// ---------------------------------------------------------------- PeerAuthentication

const mtlsMode = z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);

export const peerAuthentication = kubeObject({
  spec: strict({
    selector: workloadSelector.optional(),
    mtls: strict({ mode: mtlsMode.optional() }).optional(),
    portLevelMtls: z.record(z.string(), strict({ mode: mtlsMode.optional() })).optional(),
  }).superRefine((spec, ctx) => {
    if (!spec.portLevelMtls) return;
    const keys = Object.keys(spec.portLevelMtls);
    if (Object.keys(spec.selector?.matchLabels ?? {}).length === 0) celFail(ctx, ['portLevelMtls'], 'portLevelMtls requires selector', { type: 'object', up: 1 });
    if (keys.length === 0) schemaFail(ctx, ['portLevelMtls'], 'port level mTLS, if defined, must have at least one element');
    for (const k of keys) {
      if (!/^\d+$/.test(k) || Number(k) < 1 || Number(k) > 65535) celFail(ctx, ['portLevelMtls', k], `port must be between 1-65535, got "${k}"`, { rule: 'port must be between 1-65535', type: 'object', up: 1 });
    }
  }).optional(),
});

// ---------------------------------------------------------------- RequestAuthentication

const nonEmptyString = (what: string) => z.string().refine((s) => s.length > 0, { message: what });

const jwtRule = strict({
  issuer: z.string().optional(),
  audiences: z.array(nonEmptyString('audience must be non-empty string')).optional(),
  jwksUri: z.string().max(2048).optional(),
  jwks_uri: z.string().max(2048).optional(),
  jwks: z.string().optional(),
  fromHeaders: z.array(strict({ name: nonEmptyString('location header name must be non-empty string'), prefix: z.string().optional() })).optional(),
  fromParams: z.array(nonEmptyString('location query must be non-empty string')).optional(),
  fromCookies: z.array(nonEmptyString('cookie name must be non-empty string')).optional(),
  outputPayloadToHeader: z.string().optional(),
  forwardOriginalToken: z.boolean().optional(),
  outputClaimToHeaders: z.array(strict({
    header: z.string().regex(/^[-_A-Za-z0-9]+$/, { message: 'outputClaimToHeaders header must be a valid header name (letters, digits, - and _)' }),
    claim: nonEmptyString('outputClaimToHeaders header and claim value must be non-empty string'),
  })).optional(),
  presence: z.enum(['OPTIONAL', 'REQUIRED']).optional(),
  spaceDelimitedClaims: z.array(z.string().min(1)).max(64).optional(),
  timeout: istioDuration.optional(),
}).superRefine((r, ctx) => {
  // validateJwtRule builds a go-multierror list of its errors; jwks_uri is the same proto field as jwksUri.
  if (!r.issuer && !r.jwksUri && !r.jwks_uri) webhookListed(ctx, ['issuer'], 'issuer or jwksUri must be non-empty string');
  const uris = (['jwksUri', 'jwks_uri'] as const).filter((k) => r[k] !== undefined);
  if (uris.length + (r.jwks !== undefined ? 1 : 0) > 1) celFail(ctx, ['jwks'], 'only one of jwks or jwksUri can be set', { type: 'object', up: 1 });
  for (const k of uris) {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(r[k]!)?.[1];
    if (scheme !== 'http' && scheme !== 'https') celFail(ctx, [k], `url must have scheme http:// or https://, got "${r[k]}"`, { rule: 'url must have scheme http:// or https://', type: 'string' });
  }
  if (r.jwks !== undefined) {
    try {
      const set: unknown = JSON.parse(r.jwks);
      if (typeof set !== 'object' || set === null) throw new Error('not a JSON object');
    } catch (e) {
      webhookListed(ctx, ['jwks'], `jwks parse error: ${(e as Error).message}`);
    }
  }
});

export const requestAuthentication = kubeObject({
  spec: strict({
    selector: workloadSelector.optional(),
    targetRef: policyTargetRef.optional(),
    targetRefs: z.array(policyTargetRef).max(16).optional(),
    jwtRules: z.array(jwtRule).max(4096).optional(),
  }).superRefine(oneOfSelectorOrTargets).optional(),
});
