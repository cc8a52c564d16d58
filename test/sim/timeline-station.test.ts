import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulation, Station, TimelineStation } from '../../sim';

type Customer = readonly [arrival: number, service: number];

/** End time and wait of each customer at the event-driven station. */
function eventDriven(servers: number, customers: readonly Customer[]): { end: number; wait: number }[] {
  const sim = new Simulation();
  const station = new Station(sim, { name: 's', servers });
  const out: { end: number; wait: number }[] = [];
  customers.forEach(([at, service], id) => {
    sim.scheduleAt(at, (s) => {
      station.request(service, (wait) => (out[id] = { end: s.now, wait }));
    });
  });
  sim.run();
  return out;
}

/** The same customers admitted in arrival order at the timeline station. */
function timeline(servers: number, customers: readonly Customer[]): { end: number; wait: number }[] {
  const station = new TimelineStation(0, { name: 's', servers });
  return customers.map(([at, service]) => {
    const end = station.admit(at, service);
    return { end, wait: end - service - at };
  });
}

/** Arrivals in time order with distinct times (the event-driven station orders ties by scheduling). */
const customers = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 80 })), { minLength: 1, maxLength: 60 })
  .map((xs) => {
    let t = 0;
    return xs.map(([gap, service]): Customer => [(t += gap) / 8, service / 8]);
  });

describe('TimelineStation', () => {
  it('starts and ends every customer when the event-driven FCFS station does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), customers, (servers, cs) => {
        const want = eventDriven(servers, cs);
        const got = timeline(servers, cs);
        for (let i = 0; i < cs.length; i++) {
          expect(got[i]!.end).toBeCloseTo(want[i]!.end, 9);
          expect(got[i]!.wait).toBeCloseTo(want[i]!.wait, 9);
        }
      }),
    );
  });

  it.each([
    { name: 'one server, back to back', servers: 1, customers: [[0, 2], [1, 2], [1.5, 1]] as Customer[], ends: [2, 4, 5], maxQueue: 2 },
    { name: 'two servers share the line', servers: 2, customers: [[0, 3], [0, 3], [1, 1], [2, 1]] as Customer[], ends: [3, 3, 4, 4], maxQueue: 2 },
    { name: 'an idle gap: no wait', servers: 1, customers: [[0, 1], [5, 1]] as Customer[], ends: [1, 6], maxQueue: 0 },
  ])('$name', ({ servers, customers: cs, ends, maxQueue }) => {
    const station = new TimelineStation(0, { name: 's', servers });
    expect(cs.map(([at, service]) => station.admit(at, service))).toEqual(ends);
    expect(station.stats(cs[cs.length - 1]![0]).maxQueueLength).toBe(maxQueue);
  });

  it('reports utilisation, the line and busy servers at a given time', () => {
    const station = new TimelineStation(0, { name: 's', servers: 1 });
    station.admit(0, 4);
    station.admit(1, 4); // waits until 4
    station.admit(2, 4); // waits until 8
    const at3 = station.stats(3);
    expect(at3).toMatchObject({ queueLength: 2, busy: 1, admitted: 3, maxQueueLength: 2 });
    expect(at3.utilisation).toBeCloseTo(1, 12);
    const at6 = station.stats(6);
    expect(at6.queueLength).toBe(1);
    // Busy from 0 to 12 with no gap; by 20 it has been idle for 8 of 20 ms.
    expect(station.stats(20).utilisation).toBeCloseTo(12 / 20, 12);
    expect(station.stats(20).meanWaitMs).toBeCloseTo((3 + 6) / 3, 12);
  });

  it('rejects service times that are not finite and ≥ 0', () => {
    const station = new TimelineStation(0, { name: 's' });
    expect(() => station.admit(0, -1)).toThrow(RangeError);
    expect(() => station.admit(0, Infinity)).toThrow(RangeError);
    expect(() => new TimelineStation(0, { name: 's', servers: 0 })).toThrow(RangeError);
  });
});
