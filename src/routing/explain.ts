// Decisions that explain a routing outcome (RunResult `decisions`).
import type { Decision } from '../result/types';
import { describeMatch, matchAll, type MatchContext } from './match';
import type { CompiledRoute } from './model';
import type { RouteTable } from './table';

export function routeDecision(at: string, result: string, route: CompiledRoute | null, reason: string, detail?: Record<string, unknown>): Decision {
  if (!route) return detail ? { at, kind: 'route', result, policy: null, rule: null, reason, detail } : { at, kind: 'route', result, policy: null, rule: null, reason };
  const d: Decision = { at, kind: 'route', result, policy: route.policy, rule: route.rule, reason, detail: detail ?? { route: route.label } };
  if (detail) detail['route'] = route.label;
  return d;
}

/** One decision per entry tried before `upTo` (all of them when -1), saying why it did not match. */
export function explainSkipped(at: string, table: RouteTable, ctx: MatchContext, upTo: number): Decision[] {
  const end = upTo < 0 ? table.entries.length : upTo;
  const out: Decision[] = [];
  for (let i = 0; i < end; i++) {
    const e = table.entries[i]!;
    if (e.match && !matchAll(e.match, ctx)) {
      out.push({
        at,
        kind: 'route',
        result: 'no-match',
        policy: e.route.policy,
        rule: e.route.rule,
        reason: `request did not match ${describeMatch(e.match)}`,
        detail: { route: e.route.label, match: e.matchIndex, order: i },
      });
    }
  }
  return out;
}
