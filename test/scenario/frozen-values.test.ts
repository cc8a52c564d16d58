// Parsed values are frozen so the clusters share them instead of copying them; both parsers
// must hand over the same frozen values.
import { describe, expect, it } from 'vitest';
import { deepFreeze, frozenNode } from '../../src/scenario/frozen-values';
import { parseYaml } from '../../src/scenario/yaml-source';
import { pathsOf } from './parse-both-ways';

const TEXT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: a, labels: { app: a } }
spec:
  selector: { matchLabels: { app: a } }
  template:
    spec:
      containers:
        - name: a
          image: app:1
          ports: [{ containerPort: 8080 }]
`;
// An anchor and an alias are left to the full parser.
const ALIASED = `a: &x { b: [1, 2] }\nc: *x\n`;

describe('frozen parsed values', () => {
  it.each<[name: string, text: string, fast: boolean]>([
    ['fast parser', TEXT, true],
    ['full parser', TEXT, false],
    ['full parser with an alias', ALIASED, false],
  ])('%s: every collection in a document is frozen', (_name, text, fast) => {
    const [doc] = parseYaml(text, 'f.yaml', undefined, { fast }).docs;
    const collections = pathsOf(doc!.value)
      .map((p) => p.reduce<unknown>((v, seg) => (v as Record<string | number, unknown>)[seg], doc!.value))
      .filter((v) => typeof v === 'object' && v !== null);
    expect(collections.length).toBeGreaterThan(3);
    expect(collections.filter((v) => !Object.isFrozen(v))).toEqual([]);
  });

  it('gives both parsers equal values', () => {
    const [fast] = parseYaml(TEXT, 'f.yaml').docs;
    const [full] = parseYaml(TEXT, 'f.yaml', undefined, { fast: false }).docs;
    expect(fast!.value).toStrictEqual(full!.value);
  });

  it.each<[name: string, value: unknown]>([
    ['a mapping', { b: 1, a: 'x', c: null }],
    ['an empty mapping', {}],
    ['a mapping with integer keys', { 200: 'ok', x: 1 }],
    ['a mapping of more keys than are sized exactly', Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`k${i}`, i]))],
    ['a sequence', [1, 'two', null]],
  ])('frozenNode keeps %s equal, keys in order', (_name, value) => {
    const copy = structuredClone(value);
    const out = frozenNode(value);
    expect(Object.isFrozen(out)).toBe(true);
    expect(out).toStrictEqual(copy);
    expect(Object.keys(out as object)).toEqual(Object.keys(copy as object));
  });

  it.each<[name: string, value: unknown]>([
    ['a string', 'abc'],
    ['a number', 3],
    ['null', null],
  ])('frozenNode leaves %s as it is', (_name, value) => {
    expect(frozenNode(value)).toBe(value);
  });

  it('deepFreeze freezes a value that reaches itself, in place', () => {
    const shared: Record<string, unknown> = { name: 'n', list: [{ x: 1 }] };
    shared['self'] = shared;
    const value = [shared, shared];
    expect(deepFreeze(value)).toBe(value);
    expect([value, shared, shared['list'], (shared['list'] as object[])[0]].every((v) => Object.isFrozen(v))).toBe(true);
  });
});
