// A fast acceptance predicate compiled from a zod schema: true only when `schema.safeParse(value)`
// would succeed with no issue at all (custom issues carrying params.severity 'warning' included).
// Validating a large scenario spends most of its zod time building payloads and issue arrays for
// objects that turn out valid. This walks `schema._zod.def` once into a plan that mirrors zod's own
// parse rules (zod/v4/core/schemas.js) for the def types the project uses; any other def type, or a
// variant not mirrored with certainty, is left to zod for that subtree, which is exact because zod
// validates subtrees compositionally. False is always safe: the caller then asks zod for messages.
//
// The plan is data read by two small recursive functions rather than a tree of closures: a
// scenario validates a few thousand objects in a process that runs once, so the code is mostly
// cold, and a handful of functions warms up (and is optimized) far sooner than hundreds of closures.
import * as z from 'zod';
import { isRecursiveSchema, regexes } from 'zod/v4/core';

/** Marks a rejected value where an output is produced (a transform may yield any other value). */
const FAIL: unique symbol = Symbol('fast-accept: rejected');

// The parts of zod's internals read here (zod ^4 `_zod`), typed narrowly.
interface Payload {
  value: unknown;
  issues: unknown[];
}
interface Check {
  _zod: { def: { when?: (payload: Payload) => boolean }; check: (payload: Payload) => unknown };
}
interface Def {
  type: string;
  checks?: readonly Check[];
  coerce?: boolean;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  mode?: string;
  options?: readonly Schema[];
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
}
interface Internals {
  def: Def;
  constr: unknown;
  traits: Set<string>;
  optin?: 'optional' | 'defaulted';
  optout?: 'optional';
  values?: Set<unknown>;
}
interface Schema {
  _zod: Internals;
}

// Plan kinds.
const STRING = 0;
const NUMBER = 1;
const BOOLEAN = 2;
const ANY = 3;
const NEVER = 4;
const VALUES = 5;
const OBJECT = 6;
const ARRAY = 7;
const RECORD = 8;
const UNION = 9;
const OPTIONAL = 10;
const NULLABLE = 11;
const PIPE = 12;
const ZOD = 13;
/** Kinds up to here are leaves, tested by `leaf` alone. */
const LAST_LEAF = VALUES;

interface Field {
  key: string;
  /** Position in the shape, which orders zod's output. */
  index: number;
  plan: Plan;
  optin: 'optional' | 'defaulted' | undefined;
  optout: 'optional' | undefined;
  /** A plain `.optional()`: absent, the key is accepted and left out, and asking it has no effect. */
  skipAbsent: boolean;
}

const NONE: readonly never[] = Object.freeze([]);
const NO_KEYS: ReadonlySet<string> = new Set();
const NO_FIELDS: ReadonlyMap<string, Field> = new Map();

/** One node; every plan has every property, so reading them stays monomorphic. */
class Plan {
  kind = ZOD;
  /** The schema's checks, the type itself first when it is one (z.int()); undefined when none. */
  checks: readonly Check[] | undefined = undefined;
  /** VALUES: the exact set zod compares with (enum entries' values, literal values). */
  values: Set<unknown> | undefined = undefined;
  /** ARRAY element, RECORD value, OPTIONAL/NULLABLE inner, PIPE left side. */
  inner: Plan | undefined = undefined;
  /** RECORD key, PIPE right side. */
  other: Plan | undefined = undefined;
  options: readonly Plan[] = NONE;
  // OBJECT
  strict = false;
  keys: readonly string[] = NONE;
  keySet: ReadonlySet<string> = NO_KEYS;
  fields: readonly Field[] = NONE;
  /** Fields by key, except those whose key every object answers `in` for (constructor, toString...). */
  own: ReadonlyMap<string, Field> = NO_FIELDS;
  /** Own fields that zod may reject or output when absent. */
  required: readonly Field[] = NONE;
  /** Fields keyed like an Object.prototype property, which take zod's exact walk. */
  inherited: readonly Field[] = NONE;

  constructor(readonly schema: z.core.$ZodType) {}
}

/**
 * The zod classes mirrored, by the def type each builds. `_zod.constr` is the class an instance was
 * made by; any other class (ZodXor, ZodDiscriminatedUnion, ZodExactOptional, ZodCodec, string
 * formats such as ZodEmail, subclasses...) parses differently or is not needed, and goes to zod.
 */
const HANDLED = new Map<unknown, string>([
  [z.ZodString, 'string'],
  [z.ZodNumber, 'number'],
  [z.ZodNumberFormat, 'number'],
  [z.ZodBoolean, 'boolean'],
  [z.ZodUnknown, 'unknown'],
  [z.ZodAny, 'any'],
  [z.ZodNever, 'never'],
  [z.ZodEnum, 'enum'],
  [z.ZodLiteral, 'literal'],
  [z.ZodObject, 'object'],
  [z.ZodArray, 'array'],
  [z.ZodRecord, 'record'],
  [z.ZodUnion, 'union'],
  [z.ZodOptional, 'optional'],
  [z.ZodNullable, 'nullable'],
  [z.ZodPipe, 'pipe'],
]);

function handledType(s: Schema): boolean {
  return HANDLED.get(s._zod.constr) === s._zod.def.type;
}

// ---------------------------------------------------------------- compiling

const plans = new WeakMap<Schema, Plan>();
const compiling = new Set<Schema>();
const roots = new WeakMap<z.core.$ZodType, (value: unknown) => boolean>();

class Recursive extends Error {}

/** The predicate for `schema`, compiled on first use. */
export function acceptsFast(schema: z.core.$ZodType): (value: unknown) => boolean {
  let fn = roots.get(schema);
  if (!fn) {
    fn = compileRoot(schema);
    roots.set(schema, fn);
  }
  return fn;
}

function compileRoot(schema: z.core.$ZodType): (value: unknown) => boolean {
  let plan: Plan;
  try {
    // zod's memoizer changes parsing (it skips checks on re-entered values) only for recursive schemas.
    if (isRecursiveSchema(schema)) throw new Recursive();
    plan = compile(schema as unknown as Schema);
  } catch {
    compiling.clear();
    plan = new Plan(schema);
  }
  return (v) => {
    fastObjects = pristine();
    // A check that throws makes zod throw too; the caller's safeParse then throws as before.
    try {
      return ok(plan, v);
    } catch {
      return false;
    }
  };
}

function compile(s: Schema): Plan {
  const done = plans.get(s);
  if (done) return done;
  if (compiling.has(s)) throw new Recursive();
  compiling.add(s);
  const p = new Plan(s as unknown as z.core.$ZodType);
  if (handledType(s)) {
    build(p, s);
    if (p.kind !== ZOD) {
      const own = s._zod.def.checks ?? [];
      const checks = s._zod.traits.has('$ZodCheck') ? [s as unknown as Check, ...own] : own;
      if (checks.length > 0) p.checks = checks;
    }
  }
  compiling.delete(s);
  plans.set(s, p);
  return p;
}

/** Fills in the plan for the schema's own parse; leaves kind ZOD for anything not mirrored. */
function build(p: Plan, s: Schema): void {
  const def = s._zod.def;
  switch (def.type) {
    case 'string':
      if (!def.coerce) p.kind = STRING;
      return;
    case 'number':
      if (!def.coerce) p.kind = NUMBER;
      return;
    case 'boolean':
      if (!def.coerce) p.kind = BOOLEAN;
      return;
    case 'unknown':
    case 'any':
      p.kind = ANY;
      return;
    case 'never':
      p.kind = NEVER;
      return;
    case 'enum':
    case 'literal':
      if (s._zod.values) {
        p.kind = VALUES;
        p.values = s._zod.values;
      }
      return;
    case 'object':
      return buildObject(p, def);
    case 'array':
      if (def.element) wraps(p, ARRAY, def.element);
      return;
    case 'record':
      // Enumerated keys (z.enum) and loose records parse differently.
      if (def.keyType && def.valueType && def.keyType._zod.values === undefined && def.mode !== 'loose') wraps(p, RECORD, def.valueType, def.keyType);
      return;
    case 'union':
      if (def.options && def.options.length > 0) {
        p.kind = UNION;
        p.options = def.options.map(compile);
      }
      return;
    case 'optional':
      // An inner default substitutes for undefined; not mirrored.
      if (def.innerType && def.innerType._zod.optin !== 'defaulted') wraps(p, OPTIONAL, def.innerType);
      return;
    case 'nullable':
      if (def.innerType) wraps(p, NULLABLE, def.innerType);
      return;
    case 'pipe':
      if (def.in && def.out) wraps(p, PIPE, def.in, def.out);
      return;
  }
}

/** A plan of `kind` around compiled inner schemas: `inner` (and `other` for records' keys and pipes' right sides). */
function wraps(p: Plan, kind: number, inner: Schema, other?: Schema): void {
  p.kind = kind;
  p.inner = compile(inner);
  if (other) p.other = compile(other);
}

/** A plain `.optional()` without checks: zod's run on undefined returns at once. */
function isPlainOptional(s: Schema): boolean {
  const def = s._zod.def;
  return def.type === 'optional' && handledType(s) && !def.checks?.length && def.innerType?._zod.optin !== 'defaulted';
}

// Object.prototype as this module found it: the keys an object may answer `in` for without owning them.
const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

function buildObject(p: Plan, def: Def): void {
  const shape = def.shape;
  if (!shape || Object.getOwnPropertySymbols(shape).length > 0) return;
  const catchall = def.catchall;
  // Only strict objects (catchall never) and stripping ones (none) are mirrored.
  if (catchall && catchall._zod.def.type !== 'never') return;
  const keys = Object.keys(shape);
  const fields: Field[] = [];
  const own = new Map<string, Field>();
  keys.forEach((key, index) => {
    if (key === '__proto__') return; // zod never parses or outputs it
    const el = shape[key]!;
    const { optin, optout } = el._zod;
    const f: Field = { key, index, plan: compile(el), optin, optout, skipAbsent: optin === 'optional' && optout === 'optional' && isPlainOptional(el) };
    fields.push(f);
    if (!PROTO_NAMES.has(key)) own.set(key, f);
  });
  p.kind = OBJECT;
  p.strict = catchall !== undefined;
  p.keys = keys;
  p.keySet = new Set(keys);
  p.fields = fields;
  p.own = own;
  p.required = [...own.values()].filter((f) => !f.skipAbsent);
  p.inherited = fields.filter((f) => PROTO_NAMES.has(f.key));
}

// ---------------------------------------------------------------- running

/**
 * Whether Object.prototype is as loaded, with no enumerable key (zod's for-in would report one as
 * unknown). Then an object whose prototype is Object.prototype or null answers `in` only for its
 * own keys and PROTO_NAMES, which lets the object walk read own keys instead of asking every field.
 */
function pristine(): boolean {
  for (const _ in Object.prototype) return false;
  return Object.getOwnPropertyNames(Object.prototype).length === PROTO_NAMES.size;
}

/** Set per root call: whether the fast object walk may be taken. */
let fastObjects = true;

/** A leaf plan's own test (checks aside). */
function leaf(p: Plan, v: unknown): boolean {
  switch (p.kind) {
    case STRING:
      return typeof v === 'string';
    case NUMBER:
      return typeof v === 'number' && Number.isFinite(v);
    case BOOLEAN:
      return typeof v === 'boolean';
    case ANY:
      return true;
    case VALUES:
      return p.values!.has(v);
    default:
      return false;
  }
}

/** The predicate. */
function ok(p: Plan, v: unknown): boolean {
  // Checks see zod's output value, so a plan with checks produces it.
  if (p.checks !== undefined) return out(p, v) !== FAIL;
  if (p.kind <= LAST_LEAF) return leaf(p, v);
  switch (p.kind) {
    case OBJECT:
      return isObject(v) && walkObject(p, v, undefined);
    case ARRAY: {
      if (!Array.isArray(v)) return false;
      const el = p.inner!;
      for (let i = 0; i < v.length; i++) if (!ok(el, v[i])) return false;
      return true;
    }
    case RECORD:
      return walkRecord(p, v, undefined);
    case UNION:
      // The first option that accepts wins.
      for (const o of p.options) if (ok(o, v)) return true;
      return false;
    case OPTIONAL:
      return v === undefined || ok(p.inner!, v);
    case NULLABLE:
      return v === null || ok(p.inner!, v);
    case PIPE: {
      // Any issue on the left stops the pipe; the right side gets the left side's output.
      const l = out(p.inner!, v);
      return l !== FAIL && ok(p.other!, l);
    }
    default:
      return z.safeParse(p.schema, v).success;
  }
}

/** zod's output for `v` (new objects and arrays, transforms applied), or FAIL. */
function out(p: Plan, v: unknown): unknown {
  let r: unknown;
  if (p.kind <= LAST_LEAF) r = leaf(p, v) ? v : FAIL;
  else switch (p.kind) {
    case OBJECT: {
      if (!isObject(v)) return FAIL;
      const outs: Out = { index: [], value: [] };
      if (!walkObject(p, v, outs)) return FAIL;
      const o: Record<string, unknown> = {};
      for (let i = 0; i < outs.index.length; i++) o[p.keys[outs.index[i]!]!] = outs.value[i];
      r = o;
      break;
    }
    case ARRAY: {
      if (!Array.isArray(v)) return FAIL;
      const el = p.inner!;
      const a: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const e = out(el, v[i]);
        if (e === FAIL) return FAIL;
        a[i] = e;
      }
      r = a;
      break;
    }
    case RECORD: {
      const o: Record<PropertyKey, unknown> = {};
      if (!walkRecord(p, v, o)) return FAIL;
      r = o;
      break;
    }
    case UNION:
      r = FAIL;
      for (const o of p.options) {
        r = out(o, v);
        if (r !== FAIL) break;
      }
      break;
    case OPTIONAL:
      r = v === undefined ? undefined : out(p.inner!, v);
      break;
    case NULLABLE:
      r = v === null ? null : out(p.inner!, v);
      break;
    case PIPE: {
      const l = out(p.inner!, v);
      r = l === FAIL ? FAIL : out(p.other!, l);
      break;
    }
    default: {
      const res = z.safeParse(p.schema, v);
      r = res.success ? res.data : FAIL;
    }
  }
  return r === FAIL || p.checks === undefined ? r : runChecks(p.checks, r);
}

/**
 * zod runs a schema's checks on the parsed value after its own parse and skips the rest once an
 * issue aborts; here any issue rejects, so before each check the payload is clean and only `when`
 * decides whether it runs. Each check runs as zod runs it, through its own `_zod.check`.
 */
function runChecks(checks: readonly Check[], value: unknown): unknown {
  const payload: Payload = { value, issues: [] };
  for (const ch of checks) {
    const when = ch._zod.def.when;
    if (when && !when(payload)) continue;
    // A Promise makes a synchronous safeParse throw; reject and let zod do so.
    if (ch._zod.check(payload) instanceof Promise || payload.issues.length > 0) return FAIL;
  }
  return payload.value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Outputs of present fields, kept in shape order. */
interface Out {
  index: number[];
  value: unknown[];
}

/** Field `f` as present: validated, and its output placed in shape order. */
function present(f: Field, value: unknown, outs: Out | undefined): boolean {
  if (!outs) return ok(f.plan, value);
  const r = out(f.plan, value);
  if (r === FAIL) return false;
  put(outs, f.index, r);
  return true;
}

function put(outs: Out, index: number, value: unknown): void {
  // Insertion sort: an object has a handful of present keys.
  let i = outs.index.length;
  outs.index.push(index);
  outs.value.push(value);
  while (i > 0 && outs.index[i - 1]! > index) {
    outs.index[i] = outs.index[i - 1]!;
    outs.value[i] = outs.value[i - 1];
    i--;
  }
  outs.index[i] = index;
  outs.value[i] = value;
}

/** zod's handlePropertyResult for a key that `in` says is absent. */
function absent(f: Field, v: Record<string, unknown>, outs: Out | undefined): boolean {
  // zod runs the field on input[key] even when it then ignores the result.
  const r = outs ? out(f.plan, v[f.key]) : ok(f.plan, v[f.key]) ? undefined : FAIL;
  if (f.optin === 'optional' && f.optout === 'optional') return true;
  if (r === FAIL) return f.optin !== undefined && f.optout === 'optional';
  if (f.optin === undefined) return false;
  if (outs && (r !== undefined || (f.optin === 'defaulted' && f.optout !== 'optional'))) put(outs, f.index, r);
  return true;
}

/**
 * zod's $ZodObject parse: every shape key in shape order (`key in input` decides presence, so a
 * key given as undefined is present), then, for strict objects, every for-in key outside the shape
 * is unrecognized; the output holds the shape's keys in shape order. Most shape keys are absent
 * optional fields, so rather than asking the input for each, the fast walk reads the input's own
 * keys and asks only for the fields that matter when absent.
 */
function walkObject(p: Plan, v: Record<string, unknown>, outs: Out | undefined): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  if (!fastObjects || (proto !== Object.prototype && proto !== null)) {
    for (const f of p.fields) {
      if (f.key in v) {
        if (!present(f, v[f.key], outs)) return false;
      } else if (!f.skipAbsent && !absent(f, v, outs)) return false;
    }
    if (p.strict) for (const key in v) if (!p.keySet.has(key)) return false;
    return true;
  }
  let requiredSeen = 0;
  // Own names, non-enumerable ones included: zod's `in` sees those too.
  for (const key of Object.getOwnPropertyNames(v)) {
    const f = p.own.get(key);
    if (f === undefined) {
      // Unknown to a strict object (a non-enumerable one zod would not report; rejecting is safe).
      if (p.strict && !p.keySet.has(key)) return false;
      continue;
    }
    if (!present(f, v[key], outs)) return false;
    if (!f.skipAbsent) requiredSeen++;
  }
  if (requiredSeen < p.required.length) {
    for (const f of p.required) if (!(f.key in v) && !absent(f, v, outs)) return false;
  }
  for (const f of p.inherited) {
    if (f.key in v) {
      if (!present(f, v[f.key], outs)) return false;
    } else if (!f.skipAbsent && !absent(f, v, outs)) return false;
  }
  return true;
}

/** zod's util.isPlainObject, which records require. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  const ctor: unknown = v['constructor'];
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const prot: unknown = (ctor as { prototype: unknown }).prototype;
  return isObject(prot) && Object.prototype.hasOwnProperty.call(prot, 'isPrototypeOf');
}

const NUMERIC = regexes.number;

/**
 * zod's $ZodRecord parse for a key schema that is not an enumeration: every own enumerable key
 * must pass the key schema (a numeric string may pass as a number instead) and its value the value
 * schema; the output is keyed by the key schema's output, leaving out "__proto__".
 */
function walkRecord(p: Plan, v: unknown, o: Record<PropertyKey, unknown> | undefined): boolean {
  // Symbol keys are rare enough to leave to zod.
  if (!isPlainObject(v) || Object.getOwnPropertySymbols(v).length > 0) return false;
  const keyPlan = p.other!;
  for (const k of Object.keys(v)) {
    if (k === '__proto__') continue;
    let key = out(keyPlan, k);
    if (key === FAIL && NUMERIC.test(k)) key = out(keyPlan, Number(k));
    if (key === FAIL) return false;
    if (key === '__proto__') continue;
    if (!o) {
      if (!ok(p.inner!, v[k])) return false;
      continue;
    }
    const r = out(p.inner!, v[k]);
    if (r === FAIL) return false;
    o[key as PropertyKey] = r;
  }
  return true;
}
