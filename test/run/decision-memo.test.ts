// The decision memo replays the data plane's random choices: with it, every request gets the same
// decision from the same random stream as without it, the stream is consumed draw for draw the
// same, and the data plane runs once per distinct path; a decision that read the clock or
// long-lived proxy state is recomputed every time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickIndex, pickPercent, pickWeighted } from '../../sim/choice';
import { streams } from '../../sim';
import type { DataplaneContext } from '../../src/dataplane/context';
import type { TraceResult } from '../../src/dataplane/trace';
import { DecisionMemo } from '../../src/run/decision-memo';

/** A stand-in decision: a chain of random choices shaped by `plan`, its outcomes kept in the result. */
function decider(plan: number[], opts: { clockWhen?: number; stateWhen?: number } = {}) {
  let runs = 0;
  const decide = (ctx: DataplaneContext): TraceResult => {
    runs++;
    const picked: number[] = [];
    for (const [i, n] of plan.entries()) {
      const o = i % 3 === 0 ? pickIndex(ctx.rng, n) : i % 3 === 1 ? (pickPercent(ctx.rng, n * 10) ? 1 : 0) : pickWeighted(ctx.rng, n, (n * (n + 1)) / 2, (k) => k + 1);
      picked.push(o);
      if (o === opts.clockWhen) picked.push(ctx.clock());
      if (o === opts.stateWhen) picked.push(ctx.lbState.roundRobin.size);
      // The shape of the rest depends on what was picked: an outcome of 0 ends the chain early.
      if (o === 0 && i % 2 === 1) break;
    }
    return { request: { host: picked.join(','), port: 0, method: 'GET', path: '/' }, outcome: 'response', hops: [], decisions: [] };
  };
  return { decide, runs: () => runs };
}

function context(seed: string): DataplaneContext {
  const rng = streams(seed).get('lb');
  return {
    rng: () => rng.random(),
    clock: () => 42,
    lbState: { roundRobin: new Map(), outliers: new Map(), pools: new Map() },
    peer: () => {
      throw new Error('no peers here');
    },
    view: undefined as never,
    engines: undefined as never,
    appOf: () => undefined as never,
  };
}

const Plan = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 5 });

describe('decision memo', () => {
  it('gives every request the decision the data plane would, from the same draws', () => {
    fc.assert(
      fc.property(Plan, fc.integer({ min: 1, max: 200 }), fc.string({ maxLength: 4 }), (plan, requests, seed) => {
        const direct = decider(plan);
        const plain = context(seed);
        const want = Array.from({ length: requests }, () => direct.decide(plain).request.host);
        const memoised = decider(plan);
        const ctx = context(seed);
        const memo = new DecisionMemo(ctx, memoised);
        const got = Array.from({ length: requests }, () => memo.next().request.host);
        expect(got).toEqual(want);
        // Same number of draws: the next value of both streams is the same.
        expect(ctx.rng()).toBe(plain.rng());
        expect(memoised.runs()).toBeLessThanOrEqual(new Set(want).size);
      }),
      { numRuns: 200 },
    );
  });

  it('recomputes decisions that read the clock or long-lived proxy state, and still matches', () => {
    for (const opts of [{ clockWhen: 1 }, { stateWhen: 2 }]) {
      const plan = [3, 4, 3];
      const direct = decider(plan, opts);
      const plain = context('s');
      const want = Array.from({ length: 300 }, () => direct.decide(plain).request.host);
      const memoised = decider(plan, opts);
      const memo = new DecisionMemo(context('s'), memoised);
      const got = Array.from({ length: 300 }, () => memo.next().request.host);
      expect(got).toEqual(want);
      const volatile = want.filter((h) => h.split(',').length > plan.length || h.includes('42')).length;
      expect(volatile).toBeGreaterThan(0);
      expect(memoised.runs()).toBeGreaterThanOrEqual(volatile);
      expect(memoised.runs()).toBeLessThan(300);
    }
  });

  it('hands back the very same result for a path it has seen', () => {
    const memo = new DecisionMemo(context('x'), decider([2]));
    const seen = new Set(Array.from({ length: 50 }, () => memo.next()));
    expect(seen.size).toBe(2);
  });

  it('is made for one view: a new context needs a new memo', () => {
    const a = context('a');
    const memo = new DecisionMemo(a, decider([2]));
    expect(memo.isFor(a)).toBe(true);
    expect(memo.isFor(context('a'))).toBe(false);
  });

  it('serves a context rebuilt for the same view, engines and random source (concurrent steps)', () => {
    const a = context('a');
    const memo = new DecisionMemo(a, decider([2]));
    expect(memo.isFor({ ...a })).toBe(true);
    expect(memo.isFor({ ...a, rng: context('a').rng })).toBe(false);
  });
});
