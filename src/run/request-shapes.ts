// Requests that share a decided path (the same trace object, from the decision memo) and ended the
// same way count the same in a step's summary and expectations; only their timing differs. The
// shape is worked out once, from the first such request's record.
import type { TraceResult } from '../dataplane/trace';
import type { Outcome } from '../result/types';
import type { RequestShape } from './summary';

export interface StepShape {
  summary: RequestShape;
  /** Per-request expectations met, in the checker's order. */
  met: boolean[];
}

export class ShapeCache {
  private readonly byTrace = new WeakMap<TraceResult, Map<string, StepShape>>();

  get(trace: TraceResult, outcome: Outcome, routeTimedOut: boolean): StepShape | undefined {
    return this.byTrace.get(trace)?.get(keyOf(outcome, routeTimedOut));
  }

  set(trace: TraceResult, outcome: Outcome, routeTimedOut: boolean, shape: StepShape): StepShape {
    let byEnd = this.byTrace.get(trace);
    if (byEnd === undefined) this.byTrace.set(trace, (byEnd = new Map()));
    byEnd.set(keyOf(outcome, routeTimedOut), shape);
    return shape;
  }
}

function keyOf(outcome: Outcome, routeTimedOut: boolean): string {
  return routeTimedOut ? `${outcome}+route-timeout` : outcome;
}
