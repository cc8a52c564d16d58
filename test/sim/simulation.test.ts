import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue, Simulation } from '../../sim';

/** Schedules each (label, delay) at time 0 and returns labels in the order they ran. */
function runOrder(events: ReadonlyArray<readonly [string, number]>): string[] {
  const sim = new Simulation();
  const ran: string[] = [];
  for (const [label, delay] of events) sim.schedule(delay, () => ran.push(label));
  sim.run();
  return ran;
}

describe('Simulation event order', () => {
  it.each([
    { name: 'by time', events: [['b', 2], ['a', 1], ['c', 3]], order: ['a', 'b', 'c'] },
    { name: 'ties in scheduling order', events: [['x', 5], ['y', 5], ['z', 5]], order: ['x', 'y', 'z'] },
    { name: 'ties after earlier events', events: [['late1', 7], ['early', 1], ['late2', 7], ['zero', 0]], order: ['zero', 'early', 'late1', 'late2'] },
    { name: 'fractional milliseconds', events: [['b', 0.25], ['a', 0.125]], order: ['a', 'b'] },
  ] as const)('$name', ({ events, order }) => {
    expect(runOrder(events)).toEqual(order);
  });

  it('an event scheduled for now from inside a handler runs after events already due now', () => {
    const sim = new Simulation();
    const ran: string[] = [];
    sim.schedule(1, (s) => {
      ran.push('first');
      s.schedule(0, () => ran.push('spawned'));
    });
    sim.schedule(1, () => ran.push('second'));
    sim.run();
    expect(ran).toEqual(['first', 'second', 'spawned']);
  });

  it('sets now to each event time and counts events', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    for (const t of [3, 1.5, 10]) sim.scheduleAt(t, (s) => seen.push(s.now));
    expect(sim.pending).toBe(3);
    sim.run();
    expect(seen).toEqual([1.5, 3, 10]);
    expect(sim.eventsProcessed).toBe(3);
    expect(sim.pending).toBe(0);
    expect(sim.now).toBe(10);
  });

  it('scheduleCall passes its argument', () => {
    const sim = new Simulation();
    const got: number[] = [];
    const handler = (box: { v: number }): void => {
      got.push(box.v);
    };
    sim.scheduleCall(2, handler, { v: 42 });
    sim.scheduleCallAt(1, handler, { v: 7 });
    sim.run();
    expect(got).toEqual([7, 42]);
  });

  it('posted events (no id) run in (time, scheduling order) among scheduled ones and pass their argument', () => {
    const sim = new Simulation();
    const got: string[] = [];
    const handler = (s: string): void => {
      got.push(`${s}@${sim.now}`);
    };
    sim.postCall(2, handler, 'a');
    sim.scheduleCall(2, handler, 'b');
    sim.postCallAt(1, handler, 'c');
    const cancelled = sim.scheduleCallAt(1, handler, 'd');
    sim.postCallAt(2, handler, 'e');
    expect(sim.postCall(0, handler, 'f')).toBeUndefined();
    expect(sim.cancel(cancelled)).toBe(true);
    sim.run();
    expect(got).toEqual(['f@0', 'c@1', 'a@2', 'b@2', 'e@2']);
  });
});

describe('Simulation validation', () => {
  it.each([
    { name: 'negative delay', act: (s: Simulation) => s.schedule(-1, () => {}) },
    { name: 'NaN delay', act: (s: Simulation) => s.schedule(NaN, () => {}) },
    { name: 'infinite delay', act: (s: Simulation) => s.schedule(Infinity, () => {}) },
    { name: 'time in the past', act: (s: Simulation) => s.scheduleAt(4, () => {}) },
    { name: 'NaN time', act: (s: Simulation) => s.scheduleAt(NaN, () => {}) },
    { name: 'NaN delay (scheduleCall)', act: (s: Simulation) => s.scheduleCall(NaN, () => {}, 0) },
    { name: 'negative delay (postCall)', act: (s: Simulation) => s.postCall(-1, () => {}, 0) },
    { name: 'infinite delay (postCall)', act: (s: Simulation) => s.postCall(Infinity, () => {}, 0) },
    { name: 'time in the past (postCallAt)', act: (s: Simulation) => s.postCallAt(4, () => {}, 0) },
    { name: 'NaN time (postCallAt)', act: (s: Simulation) => s.postCallAt(NaN, () => {}, 0) },
    { name: 'run until the past', act: (s: Simulation) => s.run(1) },
    { name: 'run until NaN', act: (s: Simulation) => s.run(NaN) },
  ])('$name throws', ({ act }) => {
    const sim = new Simulation();
    sim.run(5);
    expect(() => act(sim)).toThrow(RangeError);
    expect(sim.pending).toBe(0);
  });
});

describe('Simulation run control', () => {
  it('run(until) runs events at exactly until, leaves later ones, and advances the clock', () => {
    const sim = new Simulation();
    const ran: number[] = [];
    for (const t of [1, 5, 6]) sim.scheduleAt(t, (s) => ran.push(s.now));
    sim.run(5);
    expect(ran).toEqual([1, 5]);
    expect(sim.pending).toBe(1);
    sim.run(5.5);
    expect(sim.now).toBe(5.5);
    expect(ran).toEqual([1, 5]);
    sim.run();
    expect(ran).toEqual([1, 5, 6]);
  });

  it('step runs exactly one event', () => {
    const sim = new Simulation();
    const ran: string[] = [];
    sim.schedule(1, () => ran.push('a'));
    sim.schedule(2, () => ran.push('b'));
    expect(sim.step()).toBe(true);
    expect(ran).toEqual(['a']);
    expect(sim.now).toBe(1);
    expect(sim.step()).toBe(true);
    expect(sim.step()).toBe(false);
    expect(ran).toEqual(['a', 'b']);
  });

  it('stop ends run after the current event, without advancing to until', () => {
    const sim = new Simulation();
    const ran: number[] = [];
    for (const t of [1, 2, 3]) sim.scheduleAt(t, (s) => {
      ran.push(t);
      if (t === 2) s.stop();
    });
    sim.run(100);
    expect(ran).toEqual([1, 2]);
    expect(sim.now).toBe(2);
    sim.run();
    expect(ran).toEqual([1, 2, 3]);
  });

  it('cancel removes a pending event once, and ignores ids of events that already ran', () => {
    const sim = new Simulation();
    const ran: string[] = [];
    const a = sim.schedule(1, () => ran.push('a'));
    const b = sim.schedule(2, () => ran.push('b'));
    const c = sim.schedule(3, () => ran.push('c'));
    expect(sim.cancel(b)).toBe(true);
    expect(sim.cancel(b)).toBe(false);
    expect(sim.pending).toBe(2);
    sim.run();
    expect(ran).toEqual(['a', 'c']);
    expect(sim.eventsProcessed).toBe(2);
    // Slots are reused (the new event takes the last freed one); stale ids must not cancel it.
    sim.schedule(1, () => ran.push('d'));
    expect(sim.cancel(a)).toBe(false);
    expect(sim.cancel(c)).toBe(false);
    sim.run();
    expect(ran).toEqual(['a', 'c', 'd']);
  });

  it.each([
    { name: 'run', act: (s: Simulation) => s.run() },
    { name: 'step', act: (s: Simulation) => s.step() },
  ])('$name from inside a handler throws', ({ act }) => {
    const sim = new Simulation();
    sim.schedule(1, act);
    expect(() => sim.run()).toThrow('called from inside an event handler');
  });

  it('a throwing handler propagates and leaves the simulation usable', () => {
    const sim = new Simulation();
    const ran: number[] = [];
    sim.schedule(1, () => {
      throw new Error('boom');
    });
    sim.schedule(2, (s) => ran.push(s.now));
    expect(() => sim.run()).toThrow('boom');
    expect(sim.now).toBe(1);
    sim.run();
    expect(ran).toEqual([2]);
  });

  it('a cancelled head does not move the clock', () => {
    const sim = new Simulation();
    const id = sim.schedule(1, () => {});
    sim.schedule(4, () => {});
    sim.cancel(id);
    expect(sim.peek()).toBe(4);
    sim.step();
    expect(sim.now).toBe(4);
  });
});

describe('EventQueue', () => {
  it('pops any mix of pushes, posts and cancels in (time, sequence) order', () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ post: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ cancel: fc.nat() }),
      fc.record({ pop: fc.constant(true) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new EventQueue(16);
        /** Pending events; posted ones have no id and are never cancelled. */
        const model: { time: number; seq: number; id?: number }[] = [];
        let seq = 0;
        const popped: number[] = [];
        const expected: number[] = [];
        const take = (): void => {
          if (q.popUntil(Infinity)) popped.push(q.lastArg as number);
        };
        for (const o of ops) {
          if ('push' in o) {
            const id = q.push(o.push, () => {}, seq);
            model.push({ time: o.push, seq, id });
            seq++;
          } else if ('post' in o) {
            q.post(o.post, () => {}, seq);
            model.push({ time: o.post, seq });
            seq++;
          } else if ('cancel' in o) {
            const cancellable = model.filter((m) => m.id !== undefined);
            if (cancellable.length > 0) {
              const victim = cancellable[o.cancel % cancellable.length]!;
              model.splice(model.indexOf(victim), 1);
              expect(q.cancel(victim.id!)).toBe(true);
            }
          } else if ('pop' in o) {
            take();
            model.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const head = model.shift();
            if (head) expected.push(head.seq);
          }
          expect(q.size).toBe(model.length);
        }
        while (q.size > 0) take();
        model.sort((a, b) => a.time - b.time || a.seq - b.seq);
        expected.push(...model.map((m) => m.seq));
        expect(popped).toEqual(expected);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
