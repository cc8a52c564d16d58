// Workloads by pod IP: the compact table answers as a Map filled in list order would.
import { describe, expect, it } from 'vitest';
import { IpIndex } from '../../src/control/ip-index';
import type { WorkloadInfo } from '../../src/control/model';

const w = (name: string, ip: string) => ({ name, ip }) as WorkloadInfo;

describe('IpIndex', () => {
  const list = [w('a', '10.0.0.1'), w('b', '10.0.0.2'), w('dup-first', '10.0.0.3'), w('host', '172.18.0.2'), w('dup-last', '10.0.0.3'), w('v6', 'fd00::1')];
  const index = new IpIndex(list, (x) => x.name !== 'host');

  it.each([
    { ip: '10.0.0.1', found: 'a' },
    { ip: '10.0.0.2', found: 'b' },
    { ip: '10.0.0.3', found: 'dup-last' },
    { ip: 'fd00::1', found: 'v6' },
    { ip: '172.18.0.2', found: undefined },
    { ip: '10.0.0.4', found: undefined },
    { ip: '', found: undefined },
  ])('$ip → $found', ({ ip, found }) => {
    expect(index.get(ip)?.name).toBe(found);
    expect(index.has(ip)).toBe(found !== undefined);
  });

  it('counts distinct indexed IPs', () => {
    expect(index.size).toBe(4);
    expect(new IpIndex([]).size).toBe(0);
    expect(new IpIndex([]).get('10.0.0.1')).toBeUndefined();
  });

  it('finds every one of many addresses, through collisions and a full table', () => {
    const many = Array.from({ length: 5000 }, (_, i) => w(`p${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
    const big = new IpIndex(many);
    const expected = new Map(many.map((x) => [x.ip, x] as const));
    expect(big.size).toBe(expected.size);
    for (const [ip, x] of expected) expect(big.get(ip)).toBe(x);
    expect(big.get('10.0.255.255')).toBeUndefined();
  });
});
