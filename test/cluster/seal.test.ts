import { describe, expect, it } from 'vitest';
import { makeUid } from '../../src/cluster/names';
import { extend, intern, seal, sealWith } from '../../src/cluster/seal';

describe('seal', () => {
  it('keeps frozen parts by identity and copies the rest, keys in the same order', () => {
    const shared = Object.freeze({ app: 'x' });
    const input = { b: 1, a: { labels: shared, list: [{ z: 1, y: 2 }] }, c: undefined };
    const out = seal(input);
    expect(out).not.toBe(input);
    expect(out.a.labels).toBe(shared);
    expect(out.a.list).not.toBe(input.a.list);
    expect(Object.keys(out)).toEqual(['b', 'a', 'c']);
    expect(Object.keys(out.a.list[0]!)).toEqual(['z', 'y']);
    expect(JSON.stringify(out)).toBe(JSON.stringify(input));
  });

  it('freezes every level and leaves the caller’s objects unfrozen', () => {
    const input = { a: { b: [{ c: 1 }] } };
    const out = seal(input);
    expect([out, out.a, out.a.b, out.a.b[0]].every((o) => Object.isFrozen(o))).toBe(true);
    expect([input, input.a, input.a.b, input.a.b[0]].some((o) => Object.isFrozen(o))).toBe(false);
  });

  it('returns an already frozen object itself', () => {
    const frozen = Object.freeze({ a: 1 });
    expect(seal(frozen)).toBe(frozen);
  });

  it('gives plain objects of any size the plain prototype', () => {
    for (const n of [0, 1, 5, 10, 11, 40]) {
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
      const out = seal(input);
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(out).toEqual(input);
    }
  });

  it('keeps a `__proto__` key as data, never as the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const out = seal(input);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('clones values that are not plain objects', () => {
    const when = new Date(0);
    const out = seal({ when });
    expect(out.when).not.toBe(when);
    expect(out.when).toEqual(when);
  });
});

describe('extend', () => {
  it('is `{ ...base, ...extra }`: base keys first, overrides in place, new keys last', () => {
    const base = { a: 1, b: 2 };
    const out = extend(base, { b: 3, c: 4 } as Partial<typeof base>);
    expect(Object.entries(out)).toEqual([['a', 1], ['b', 3], ['c', 4]]);
    expect(base).toEqual({ a: 1, b: 2 });
  });
});

describe('sealWith', () => {
  it.each([
    ['an existing key keeps its place', { a: 1, b: 2, c: 3 }, { b: 9 }],
    ['new keys go last, in the order given', { a: 1 }, { c: 3, b: 2 }],
    ['both at once', { a: 1, b: 2 }, { z: 0, a: 7 }],
    ['a key set to undefined is kept as a key', { a: 1 }, { b: undefined }],
    ['no changes', { a: 1, b: [1] }, {}],
  ] as [string, Record<string, unknown>, Record<string, unknown>][])('%s: same as seal({ ...base, ...changes })', (_, base, changes) => {
    const out = sealWith(base, changes);
    const want = seal({ ...base, ...changes });
    expect(Object.keys(out)).toEqual(Object.keys(want));
    expect(JSON.stringify(out)).toBe(JSON.stringify(want));
    expect(Object.isFrozen(out)).toBe(true);
    expect(Object.isFrozen(base)).toBe(false);
  });

  it('keeps frozen parts and seals the others', () => {
    const shared = Object.freeze({ app: 'x' });
    const base: { labels: object; list: { a: number }[]; extra?: { b: number } } = { labels: shared, list: [{ a: 1 }] };
    const out = sealWith(base, { extra: { b: 2 } });
    expect(out.labels).toBe(shared);
    expect([out.list, out.list[0], out.extra].every((o) => Object.isFrozen(o))).toBe(true);
  });

  it('keeps a `__proto__` key as data', () => {
    const base = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const out = sealWith(base, { b: 2 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a', 'b']);
  });
});

describe('intern', () => {
  it('gives values that read the same one frozen instance', () => {
    const a = intern({ replicas: 3, ready: 3 });
    expect(intern({ replicas: 3, ready: 3 })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('shares nested values that read the same', () => {
    const status = () => ({ replicas: 2, conditions: [{ type: 'Available', status: 'True', reason: undefined }] });
    expect(intern(status())).toBe(intern(status()));
    expect(intern(status())).not.toBe(intern({ replicas: 2, conditions: [{ type: 'Available', status: 'True' }] }));
  });

  it.each([
    ['another value', { replicas: 3, ready: 2 }],
    ['another key order', { ready: 3, replicas: 3 }],
    ['an extra key holding undefined', { replicas: 3, ready: 3, gen: undefined }],
    ['a number written as a string', { replicas: '3', ready: 3 }],
    ['null where a number was', { replicas: null, ready: 3 }],
    ['a key with JSON punctuation', { 'replicas":3,"ready': 3 }],
  ])('keeps apart %s', (_, other) => {
    const a = intern({ replicas: 3, ready: 3 });
    const b = intern(other as Record<string, unknown>);
    expect(b).not.toBe(a);
    expect(Object.keys(b)).toEqual(Object.keys(other));
  });
});

describe('makeUid', () => {
  it.each([
    [0, 0, '58f54975-3656-4fdd-a785-fa528fd96704'],
    [1, 1, 'd87708cf-663a-48de-84df-e406b16e7346'],
    [0xdeadbeef, 42, 'de8beb53-e5fd-4dfd-a566-a4d783af86f5'],
    [123456789, 1_000_000, '03c69291-7d45-4940-9fe6-ba2c8910dad3'],
  ])('seed %i, counter %i → %s', (seed, counter, uid) => {
    expect(makeUid(seed, counter)).toBe(uid);
  });

  it('is a UUID version 4 with the RFC 4122 variant', () => {
    for (let i = 0; i < 200; i++) expect(makeUid(7, i)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
