// The scheduler's per-owner pod counts by node and zone, checked against a plain per-owner model
// across tables that grow (more owners, node names and zones) and rows that are freed and reused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OwnerCounts } from '../../src/cluster/owner-counts';

type Step = { owner: number; node: number; zone: number; delta: 1 | -1 };

const step = fc.record({
  owner: fc.integer({ min: 0, max: 12 }),
  node: fc.integer({ min: 0, max: 30 }),
  zone: fc.integer({ min: 0, max: 5 }),
  delta: fc.constantFrom<1 | -1>(1, 1, -1),
});

describe('OwnerCounts', () => {
  it('counts like a map of per-owner counters that never go below zero', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps: Step[]) => {
        const counts = new OwnerCounts();
        const nodes = new Map<string, number>();
        const zones = new Map<string, number>();
        let names = 0;
        let zoneCount = 0;
        for (const s of steps) {
          names = Math.max(names, s.node + 1);
          zoneCount = Math.max(zoneCount, s.zone + 1);
          counts.add(`o${s.owner}`, s.node, s.zone, s.delta, names, zoneCount);
          nodes.set(`${s.owner}/${s.node}`, Math.max(0, (nodes.get(`${s.owner}/${s.node}`) ?? 0) + s.delta));
          zones.set(`${s.owner}/${s.zone}`, Math.max(0, (zones.get(`${s.owner}/${s.zone}`) ?? 0) + s.delta));
        }
        const got: number[][] = [];
        const want: number[][] = [];
        for (let o = 0; o <= 12; o++) {
          const row = counts.row(`o${o}`);
          const expected = [...Array(32).keys()].map((n) => nodes.get(`${o}/${n}`) ?? 0).concat([...Array(7).keys()].map((z) => zones.get(`${o}/${z}`) ?? 0));
          // An owner with nothing counted holds no row.
          want.push([expected.some((c) => c > 0) ? 1 : 0, ...expected]);
          got.push([row >= 0 ? 1 : 0, ...[...Array(32).keys()].map((n) => counts.node(row, n)), ...[...Array(7).keys()].map((z) => counts.zone(row, z))]);
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('a freed row is reused clean by the next owner', () => {
    const counts = new OwnerCounts();
    counts.add('a', 2, 1, 1, 3, 2);
    counts.add('a', 2, 1, -1, 3, 2);
    expect(counts.row('a')).toBe(-1);
    counts.add('b', 0, 0, 1, 3, 2);
    const row = counts.row('b');
    expect(row).toBe(0);
    expect([counts.node(row, 0), counts.node(row, 2), counts.zone(row, 0), counts.zone(row, 1)]).toEqual([1, 0, 1, 0]);
  });

  it('a departure of an owner never counted is a no-op', () => {
    const counts = new OwnerCounts();
    counts.add('a', 0, 0, -1, 1, 1);
    expect(counts.row('a')).toBe(-1);
  });

  // Cells are bytes; a count past 254 (pods bound by nodeName skip the capacity check) moves to an
  // overflow entry and must read back exactly, on the way up and down, and next to a grown table.
  it.each([
    { up: 254, down: 0, want: 254 },
    { up: 255, down: 0, want: 255 },
    { up: 600, down: 0, want: 600 },
    { up: 600, down: 345, want: 255 },
    { up: 600, down: 346, want: 254 },
    { up: 300, down: 300, want: 0 },
  ])('counts $up up and $down down to $want', ({ up, down, want }) => {
    const counts = new OwnerCounts();
    for (let i = 0; i < up; i++) counts.add('a', 1, 0, 1, 2, 1);
    // Another owner and more node names grow the table while the cell is saturated.
    counts.add('b', 7, 2, 1, 8, 3);
    for (let i = 0; i < down; i++) counts.add('a', 1, 0, -1, 8, 3);
    const row = counts.row('a');
    expect([row >= 0, counts.node(row, 1), counts.zone(row, 0), counts.node(row, 0)]).toEqual([want > 0, want, want, 0]);
  });
});
