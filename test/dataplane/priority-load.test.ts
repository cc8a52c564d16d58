// Envoy's priority load (load_balancer_impl.cc recalculatePerPriorityState / recalculatePerPriorityPanic,
// and the tables of Envoy's "Priority levels" and "Panic threshold" pages): integer health scores
// with the 140% overprovisioning factor, normalisation below 100, rounding leftovers to the first
// priority with health, panic only while the normalized total is under 100.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choosePriority, levelHealth, priorityLoad } from '../../src/dataplane/priority-load';

const of = (healthy: number, total = 100) => ({ healthy, total });

describe("Envoy's priority load", () => {
  it.each([
    [100, [100, 0]],
    [72, [100, 0]],
    [71, [99, 1]],
    [50, [70, 30]],
    [25, [35, 65]],
    [0, [0, 100]],
  ])('with %i%% of P=0 healthy and P=1 whole, P=0 and P=1 take %j percent', (healthy, load) => {
    expect(priorityLoad([of(healthy), of(100)], 0).load).toEqual(load);
  });

  it('a health score is the healthy share times 1.4, rounded down and capped at 100', () => {
    expect(levelHealth({ healthy: 1, total: 2 })).toBe(70);
    expect(levelHealth({ healthy: 2, total: 3 })).toBe(93);
    expect(levelHealth({ healthy: 3, total: 4 })).toBe(100);
    expect(levelHealth({ healthy: 0, total: 0 })).toBe(0);
  });

  it('below a normalized total of 100 the load follows the scores scaled to that total', () => {
    // Scores 20 and 30 (normalized total 50) give 40% and 60%.
    expect(priorityLoad([of(20, 140), of(30, 140)], 0).load).toEqual([40, 60]);
    // Scores 35, 35, 28 (total 98) give 35, 35, 28; the 2 left over go to the first priority with health.
    expect(priorityLoad([of(25), of(25), of(20)], 0).load).toEqual([37, 35, 28]);
  });

  it('with every host unhealthy and panic off, all the load goes to P=0, which has no host to give', () => {
    expect(priorityLoad([of(0), of(0)], 0)).toEqual({ load: [100, 0], panic: [false, false] });
  });

  it('a level panics under the threshold only while the normalized total is below 100', () => {
    // 25% and 25% healthy: scores 35 + 35 = 70 < 100, both under 50% → total panic, load by host count.
    expect(priorityLoad([of(25), of(25)], 50)).toEqual({ load: [50, 50], panic: [true, true] });
    // 25% and 100%: the total is 100, so P=0 does not panic however few of its hosts are healthy.
    expect(priorityLoad([of(25), of(100)], 50)).toEqual({ load: [35, 65], panic: [false, false] });
    // 5% and 65%: scores 7 + 91 = 98; only P=0 is under the threshold.
    expect(priorityLoad([of(5), of(65)], 50)).toEqual({ load: [8, 92], panic: [true, false] });
  });

  it('in total panic the load follows the host counts', () => {
    expect(priorityLoad([of(0, 3), of(0, 1)], 50)).toEqual({ load: [75, 25], panic: [true, true] });
  });

  it('the loads always sum to 100, and a priority draw lands in proportion to them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20), fc.nat(20)), { minLength: 1, maxLength: 5 }), fc.nat(100), (levels, threshold) => {
        const l = priorityLoad(levels.map(([h, extra]) => ({ healthy: h, total: h + extra })), threshold).load;
        expect(l.reduce((a, b) => a + b, 0)).toBe(100);
        const hits = new Array<number>(l.length).fill(0);
        for (let i = 0; i < 100; i++) hits[choosePriority(l, (i + 0.5) / 100)]!++;
        expect(hits).toEqual(l);
      }),
    );
  });
});
