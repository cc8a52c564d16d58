import { describe, expect, it } from 'vitest';
import { withIntegerKeys } from '../../src/scenario/values';

describe('withIntegerKeys', () => {
  it.each<[name: string, record: Record<string, number>]>([
    ['status codes', { '503': 0.1, '200': 0.9 }],
    ['no keys', {}],
    ['integer and other keys', { x: 1, '404': 2 }],
  ])('copies %s, keys in the order objects give them', (_name, record) => {
    const out = withIntegerKeys(record);
    expect(out).not.toBe(record);
    expect(out).toStrictEqual(record);
    expect(Object.keys(out)).toEqual(Object.keys(record));
    expect(Object.keys(out)).not.toContain(String(1 << 24));
  });
});
