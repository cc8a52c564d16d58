import { describe, expect, it } from 'vitest';
import { Simulation, Station } from '../../sim';
import { mmcTimeInSystem, runOpenQueue } from './open-queue';

describe('Station against queueing theory', () => {
  // At ρ = 0.9 successive sojourn times are strongly correlated: over 10⁶ customers the mean's
  // standard error is ≈ 1.7%, so the 2% check uses 4·10⁶ customers (standard error ≈ 0.9%).
  it('M/M/1, λ=0.9, μ=1: mean time in system within 2% of 1/(μ−λ) = 10', () => {
    const r = runOpenQueue({ seed: 1, servers: 1, arrivalRate: 0.9, serviceRate: 1, customers: 4_000_000 });
    expect(Math.abs(r.meanTimeInSystem / 10 - 1)).toBeLessThan(0.02);
    expect(r.station.utilisation).toBeCloseTo(0.9, 2);
    // L_q = ρ² / (1 − ρ) = 8.1
    expect(Math.abs(r.station.meanQueueLength / 8.1 - 1)).toBeLessThan(0.03);
    expect(r.station.served).toBe(4_000_000);
  });

  it('M/M/3, λ=2.4, μ=1: mean time in system within 2% of Erlang C', () => {
    const want = mmcTimeInSystem(3, 2.4, 1);
    // By hand: P(wait) = 11.52 / (6.28 + 11.52), Wq = P(wait) / (3 − 2.4), W = Wq + 1.
    expect(want).toBeCloseTo(11.52 / 17.8 / 0.6 + 1, 12);
    const r = runOpenQueue({ seed: 1, servers: 3, arrivalRate: 2.4, serviceRate: 1, customers: 2_000_000 });
    expect(Math.abs(r.meanTimeInSystem / want - 1)).toBeLessThan(0.02);
    expect(r.station.utilisation).toBeCloseTo(0.8, 2);
  });

  it('mmcTimeInSystem reduces to M/M/1 for c = 1', () => {
    expect(mmcTimeInSystem(1, 0.9, 1)).toBeCloseTo(10, 10);
  });
});

/** Feeds (arrival time, service time) customers into a station; returns per-customer outcomes. */
function play(servers: number, customers: ReadonlyArray<readonly [number, number]>, queueCapacity?: number) {
  const sim = new Simulation();
  const station = new Station(sim, { name: 's', servers, queueCapacity });
  const outcomes: { id: number; end: number; wait: number; rejected: boolean }[] = [];
  customers.forEach(([at, service], id) => {
    sim.scheduleAt(at, (s) => {
      station.request(service, (wait, rejected) => outcomes.push({ id, end: s.now, wait, rejected }));
    });
  });
  sim.run();
  return { outcomes, stats: station.stats(), now: sim.now };
}

describe('Station bookkeeping', () => {
  it.each([
    {
      name: 'one server serves in arrival order',
      servers: 1,
      customers: [[0, 4], [1, 1], [2, 1]],
      outcomes: [{ id: 0, end: 4, wait: 0 }, { id: 1, end: 5, wait: 3 }, { id: 2, end: 6, wait: 3 }],
    },
    {
      name: 'two servers: a short job passes a long one already in service',
      servers: 2,
      customers: [[0, 10], [0, 2], [1, 2], [1, 2]],
      outcomes: [{ id: 1, end: 2, wait: 0 }, { id: 2, end: 4, wait: 1 }, { id: 3, end: 6, wait: 3 }, { id: 0, end: 10, wait: 0 }],
    },
    {
      name: 'zero service time completes at arrival',
      servers: 1,
      customers: [[3, 0]],
      outcomes: [{ id: 0, end: 3, wait: 0 }],
    },
  ] as const)('$name', ({ servers, customers, outcomes }) => {
    const got = play(servers, customers).outcomes;
    expect(got).toEqual(outcomes.map((o) => ({ ...o, rejected: false })));
  });

  it('measures utilisation, time-weighted queue length, mean wait and max queue', () => {
    // Busy 0..6 of 6 ms; one waits 1..4 (3 ms), one 2..5 (3 ms) → queue area 6 over 6 ms.
    const { stats } = play(1, [[0, 4], [1, 1], [2, 1]]);
    expect(stats).toEqual({
      name: 's',
      servers: 1,
      utilisation: 1,
      meanQueueLength: 1,
      meanWaitMs: 2,
      maxQueueLength: 2,
      served: 3,
      rejected: 0,
      queueLength: 0,
      busy: 0,
    });
  });

  it('utilisation counts idle time and every server', () => {
    const sim = new Simulation();
    const station = new Station(sim, { name: 's', servers: 2 });
    sim.scheduleAt(2, () => station.request(4, () => {}));
    sim.run(10);
    expect(station.stats().utilisation).toBeCloseTo(4 / 20, 12);
  });

  it('rejects arrivals when the waiting room is full, telling the caller at once', () => {
    const { outcomes, stats } = play(1, [[0, 5], [1, 1], [2, 1], [3, 1]], 1);
    expect(outcomes.filter((o) => o.rejected)).toEqual([
      { id: 2, end: 2, wait: 0, rejected: true },
      { id: 3, end: 3, wait: 0, rejected: true },
    ]);
    expect(stats.served).toBe(2);
    expect(stats.rejected).toBe(2);
    expect(stats.maxQueueLength).toBe(1);
  });

  it('keeps FCFS order through waiting-line growth and wrap-around', () => {
    const n = 500;
    const customers = Array.from({ length: n }, (_, i) => [i % 2 === 0 ? 0 : 1000, 1] as const);
    const ids = play(1, customers).outcomes.map((o) => o.id);
    const evens = ids.slice(0, n / 2);
    expect(evens).toEqual(evens.slice().sort((a, b) => a - b));
    expect(ids).toEqual([...Array.from({ length: n / 2 }, (_, i) => 2 * i), ...Array.from({ length: n / 2 }, (_, i) => 2 * i + 1)]);
  });

  it.each([
    { name: 'zero servers', make: (s: Simulation) => new Station(s, { name: 'x', servers: 0 }) },
    { name: 'fractional servers', make: (s: Simulation) => new Station(s, { name: 'x', servers: 1.5 }) },
    { name: 'negative capacity', make: (s: Simulation) => new Station(s, { name: 'x', queueCapacity: -1 }) },
    { name: 'NaN service time', make: (s: Simulation) => new Station(s, { name: 'x' }).request(NaN, () => {}) },
  ])('$name throws', ({ make }) => {
    expect(() => make(new Simulation())).toThrow(RangeError);
  });
});
