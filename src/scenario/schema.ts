// The scenario format (CONTRACT §2) as zod schemas. Every object is strict: an unknown field is an
// error at its key. Durations, rates and expectation expressions are parsed here, so their
// mistakes are reported where they are written. What needs the whole scenario (cluster names,
// files, unique step names) is checked by load.ts and steps.ts.
import * as z from 'zod';
import type { DecisionKind, HopKind, Outcome } from '../result/types';
import { durationValue } from './duration';
import type { Parsed } from './duration';
import { parseComparator, parseRate } from './expressions';
import type { ComparatorKind } from './expressions';
import type { RequestSource, ServiceTime } from './types';
import { describe, withIntegerKeys } from './values';

/** A field parsed by one of the expression parsers; its failure message is reported at the field. */
function parsedBy<T>(parse: (v: unknown) => Parsed<T>) {
  return z.unknown().transform((v, ctx): T => {
    const r = parse(v);
    if (r.ok) return r.value;
    ctx.issues.push({ code: 'custom', message: r.message, input: v });
    return z.NEVER;
  });
}

export const Duration = parsedBy(durationValue);
const Rate = parsedBy(parseRate);
const comparator = (kind: ComparatorKind) => parsedBy((v) => parseComparator(v, kind));
const Fraction = comparator('fraction');
const Latency = comparator('latency');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_MESSAGE = 'must be a lowercase DNS name (letters, digits, "-")';

const Name = z.string().regex(DNS_SUBDOMAIN, NAME_MESSAGE);
const StringMap = z.record(z.string(), z.string());
/** Header and env values: YAML turns `5` and `true` into numbers and booleans; they are meant as text. */
const ScalarString = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const ScalarMap = z.record(z.string(), ScalarString);
const StringOrList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === 'string' ? [v] : v));
const Port = z.int().min(1).max(65535);
const HttpStatus = z.int().min(100).max(599);
const Method = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP method such as GET or POST');

const WORKLOAD_REF = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

function splitRef(ref: string): { namespace: string; name: string } {
  const [namespace, name] = ref.split('/') as [string, string];
  return { namespace, name };
}

/** `NAMESPACE/NAME`, split. */
export const WorkloadRef = z.string().regex(WORKLOAD_REF, 'must be NAMESPACE/NAME, e.g. finance/curl').transform(splitRef);

/** `NAMESPACE/WORKLOAD`, or `external` (enters through an ingress gateway). Whether it exists is the runner's to check. */
export const RequestFrom = parsedBy((v): Parsed<RequestSource> => {
  if (v === 'external') return { ok: true, value: { kind: 'external' } };
  if (typeof v === 'string' && WORKLOAD_REF.test(v)) return { ok: true, value: { kind: 'workload', ...splitRef(v) } };
  return { ok: false, message: `must be NAMESPACE/WORKLOAD (e.g. finance/curl) or external, got ${describe(v)}` };
});

export const HOP_KINDS = ['pod', 'ztunnel', 'waypoint', 'sidecar', 'ingress-gateway', 'eastwest-gateway', 'egress-gateway', 'external'] as const satisfies readonly HopKind[];
export const DECISION_KINDS = [
  'waypoint-binding',
  'route',
  'authz',
  'authn',
  'peer-authn',
  'load-balance',
  'fault',
  'retry',
  'timeout',
] as const satisfies readonly DecisionKind[];
export const OUTCOMES = ['response', 'reset', 'timeout', 'refused', 'dns-error'] as const satisfies readonly Outcome[];

// ---------------------------------------------------------------- spec

const Metadata = z.strictObject({
  name: Name,
  description: z.string().optional(),
  labels: StringMap.default({}),
  annotations: StringMap.optional(),
});

const NodeSchema = z.strictObject({
  name: Name,
  region: z.string().min(1).optional(),
  zone: z.string().min(1).optional(),
  labels: StringMap.default({}),
});

const ClusterSchema = z.strictObject({
  name: z.string().regex(DNS_LABEL, NAME_MESSAGE),
  network: z.string().min(1).optional(),
  nodes: z.array(NodeSchema).min(1).optional(),
  podSubnet: z.string().optional(),
});

const IstioSchema = z.strictObject({
  rootNamespace: z.string().regex(DNS_LABEL, NAME_MESSAGE).default('istio-system'),
  trustDomain: z.string().min(1).default('cluster.local'),
  revision: z.string().regex(DNS_LABEL, NAME_MESSAGE).optional(),
  meshConfig: z.record(z.string(), z.unknown()).default({}),
  features: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])).default({}),
});

/** Exactly one of `file` / `inline`, reported at the place a reader would fix. */
function oneSource(v: { file?: string; inline?: string }, ctx: z.core.$RefinementCtx<unknown>): void {
  if (v.file !== undefined && v.inline !== undefined) ctx.addIssue({ code: 'custom', message: 'give either file or inline, not both', path: ['inline'] });
  if (v.file === undefined && v.inline === undefined) ctx.addIssue({ code: 'custom', message: 'missing required field "file" or "inline"' });
}

export const ResourceEntry = z
  .strictObject({ file: z.string().min(1).optional(), inline: z.string().optional(), clusters: z.array(z.string()).min(1).optional() })
  .superRefine(oneSource);

const ServiceTimeObject = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('constant'), value: Duration }),
  z.strictObject({ distribution: z.literal('exponential'), mean: Duration }),
  z.strictObject({ distribution: z.literal('uniform'), min: Duration, max: Duration }),
  z.strictObject({ distribution: z.literal('normal'), mean: Duration, stddev: Duration }),
  z.strictObject({ distribution: z.literal('lognormal'), mean: Duration, stddev: Duration }),
]);

/** `serviceTime: 2ms` (constant) or `{ distribution: exponential, mean: 2ms }` and friends. */
const ServiceTimeSchema = z.union([z.string(), z.number(), ServiceTimeObject]).transform((v, ctx): ServiceTime => {
  if (typeof v === 'object') {
    switch (v.distribution) {
      case 'constant':
        return { distribution: 'constant', valueMs: v.value };
      case 'exponential':
        return { distribution: 'exponential', meanMs: v.mean };
      case 'uniform':
        return { distribution: 'uniform', minMs: v.min, maxMs: v.max };
      case 'normal':
        return { distribution: 'normal', meanMs: v.mean, stddevMs: v.stddev };
      case 'lognormal':
        return { distribution: 'lognormal', meanMs: v.mean, stddevMs: v.stddev };
    }
  }
  const d = durationValue(v);
  if (d.ok) return { distribution: 'constant', valueMs: d.value };
  ctx.issues.push({ code: 'custom', message: d.message, input: v });
  return z.NEVER;
});

const AppCallSchema = z.strictObject({ url: z.string().min(1), method: Method.default('GET'), headers: ScalarMap.default({}) });

export const AppSchema = z.strictObject({
  workload: WorkloadRef,
  status: HttpStatus.optional(),
  body: z.string().optional(),
  serviceTime: ServiceTimeSchema.optional(),
  headers: ScalarMap.optional(),
  calls: z.array(AppCallSchema).default([]),
  ports: z.array(Port).optional(),
});

export const ScenarioSchema = z.strictObject({
  apiVersion: z.literal('meshsim.dev/v1alpha1'),
  kind: z.literal('Scenario'),
  metadata: Metadata,
  spec: z
    .strictObject({
      seed: z.int().default(1),
      startTime: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i, 'must be an RFC 3339 time such as 2026-01-01T00:00:00Z').default('2026-01-01T00:00:00Z'),
      clusters: z.array(ClusterSchema).min(1).optional(),
      istio: IstioSchema.prefault({}),
      env: ScalarMap.default({}),
      // Entries are checked one by one in load.ts, so one bad entry does not hide the others' files.
      resources: z.array(z.unknown()).default([]),
      apps: z.array(z.unknown()).default([]),  // checked one by one, each with its position
      latency: z.record(z.string(), z.unknown()).default({}),
      // Steps are checked one by one in steps.ts, where each step's kind picks its schema.
      steps: z.array(z.unknown()).default([]),
    })
    .prefault({}),
});

// ---------------------------------------------------------------- steps

const ErrorExpectSchema = z.strictObject({ error: z.string().optional() });

const ObjectRefFields = {
  cluster: z.string().optional(),
  kind: z.string().min(1),
  namespace: z.string().regex(DNS_LABEL, NAME_MESSAGE).optional(),
  name: z.string().min(1),
};

const MetadataChanges = z.record(z.string().min(1), z.string().nullable());

const RequestBody = z
  .strictObject({
    cluster: z.string().optional(),
    from: RequestFrom,
    url: z.string().min(1).optional(),
    pod: WorkloadRef.optional(),
    port: Port.optional(),
    path: z.string().startsWith('/', 'must start with /').optional(),
    method: Method.default('GET'),
    headers: ScalarMap.default({}),
    body: z.string().optional(),
    count: z.int().positive().optional(),
    rate: Rate.optional(),
    arrival: z.enum(['poisson', 'constant']).optional(),
    concurrency: z.int().positive().optional(),
    duration: Duration.optional(),
    timeout: Duration.optional(),
    explain: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    const exclusive = (a: keyof typeof r, b: keyof typeof r) => {
      if (r[a] !== undefined && r[b] !== undefined) ctx.addIssue({ code: 'custom', message: `give either ${a} or ${b}, not both`, path: [b] });
    };
    exclusive('url', 'pod');
    exclusive('rate', 'concurrency');
    if (r.url === undefined && r.pod === undefined) ctx.addIssue({ code: 'custom', message: 'missing required field "url" (or "pod")' });
    for (const f of ['port', 'path'] as const) {
      if (r[f] !== undefined && r.pod === undefined) ctx.addIssue({ code: 'custom', message: `${f} goes with pod; put it in the url instead`, path: [f] });
    }
    if (r.arrival !== undefined && r.rate === undefined) ctx.addIssue({ code: 'custom', message: 'arrival goes with rate', path: ['arrival'] });
    if (r.url !== undefined && !validUrl(r.url)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(r.url)} is not a valid URL`, path: ['url'] });
  });

/** curl takes URLs without a scheme (http is assumed); so does meshsim. */
function validUrl(url: string): boolean {
  if (/\s/.test(url)) return false;
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`);
    return u.hostname !== '';
  } catch {
    return false;
  }
}

const DecisionExpectSchema = z.strictObject({
  kind: z.enum(DECISION_KINDS),
  result: z.string().optional(),
  policy: z.string().nullable().optional(),
  at: z.string().optional(),
  rule: z.union([z.int(), z.string()]).optional(),
  reason: z.string().optional(),
});

const RequestExpectSchema = z.strictObject({
  status: HttpStatus.optional(),
  statuses: z.record(z.string().regex(/^[1-5]\d\d$/, 'status codes are three digits, e.g. "200"'), Fraction).transform(withIntegerKeys).optional(),
  body: z.string().optional(),
  bodyContains: StringOrList.optional(),
  via: z.array(z.enum(HOP_KINDS)).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  latency: z
    .strictObject({ p50: Latency.optional(), p90: Latency.optional(), p99: Latency.optional(), max: Latency.optional(), mean: Latency.optional() })
    .optional(),
  decision: z.union([DecisionExpectSchema, z.array(DecisionExpectSchema)]).transform((d) => (Array.isArray(d) ? d : [d])).optional(),
  throughput: comparator('throughput').optional(),
  backends: z.record(z.string(), Fraction).optional(),
});

const RunExpectSchema = z.strictObject({
  exitCode: z.int().min(0).max(255).optional(),
  stdout: z.string().optional(),
  stdoutContains: StringOrList.optional(),
  stderr: z.string().optional(),
  stderrContains: StringOrList.optional(),
});

const StepFields = { name: z.string().min(1), description: z.string().optional() };

/** One strict schema per step kind; the kind is the single action key a step has. */
export const STEP_SCHEMAS = {
  apply: z.strictObject({
    ...StepFields,
    apply: z.strictObject({ file: z.string().min(1).optional(), inline: z.string().optional(), cluster: z.string().optional() }).superRefine(oneSource),
    expect: ErrorExpectSchema.default({}),
  }),
  delete: z.strictObject({ ...StepFields, delete: z.strictObject(ObjectRefFields), expect: ErrorExpectSchema.default({}) }),
  label: z.strictObject({ ...StepFields, label: z.strictObject({ ...ObjectRefFields, labels: MetadataChanges }), expect: ErrorExpectSchema.default({}) }),
  annotate: z.strictObject({
    ...StepFields,
    annotate: z.strictObject({ ...ObjectRefFields, annotations: MetadataChanges }),
    expect: ErrorExpectSchema.default({}),
  }),
  request: z.strictObject({ ...StepFields, request: RequestBody, expect: RequestExpectSchema.default({}) }),
  run: z.strictObject({ ...StepFields, run: z.string().min(1), cluster: z.string().optional(), expect: RunExpectSchema.default({}) }),
  wait: z.strictObject({ ...StepFields, wait: Duration }),
  parallel: z.strictObject({ ...StepFields, parallel: z.array(z.unknown()).min(1) }),
} as const;

export type StepSchemas = typeof STEP_SCHEMAS;
export type RawStep<K extends keyof StepSchemas> = z.output<StepSchemas[K]>;
