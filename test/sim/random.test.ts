import { describe, expect, it } from 'vitest';
import { Rng, Simulation, streams } from '../../sim';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe('named random streams', () => {
  it('same seed and name give the same numbers', () => {
    expect(draw(streams(7).get('arrivals'), 20)).toEqual(draw(streams(7).get('arrivals'), 20));
  });

  it.each([
    { name: 'different seeds', a: [7, 'arrivals'], b: [8, 'arrivals'] },
    { name: 'different names', a: [7, 'arrivals'], b: [7, 'service'] },
    { name: 'seed 1 vs "1x"', a: [1, 'x'], b: ['1x', ''] },
  ] as const)('$name give different numbers', ({ a, b }) => {
    expect(draw(streams(a[0]).get(a[1]), 20)).not.toEqual(draw(streams(b[0]).get(b[1]), 20));
  });

  it('creating and drawing from other streams never shifts a stream', () => {
    const alone = streams(3);
    const expected = draw(alone.get('service'), 50);

    const crowded = streams(3);
    draw(crowded.get('arrivals'), 1000);
    const service = crowded.get('service');
    const got: number[] = [];
    for (let i = 0; i < 50; i++) {
      got.push(service.next());
      draw(crowded.get(`extra-${i}`), i);
    }
    expect(got).toEqual(expected);
  });

  it('get returns the same stateful stream for a name', () => {
    const s = streams(1);
    const first = s.get('a').next();
    expect(s.get('a').next()).not.toBe(first);
    expect(s.get('a')).toBe(s.get('a'));
  });

  it('Simulation.stream uses the simulation seed', () => {
    const a = new Simulation({ seed: 11 }).stream('lb');
    const b = streams(11).get('lb');
    expect(draw(a, 10)).toEqual(draw(b, 10));
  });
});

describe('Rng helpers', () => {
  const rng = streams('helpers').get('t');
  const N = 60_000;

  it('next is in [0, 1) with mean ≈ 1/2', () => {
    const xs = draw(rng, N);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / N).toBeCloseTo(0.5, 2);
  });

  it('int(n) covers 0..n-1 evenly', () => {
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < N; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - N / 6)).toBeLessThan(0.05 * (N / 6));
  });

  it('pick chooses every element; shuffle is a permutation', () => {
    const xs = ['a', 'b', 'c'];
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(rng.pick(xs));
    expect([...seen].sort()).toEqual(xs);
    expect(rng.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([
    { name: 'int(0)', act: () => rng.int(0) },
    { name: 'pick([])', act: () => rng.pick([]) },
  ])('$name throws', ({ act }) => {
    expect(act).toThrow(RangeError);
  });

  it('random is the raw generator, for pure functions taking () => number', () => {
    const a = streams(5).get('r');
    const b = streams(5).get('r');
    expect([a.random(), a.random()]).toEqual([b.next(), b.next()]);
  });
});
