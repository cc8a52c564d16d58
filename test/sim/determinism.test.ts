import { describe, expect, it } from 'vitest';
import { Exponential, Simulation, Station } from '../../sim';

/** A trace of (time, customer id, event) from a small M/M/2 run. */
function trace(seed: number): string[] {
  const sim = new Simulation({ seed });
  const station = new Station(sim, { name: 'q', servers: 2 });
  const gap = new Exponential(1);
  const service = new Exponential(1.6);
  const out: string[] = [];
  let next = 0;
  const arrive = (s: Simulation): void => {
    const id = next++;
    out.push(`${s.now} ${id} arrive`);
    station.request(service.sample(s.stream('service')), () => out.push(`${s.now} ${id} depart`));
    if (next < 300) s.schedule(gap.sample(s.stream('arrivals')), arrive);
  };
  sim.schedule(0, arrive);
  sim.run();
  return out;
}

describe('determinism', () => {
  it('the same seed gives an identical event trace', () => {
    const a = trace(42);
    expect(a).toHaveLength(600);
    expect(trace(42)).toEqual(a);
  });

  it('different seeds give different traces', () => {
    expect(trace(43)).not.toEqual(trace(42));
  });
});
