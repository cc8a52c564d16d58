// Building blocks shared by every API group: strict objects with pass-through field lists, name
// formats, numbers with ranges, durations, label maps, ObjectMeta and LabelSelector.
// Messages are written without the field path; ./messages prefixes it.
import * as z from 'zod';
import type { CelRule } from '../issues';

// zod would compile each object schema into generated code on first use; a scenario validates
// each schema a few thousand times at most, in a process that runs once, and measured cold and
// warm on 10,000-pod scenarios the interpreted checks are ~20% faster. The setting is global: it
// covers every schema in the project.
z.config({ jitless: true });

/** Severity travels on custom zod issues as params.severity (default error). */
export const WARNING = { severity: 'warning' } as const;
/** The check that finds a custom issue travels as params.stage (default the API server's validation). */
const CEL = { stage: 'cel' } as const;
const WEBHOOK = { stage: 'webhook' } as const;
const WEBHOOK_WARNING = { severity: 'warning', stage: 'webhook' } as const;

type Path = (string | number)[];

/** A rule of Istio's validating webhook, in its words. */
export function webhookFail(ctx: z.RefinementCtx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: WEBHOOK });
}
/** A rule of Istio's webhook whose function returns a go-multierror list (`1 error occurred:` when alone). */
export function webhookListed(ctx: z.RefinementCtx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { ...WEBHOOK, listed: true } });
}
/** A check of Istio's webhook on the object's metadata, made before the kind's rules and returned alone. */
export function webhookAlone(ctx: z.RefinementCtx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { ...WEBHOOK, alone: true } });
}
/** A warning Istio's validating webhook returns with an object it admits. */
export function webhookWarn(ctx: z.RefinementCtx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: WEBHOOK_WARNING });
}
/**
 * A CRD's CEL rule (checked before the webhook, unless the schema failed); `node` says how the API
 * server reports it, with the rule's own message when it is not meshsim's `message`.
 */
export function celFail(ctx: z.RefinementCtx, path: Path, message: string, node: Omit<CelRule, 'rule'> & { rule?: string }): void {
  ctx.addIssue({ code: 'custom', path, message, params: { ...CEL, cel: { rule: message, ...node } } });
}
/** A failure of a CRD's OpenAPI schema (a `oneOf`, a minimum), in meshsim's words. */
export function schemaFail(ctx: z.RefinementCtx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/**
 * A strict object: `shape` is validated; `known` lists further real API fields that are accepted
 * as they are (meshsim does not read them); any other key is reported as an unknown field.
 * The pass-through fields are left out of the output type on purpose: nothing may read them.
 */
export function strict<S extends z.ZodRawShape>(shape: S, known: readonly string[] = []): z.ZodObject<S, z.core.$strict> {
  const passthrough: Record<string, z.ZodType> = {};
  for (const k of known) passthrough[k] = z.unknown().optional();
  return z.strictObject({ ...passthrough, ...shape } as S);
}

/** A leaf check: the predicate must hold or the message (given the value) is reported. */
export function check<T extends z.ZodType>(schema: T, ok: (v: z.output<T>) => boolean, message: (v: z.output<T>) => string): T {
  return schema.superRefine((v, ctx) => {
    if (!ok(v)) ctx.addIssue({ code: 'custom', message: message(v), input: v });
  }) as unknown as T;
}

// ---------------------------------------------------------------- names

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

export const dns1123Label = check(
  z.string(),
  isDns1123Label,
  (v) => `Invalid value: "${v}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (at most 63 characters)`,
);
export const dns1123Subdomain = check(
  z.string(),
  isDns1123Subdomain,
  (v) => `Invalid value: "${v}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (at most 253 characters)`,
);
export const dns1035Label = check(
  z.string(),
  (s) => s.length <= 63 && DNS1035_LABEL.test(s),
  (v) => `Invalid value: "${v}": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (at most 63 characters)`,
);

/** IANA_SVC_NAME: what a named port may be called (container ports, Service targetPort). */
export function isIanaSvcName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}
export const ianaSvcName = check(
  z.string(),
  isIanaSvcName,
  (v) => `Invalid value: "${v}": must be no more than 15 characters, contain only lowercase alphanumeric characters or '-', contain at least one letter, and not start or end with '-' or contain '--'`,
);

// ---------------------------------------------------------------- numbers

export function intIn(min: number, max: number) {
  return check(z.int(), (v) => v >= min && v <= max, (v) => `must be between ${min} and ${max}, got ${v}`);
}
export const port = intIn(1, 65535);
export const nonNegativeInt = check(z.int(), (v) => v >= 0, (v) => `must be greater than or equal to 0, got ${v}`);
export const int32 = intIn(-2147483648, 2147483647);
export const uint32 = intIn(0, 4294967295);

/** An int-or-string field (targetPort, probe ports): a number 1..65535 or an IANA service name. */
export const intOrPortName = z
  .union([z.int(), z.string()], { error: 'must be an integer or a string' })
  .superRefine((v, ctx) => {
    if (typeof v === 'number') {
      if (v < 1 || v > 65535) ctx.addIssue({ code: 'custom', message: `must be between 1 and 65535, got ${v}`, input: v });
    } else if (!isIanaSvcName(v)) {
      ctx.addIssue({ code: 'custom', message: `Invalid value: "${v}": must be a port number or an IANA service name (at most 15 lowercase alphanumerics or '-', with a letter)`, input: v });
    }
  });

// ---------------------------------------------------------------- durations

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** Milliseconds of a Go/protobuf duration string ("1.5s", "100ms", "1h30m"), or undefined when malformed. */
export function parseDurationMs(s: string): number | undefined {
  if (!GO_DURATION.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}

/** The CEL rule on Istio's duration fields, and its failure on a text that is no duration. */
const DURATION_RULE: CelRule = { rule: 'must be a valid duration greater than 1ms', type: 'string' };
const DURATION_UNPARSED: CelRule = { rule: "type conversion error from 'string' to 'google.protobuf.Duration' evaluating rule: must be a valid duration greater than 1ms", type: 'string' };

/** Istio duration fields: a valid duration of at least 1ms, to ms precision (CRD CEL + agent.ValidateDuration). */
export const istioDuration = z.string().superRefine((v, ctx) => {
  const ms = parseDurationMs(v);
  if (ms === undefined) celFail(ctx, [], `invalid duration "${v}" (expected e.g. "500ms", "1.5s", "1m")`, DURATION_UNPARSED);
  else if (ms < 1) celFail(ctx, [], `must be a valid duration greater than 1ms, got "${v}"`, DURATION_RULE);
  else if (!Number.isInteger(Math.round(ms * 1e6) / 1e6)) webhookFail(ctx, [], 'only durations to ms precision are supported');
});

/** Gateway API Duration (GEP-2257): 1-4 groups of up to 5 digits with h, m, s or ms. */
export const gatewayDuration = check(
  z.string(),
  (v) => /^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(v),
  (v) => `Invalid value: "${v}": must match ^([0-9]{1,5}(h|m|s|ms)){1,4}$ (e.g. "10s", "1m30s")`,
);

// ---------------------------------------------------------------- labels and annotations

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return `Invalid value: "${key}": prefix part must be a lowercase RFC 1123 subdomain`;
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)`;
  }
  return undefined;
}

const labelKey = z.string().superRefine((k, ctx) => {
  const err = labelKeyError(k);
  if (err) ctx.addIssue({ code: 'custom', message: err, input: k });
});
const labelValue = check(
  z.string(),
  (v) => v.length <= 63 && LABEL_VALUE.test(v),
  (v) => `Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)`,
);

export const labels = z.record(labelKey, labelValue);
export const annotations = z.record(labelKey, z.string());
/** A plain string map (selectors in Istio CRDs, options), keys and values unchecked. */
export const stringMap = z.record(z.string(), z.string());

// ---------------------------------------------------------------- ObjectMeta, selectors

const ownerReference = strict(
  { apiVersion: z.string(), kind: z.string(), name: z.string(), uid: z.string().optional(), controller: z.boolean().optional() },
  ['blockOwnerDeletion'],
);

const metaExtras = ['deletionGracePeriodSeconds', 'finalizers', 'managedFields', 'selfLink'] as const;

/** metadata of a stored object: every real ObjectMeta field, with `name` required in the given format. */
export function objectMeta(name: z.ZodType<string> = dns1123Subdomain) {
  return strict(
    {
      name,
      namespace: dns1123Label.optional(),
      generateName: z.string().optional(),
      labels: labels.optional(),
      annotations: annotations.optional(),
      uid: z.string().optional(),
      resourceVersion: z.string().optional(),
      generation: z.int().optional(),
      creationTimestamp: z.string().nullable().optional().transform((v) => v ?? undefined),
      deletionTimestamp: z.string().optional(),
      ownerReferences: z.array(ownerReference).optional(),
    },
    metaExtras,
  );
}

/** metadata inside a pod template: name optional. */
export const templateMeta = strict(
  {
    name: z.string().optional(),
    labels: labels.optional(),
    annotations: annotations.optional(),
    creationTimestamp: z.string().nullable().optional().transform((v) => v ?? undefined),
  },
  ['namespace', 'generateName', 'uid', 'resourceVersion', 'generation', 'deletionTimestamp', 'ownerReferences', ...metaExtras],
);

const selectorRequirement = strict({
  key: labelKey,
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
}).superRefine((r, ctx) => {
  const n = r.values?.length ?? 0;
  if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0) {
    ctx.addIssue({ code: 'custom', path: ['values'], message: 'Required value: must be specified when `operator` is \'In\' or \'NotIn\'' });
  }
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n > 0) {
    ctx.addIssue({ code: 'custom', path: ['values'], message: 'Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'' });
  }
});

export const labelSelector = strict({
  matchLabels: labels.optional(),
  matchExpressions: z.array(selectorRequirement).optional(),
});

/** A status condition (metav1.Condition). */
export const condition = strict(
  {
    type: z.string(),
    status: z.enum(['True', 'False', 'Unknown']),
    reason: z.string().optional(),
    message: z.string().optional(),
    lastTransitionTime: z.string().optional(),
    observedGeneration: z.int().optional(),
  },
  ['lastHeartbeatTime', 'lastProbeTime', 'lastUpdateTime'],
);

/** Status is written by controllers; it is accepted as any object and never validated. */
export const anyStatus = z.record(z.string(), z.unknown());

/** The root of a stored object: apiVersion, kind, metadata plus the kind's own top-level fields. */
export function kubeObject<S extends z.ZodRawShape>(shape: S, name?: z.ZodType<string>) {
  return strict({ apiVersion: z.string(), kind: z.string(), metadata: objectMeta(name), ...shape });
}

/** IPv4 / IPv6 address and CIDR parsing, as Go's netip does (no leading zeros, no zones). */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}
export function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.includes(':::')) return false;
  let head = s;
  let groupsFromV4 = 0;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    if (!isIPv4(s.slice(lastColon + 1))) return false;
    head = s.slice(0, lastColon + 1) + '0';
    groupsFromV4 = 1;
  }
  const halves = head.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const all = halves.flatMap(groups);
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = all.length + groupsFromV4;
  return halves.length === 2 ? count <= 7 : count === 8;
}
export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}
export function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^(0|[1-9]\d*)$/.test(bits)) return false;
  if (isIPv4(addr)) return Number(bits) <= 32;
  return isIPv6(addr) && Number(bits) <= 128;
}
