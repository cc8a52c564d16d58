// The compiled acceptance predicate must agree exactly with zod: true only when safeParse succeeds
// with no issue at all. Checked on every manifest shipped with the project, on random mutations of
// them, and on hand-built schemas covering def types the manifests' schemas do not use.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { generateScenario } from '../../src/generate';
import { WARNING } from '../../src/k8s/schemas/common';
import { acceptsFast } from '../../src/k8s/schemas/fast-accept';
import { schemaFor } from '../../src/k8s/schemas/registry';
import { validateObject } from '../../src/k8s/validate';
import { parseYaml } from '../../src/scenario';
import * as samples from './samples';

const root = path.resolve(__dirname, '../..');

type Obj = Record<string, unknown>;

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/** Every object with an apiVersion and kind meshsim has a schema for, inline manifest texts included. */
function manifests(text: string, out: Obj[]): void {
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^\s*(apiVersion|kind):/m.test(v)) manifests(v, out);
      return;
    }
    if (Array.isArray(v)) return v.forEach(visit);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Obj;
    if (typeof o['apiVersion'] === 'string' && typeof o['kind'] === 'string' && schemaFor(o['apiVersion'], o['kind'])) out.push(o);
    else Object.values(o).forEach(visit);
  };
  // The project's loader (frozen values, as validateObject sees them) and the yaml library (plain objects).
  for (const doc of parseYaml(text, 'corpus.yaml').docs) visit(doc.value);
  for (const doc of parseAllDocuments(text)) {
    try {
      visit(doc.toJS());
    } catch {
      // not a manifest file the yaml library can read
    }
  }
}

function corpus(): Obj[] {
  const out: Obj[] = [];
  for (const file of [...yamlFiles(path.join(root, 'scenarios')), ...yamlFiles(path.join(root, 'test/fixtures'))]) manifests(fs.readFileSync(file, 'utf8'), out);
  for (const text of Object.values(samples)) if (typeof text === 'string') manifests(text, out);
  manifests(generateScenario({ pods: 60, services: 12, clusters: 1, singleFile: true }).get('scenario.yaml')!, out);
  return out;
}

const schemaOf = (o: Obj): z.ZodType => schemaFor(o['apiVersion'] as string, o['kind'] as string)!;

const objects = corpus();
const valid = objects.filter((o) => schemaOf(o).safeParse(o).success);

function agree(schema: z.core.$ZodType, value: unknown): { fast: boolean; zod: boolean } {
  return { fast: acceptsFast(schema)(value), zod: z.safeParse(schema, value).success };
}

describe('acceptsFast on the shipped manifests', () => {
  it('finds a corpus with valid and invalid objects of many kinds', () => {
    expect(valid.length).toBeGreaterThan(100);
    expect(objects.length).toBeGreaterThan(valid.length);
    expect(new Set(valid.map((o) => o['kind'])).size).toBeGreaterThan(15);
  });

  it('agrees with zod on every object', () => {
    const disagree = objects.filter((o) => {
      const r = agree(schemaOf(o), o);
      return r.fast !== r.zod;
    });
    expect(disagree).toEqual([]);
  });
});

// ---------------------------------------------------------------- mutations

type Seg = string | number;

/** Paths to every value in `v` (the root too). */
function paths(v: unknown, at: Seg[] = [], out: Seg[][] = []): Seg[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((e, i) => paths(e, [...at, i], out));
  else if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) paths((v as Obj)[k], [...at, k], out);
  return out;
}

/** A copy of `v` with `edit` applied to the value at `at` (containers on the path are copied, never mutated). */
function update(v: unknown, at: Seg[], edit: (node: unknown, parent: Obj | unknown[] | undefined, key: Seg | undefined) => unknown): unknown {
  const rec = (node: unknown, i: number, parent: Obj | unknown[] | undefined, key: Seg | undefined): unknown => {
    if (i === at.length) return edit(node, parent, key);
    const seg = at[i]!;
    const copy: Obj | unknown[] = Array.isArray(node) ? [...node] : { ...(node as Obj) };
    (copy as Obj)[seg as string] = rec((node as Obj)[seg as string], i + 1, copy, seg);
    return copy;
  };
  return rec(v, 0, undefined, undefined);
}

const DELETE = Symbol('delete');

function removeDeleted(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((e) => e !== DELETE).map(removeDeleted);
  if (typeof v === 'object' && v !== null) {
    const o: Obj = {};
    for (const k of Object.keys(v)) {
      const e = (v as Obj)[k];
      if (e !== DELETE) o[k] = removeDeleted(e);
    }
    return o;
  }
  return v;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Obj)[k]);
  }
  return v;
}

const fieldNames = [...new Set(objects.flatMap((o) => paths(o).map((p) => p[p.length - 1]).filter((s): s is string => typeof s === 'string')))];

const scalar = fc.oneof(
  fc.constantFrom<unknown>(
    null, undefined, true, false, 0, -1, 1, 1.5, 80, 8080, 65535, 65536, 70000, 2 ** 31, 2 ** 53, -(2 ** 53), NaN, Infinity,
    '', 'Bad_Name', 'x', 'web', 'a-b', 'a.b', '80', '1.5', 'http', 'TCP', 'In', 'None', 'ALLOW', 'DENY', '10.0.0.1', '10.0.0.0/8',
    '::1', '*.example.com', 'example.com', '5s', '100ms', '/', '/api', 'a'.repeat(64), 'app.kubernetes.io/name', 'bad key/with/slashes',
  ),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -5, max: 70000 }),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], {}, { foo: 'bar' }, ['x'], [{}], { name: 'x' }, { app: 'web' }, [{ name: 'web', port: 80 }]) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...fieldNames), scalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'dupe'; at: number }
  | { op: 'ownProto'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...fieldNames), fc.constantFrom('unknownField', 'foo', 'toString', 'constructor')), value }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dupe' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('ownProto' as const), at: fc.nat() }) },
);

function mutate(obj: unknown, m: Mutation): unknown {
  const all = paths(obj);
  const at = all[m.at % all.length]!;
  switch (m.op) {
    case 'delete':
      return at.length === 0 ? obj : removeDeleted(update(obj, at, () => DELETE));
    case 'set':
      return update(obj, at, () => m.value);
    case 'add':
      return update(obj, at, (node) => (typeof node === 'object' && node !== null && !Array.isArray(node) ? { ...node, [m.key]: m.value } : node));
    case 'dupe':
      return update(obj, at, (node) => (Array.isArray(node) && node.length > 0 ? [...node, node[0]] : node));
    case 'ownProto':
      // An own "__proto__" key, as JSON.parse makes it.
      return update(obj, at, (node) => (typeof node === 'object' && node !== null && !Array.isArray(node) ? { ...node, ...JSON.parse('{"__proto__": {"name": "x"}}') } : node));
  }
}

describe('acceptsFast on mutated manifests', () => {
  it('agrees with zod after random mutations', () => {
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (pick, mutations, freeze) => {
        const original = valid[pick]!;
        const schema = schemaOf(original);
        let obj: unknown = original;
        for (const m of mutations) obj = mutate(obj, m);
        if (freeze) deepFreeze(obj);
        const { fast, zod } = agree(schema, obj);
        // Never accepted when zod reports anything, and never sent to zod when zod would accept.
        if (fast) expect(zod).toBe(true);
        expect(fast).toBe(zod);
      }),
      { numRuns: 2500, seed: 20250611 },
    );
  });

  it('agrees with zod on fresh random mutations', () => {
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 2 }), (pick, mutations) => {
        const original = valid[pick]!;
        let obj: unknown = original;
        for (const m of mutations) obj = mutate(obj, m);
        const { fast, zod } = agree(schemaOf(original), obj);
        expect(fast).toBe(zod);
      }),
      { numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------- warnings and other schemas

describe('acceptsFast with warnings', () => {
  it('rejects an object whose only issue is a warning from the schemas', () => {
    const we = { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'w' }, spec: { network: 'n2' } };
    const ap = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'a' }, spec: { selector: {} } };
    for (const obj of [we, ap]) {
      const issues = validateObject(obj);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((i) => i.severity === 'warning')).toBe(true);
      expect(acceptsFast(schemaOf(obj))(obj)).toBe(false);
    }
  });

  it('rejects a value whose only issue is a warning-only refine', () => {
    const warnIfEmpty = z.strictObject({ name: z.string() }).superRefine((v, ctx) => {
      if (v.name === '') ctx.addIssue({ code: 'custom', message: 'empty name', params: WARNING });
    });
    const refined = z.string().refine((s) => s !== 'old', { message: 'deprecated', params: WARNING });
    expect(acceptsFast(warnIfEmpty)({ name: 'a' })).toBe(true);
    expect(acceptsFast(warnIfEmpty)({ name: '' })).toBe(false);
    expect(acceptsFast(refined)('new')).toBe(true);
    expect(acceptsFast(refined)('old')).toBe(false);
  });
});

describe('acceptsFast on hand-built schemas', () => {
  const tree: z.ZodType = z.lazy(() => z.strictObject({ name: z.string(), children: z.array(tree).optional() }));
  const nested = z.strictObject({ id: z.int(), tags: z.array(z.enum(['a', 'b'])).max(2).optional() });
  const schemas: [string, z.core.$ZodType][] = [
    [
      'strict object with optional, nullable and transformed fields',
      z.strictObject({
        name: z.string().min(1),
        port: z.int().optional(),
        when: z.string().nullable().optional().transform((v) => v ?? undefined),
        kind: z.literal(['A', 'B']).optional(),
        any: z.unknown().optional(),
        nested: nested.optional(),
      }),
    ],
    ['stripping object with a refinement on its output', z.object({ a: z.string(), b: z.number().optional() }).refine((o) => o.b === undefined || o.b > 0)],
    ['record with checked keys', z.record(z.string().regex(/^[a-z]+$/), z.number())],
    ['record with integer keys', z.record(z.int(), z.string())],
    ['required unknown and any', z.strictObject({ u: z.unknown(), a: z.any(), n: z.number().optional() })],
    ['plain union', z.union([z.literal('a'), z.int(), z.strictObject({ name: z.string() })])],
    ['refinement with a `when`', z.string().refine((s) => s !== 'abc', { when: (payload) => payload.value !== 'abc' })],
    ['refinement reading the output key order', z.strictObject({ a: z.unknown().optional(), b: z.unknown().optional(), name: z.string().optional() }).refine((o) => Object.keys(o)[0] !== 'name')],
    ['union with a refinement', z.union([z.int(), z.string()]).superRefine((v, ctx) => { if (v === 0 || v === '') ctx.addIssue({ code: 'custom', message: 'empty' }); })],
    ['array of unions with length limits', z.array(z.union([z.boolean(), nested])).min(1).max(3)],
    ['nullable array', z.array(z.string()).nullable()],
    ['pipe into a checked schema', z.string().transform((s) => s.length).pipe(z.int().max(3))],
    ['discriminated union (left to zod)', z.discriminatedUnion('t', [z.object({ t: z.literal('x'), x: z.int() }), z.object({ t: z.literal('y') })])],
    ['defaults (left to zod)', z.strictObject({ a: z.string().default('d'), b: z.int().optional().default(1) })],
    ['exact optional (left to zod)', z.strictObject({ a: z.string().exactOptional() })],
    ['loose object (left to zod)', z.looseObject({ a: z.string() })],
    ['recursive (left to zod)', tree],
    ['lazy (left to zod)', z.strictObject({ a: z.lazy(() => z.string()).optional() })],
    ['email format (left to zod)', z.email()],
  ];

  const keys = ['u', 'n', 'name', 'port', 'when', 'kind', 'any', 'nested', 'a', 'b', 'id', 'tags', 't', 'x', 'children', 'abc', '1', '-1', 'toString', '__proto__'];
  const leafValue = fc.oneof(
    fc.constantFrom<unknown>(null, undefined, '', 'a', 'A', 'B', 'abc', 'old', 0, 1, -1, 1.5, 2 ** 53, NaN, true, false, [], {}, ['a'], ['a', 'b', 'a'], 'x@y.z'),
    fc.string({ maxLength: 4 }),
    fc.integer(),
  );
  const input: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafValue, tie('object'), fc.array(tie('value'), { maxLength: 3 })),
    object: fc.oneof(
      fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 4 }),
      fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 3, noNullPrototype: false }),
    ),
  })).value;

  /** Values each schema is also tried on, whatever the random inputs turn out to be. */
  const edges: unknown[] = [
    undefined, null, NaN, Infinity, -0, 2 ** 53, 1.5, 'a', 'abc', '', [], {}, [1, 2], ['a', 'b', 'a'], Object.create(null),
    { u: 1, a: undefined }, { a: undefined }, { u: 1, a: 1, n: NaN }, { u: 1, a: 1, n: Infinity }, { a: 1 }, { name: 'x' }, { name: 'x', a: 1 },
    { b: 1, a: 'x' }, { b: 1, a: 1 }, { abc: 1 }, { abc: NaN }, { 1: 'x' }, { '-1': 'x' }, { '1.5': 'x' }, { a: 's', b: 2 }, { a: 's', b: -1 },
    { name: 'n', when: null }, { name: 'n', when: 'w', port: 1, kind: 'A' }, { name: 'n', nested: { id: 1, tags: ['a'] } },
    { name: 'n', nested: { id: 1, tags: ['a', 'b', 'a'] } }, { id: 1 }, { t: 'x', x: 1 }, { t: 'y' }, { name: 'n', children: [{ name: 'm' }] },
    [true], [{ id: 2 }], [true, false, true, false], 'x@y.z',
  ];

  for (const [name, schema] of schemas) {
    it(name, () => {
      for (const v of edges) expect({ v, ...agree(schema, v) }).toEqual({ v, fast: z.safeParse(schema, v).success, zod: z.safeParse(schema, v).success });
      fc.assert(
        fc.property(fc.oneof(input, fc.anything({ maxDepth: 2, withNullPrototype: true, withObjectString: true })), (v) => {
          const { fast, zod } = agree(schema, v);
          expect(fast).toBe(zod);
        }),
        { numRuns: 400, seed: 7 },
      );
    });
  }

  it('accepts an undefined optional field but not null, and rejects unknown keys', () => {
    const s = z.strictObject({ a: z.string().optional() });
    expect(acceptsFast(s)({ a: undefined })).toBe(true);
    expect(acceptsFast(s)({})).toBe(true);
    expect(acceptsFast(s)({ a: null })).toBe(false);
    expect(acceptsFast(s)({ b: 1 })).toBe(false);
    expect(acceptsFast(s)([])).toBe(false);
    expect(acceptsFast(z.int())(1.5)).toBe(false);
    expect(acceptsFast(z.int())(2 ** 53)).toBe(false);
  });

  it('never changes the input', () => {
    const obj = deepFreeze(structuredClone(valid[0]!));
    const copy = structuredClone(obj);
    acceptsFast(schemaOf(obj))(obj);
    expect(obj).toEqual(copy);
  });
});

describe('acceptsFast hands checks the value zod would', () => {
  // A check reads zod's output, not the input: unknown keys stripped, defaults added, keys in shape
  // order and made enumerable, holes filled. A check reading any of these must see what zod gives it.
  const seen = (schema: (record: (v: unknown) => void) => z.core.$ZodType, value: unknown): { fast: string[]; zod: string[] } => {
    const views: string[][] = [[], []];
    let side = 0;
    const record = (v: unknown): void => void views[side]!.push(JSON.stringify(Array.isArray(v) ? [...v.keys()].map((i) => i in v) : Object.entries(v as object)));
    const s = schema(record);
    acceptsFast(s)(value);
    side = 1;
    z.safeParse(s, value);
    return { fast: views[0]!, zod: views[1]! };
  };
  const watched = (record: (v: unknown) => void) => z.object({ a: z.string(), b: z.number().optional(), c: z.string().default('d') }).superRefine((v) => record(v));
  const cases: [string, unknown][] = [
    ['keys in shape order', { a: 'x', b: 1, c: 'y' }],
    ['keys out of shape order', { b: 1, a: 'x', c: 'y' }],
    ['an unknown key, stripped', { a: 'x', z: 1, c: 'y' }],
    ['a defaulted key absent', { a: 'x', b: 2 }],
    ['a null prototype', Object.assign(Object.create(null), { a: 'x', c: 'y' })],
    ['a frozen input', Object.freeze({ a: 'x', c: 'y' })],
    ['a non-enumerable key', Object.assign(Object.defineProperty({ a: 'x' }, 'b', { value: 1, enumerable: false }), { c: 'y' })],
  ];
  it.each(cases)('%s', (_name, value) => {
    const { fast, zod } = seen(watched, value);
    expect(fast.length).toBe(1);
    expect(fast).toEqual(zod);
  });

  it('an array with a hole', () => {
    const holed: unknown[] = ['a', 'b'];
    delete holed[0];
    const { fast, zod } = seen((record) => z.array(z.string().optional()).superRefine((v) => record(v)), holed);
    expect(fast).toEqual(zod);
    expect(fast).toEqual(['[true,true]']);
  });

  it('a transformed element', () => {
    const { fast, zod } = seen((record) => z.object({ t: z.string().transform((s) => s.length) }).superRefine((v) => record(v)), { t: 'abc' });
    expect(fast).toEqual(zod);
    expect(fast).toEqual(['[["t",3]]']);
  });
});
