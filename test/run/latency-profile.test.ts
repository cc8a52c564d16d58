// The printed latency profile names every figure in force and marks the overridden ones.
import { describe, expect, it } from 'vitest';
import { formatLatencyProfile } from '../../src/cli/latency-profile';
import { DEFAULT_LATENCY, resolveLatencyConfig } from '../../src/run/latency-config';

const at = () => ({ file: 'x.yaml', line: 1, col: 1 });

describe('latency profile', () => {
  it('prints the defaults with the capacity each proxy gives (A.4 ceilings: ztunnel ≈ 33 k/s, waypoint ≈ 8 k/s)', () => {
    const text = formatLatencyProfile(DEFAULT_LATENCY);
    expect(text).not.toMatch(/\*\s+(sameNode|ztunnel|waypoint)/);
    const cap = (k: string) => Number(new RegExp(`${k}.*~(\\d+) req/s`).exec(text)![1]);
    expect(cap('ztunnel')).toBeGreaterThan(25_000);
    expect(cap('ztunnel')).toBeLessThan(35_000);
    expect(cap('waypoint')).toBeGreaterThan(6_000);
    expect(cap('waypoint')).toBeLessThan(9_000);
  });

  it('marks overrides', () => {
    const text = formatLatencyProfile(resolveLatencyConfig({ value: { proxies: { waypoint: { workers: 4 } }, regions: { 'a/b': '30ms' } }, at }));
    expect(text).toMatch(/\* waypoint\s+4 workers/);
    expect(text).toMatch(/\* a\/b\s+p50 30ms/);
    expect(text).toMatch(/  ztunnel/);
  });
});
