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
import { DecisionMemo, MemoBudget } from '../../src/run/decision-memo';

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
        const memo = new DecisionMemo(ctx, memoised, new MemoBudget());
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
      const memo = new DecisionMemo(context('s'), memoised, new MemoBudget());
      const got = Array.from({ length: 300 }, () => memo.next().request.host);
      expect(got).toEqual(want);
      const volatile = want.filter((h) => h.split(',').length > plan.length || h.includes('42')).length;
      expect(volatile).toBeGreaterThan(0);
      expect(memoised.runs()).toBeGreaterThanOrEqual(volatile);
      expect(memoised.runs()).toBeLessThan(300);
    }
  });

  it('hands back the very same result for a path it has seen', () => {
    const memo = new DecisionMemo(context('x'), decider([2]), new MemoBudget());
    const seen = new Set(Array.from({ length: 50 }, () => memo.next()));
    expect(seen.size).toBe(2);
  });

  it('is made for one view: a new context needs a new memo', () => {
    const a = context('a');
    const memo = new DecisionMemo(a, decider([2]), new MemoBudget());
    expect(memo.isFor(a)).toBe(true);
    expect(memo.isFor(context('a'))).toBe(false);
  });

  it('serves a context rebuilt for the same view, engines and random source (concurrent steps)', () => {
    const a = context('a');
    const memo = new DecisionMemo(a, decider([2]), new MemoBudget());
    expect(memo.isFor({ ...a })).toBe(true);
    expect(memo.isFor({ ...a, rng: context('a').rng })).toBe(false);
  });

  /** A decision whose app made `calls` calls: each picks one of `n` backends, so paths rarely repeat. */
  function fanOut(calls: number, n: number) {
    let runs = 0;
    const decide = (ctx: DataplaneContext): TraceResult => {
      runs++;
      const picks = Array.from({ length: calls }, () => pickIndex(ctx.rng, n));
      const call = (p: number): TraceResult => ({ request: { host: `b${p}`, port: 0, method: 'GET', path: '/' }, outcome: 'response', hops: [], decisions: [] });
      return { request: { host: picks.join(','), port: 0, method: 'GET', path: '/' }, outcome: 'response', hops: [], decisions: [], calls: picks.map(call) };
    };
    return { decide, runs: () => runs };
  }

  it("counts a decision's calls against what a run may keep, and keeps within it", () => {
    const budget = new MemoBudget(100);
    const direct = fanOut(9, 3);
    const plain = context('f');
    const want = Array.from({ length: 400 }, () => direct.decide(plain).request.host);
    const memoised = fanOut(9, 3);
    const memo = new DecisionMemo(context('f'), memoised, budget);
    const got: string[] = [];
    const remaining: number[] = [];
    for (let i = 0; i < 400; i++) {
      got.push(memo.next().request.host);
      remaining.push(budget.remaining);
    }
    expect(got).toEqual(want);
    // Ten decisions of ten requests each (the client's and nine calls) fill the budget.
    expect(remaining[9]).toBe(0);
    expect(Math.min(...remaining)).toBe(0);
    // Nothing stored was found again for 64 requests in a row: the memo gave up and its share returned.
    expect(remaining.at(-1)).toBe(100);
    expect(memoised.runs()).toBe(400);
  });

  it('gives its share back when released, as its step ends', () => {
    const budget = new MemoBudget(1000);
    const memo = new DecisionMemo(context('g'), fanOut(1, 4), budget);
    for (let i = 0; i < 200; i++) memo.next();
    // Four paths of two requests each (the client's and its one call).
    expect(budget.remaining).toBe(1000 - 4 * 2);
    memo.release();
    expect(budget.remaining).toBe(1000);
  });

  it('lets go of what it kept once it has stopped finding stored paths, and still decides alike', () => {
    const budget = new MemoBudget(50);
    const direct = fanOut(4, 8);
    const plain = context('h');
    const want = Array.from({ length: 300 }, () => direct.decide(plain).request.host);
    const memo = new DecisionMemo(context('h'), fanOut(4, 8), budget);
    const got = Array.from({ length: 300 }, () => memo.next().request.host);
    expect(got).toEqual(want);
    // Its ten stored paths found nothing for 64 requests in a row: the memo gave up and its share returned.
    expect(budget.remaining).toBe(50);
  });
});
