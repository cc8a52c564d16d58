import { describe, expect, it } from 'vitest';
import { StringPool } from '../../src/scenario/string-pool';

describe('StringPool', () => {
  it.each([
    ['short', 'v1'],
    ['long (a slice in V8)', 'registry.example/meshsim/service:1.0'],
    ['empty', ''],
  ])('returns an equal string for a %s value', (_name, s) => {
    const pool = new StringPool();
    const text = `xx${s}yy`;
    expect(pool.own(text.slice(2, 2 + s.length))).toBe(s);
  });

  it('leaves values equal and walks every array and object in place', () => {
    const value = { a: ['x', 1, null, { b: 'yyyyyyyyyyyyyyyyyy' }], c: true };
    const copy = structuredClone(value);
    expect(new StringPool().ownAll(value)).toBe(value);
    expect(value).toStrictEqual(copy);
  });

  it('walks a value that reaches itself (aliases) without looping', () => {
    const shared: Record<string, unknown> = { name: 'n' };
    shared.self = shared;
    const value = [shared, shared];
    expect(new StringPool().ownAll(value)).toBe(value);
    expect(value[0]).toBe(value[1]);
  });

  it('still pools after being cleared', () => {
    const pool = new StringPool();
    pool.own('aaaaaaaaaaaaaaaaaaaa');
    pool.clear();
    expect(pool.own('aaaaaaaaaaaaaaaaaaaa')).toBe('aaaaaaaaaaaaaaaaaaaa');
  });
});
