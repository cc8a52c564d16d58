// The enforced DENY and ALLOW rules of one Envoy RBAC policy set, laid out for the per-request walk:
// one flat list per action and chain kind (HTTP, TCP) in policy order, each entry carrying the verdict
// it stands for (built once, shared), and HTTP lists indexed by request method so a request only walks
// the rules its method can satisfy. Which entry matches first is unchanged: an index only ever drops
// rules that cannot match, and keeps the others in order.
import type { WaypointVerdict } from './decision-memo';
import type { WpPolicy, WpRule } from './waypoint-compile';
import { S_EXACT, V_METHOD, type WpCond, type WpValue } from './waypoint-match';
import type { WaypointOutcome } from './types';
import { intern } from './strings';
import { slotOf } from './slots';

/**
 * One rule: `first` (when set) is its first condition when that is a single value, checked inline
 * because most rules are rejected there; `conds` are the others (all of them when `first` is null).
 */
export interface PlannedRule {
  first: WpValue | null;
  conds: WpCond[];
  verdict: WaypointVerdict;
}

function plannedRule(conds: WpCond[], verdict: WaypointVerdict): PlannedRule {
  const c = conds[0];
  const single = c !== undefined && !c.negate && c.alts === null && c.values.length === 1;
  return { first: single ? c.values[0]! : null, conds: single ? conds.slice(1) : conds, verdict };
}

/** All of `r`'s conditions, `first` included. */
const condsOf = (r: PlannedRule): WpCond[] => (r.first === null ? r.conds : [{ values: [r.first], negate: false, alts: null }, ...r.conds]);

/**
 * HTTP rules by exact request method: `lists[i]` for `methods[i]`, the last list for any method no rule
 * names. DENY and ALLOW share `methods`, so a request finds its position once; a set names a few
 * methods, so a scan of interned strings beats a hash lookup.
 */
export interface RbacPlan {
  /** Whether an enforced ALLOW policy exists (then a request no rule allows is denied). */
  anyAllow: boolean;
  methods: string[];
  denyHttp: PlannedRule[][];
  allowHttp: PlannedRule[][];
  denyTcp: PlannedRule[];
  allowTcp: PlannedRule[];
}

function planned(policies: WpPolicy[], tcp: boolean, outcome: (allowed: boolean) => WaypointOutcome): PlannedRule[] {
  const out: PlannedRule[] = [];
  for (const p of policies) {
    const allowed = p.action === 'ALLOW';
    const rules: WpRule[] = tcp ? p.tcp : p.http;
    for (const r of rules) {
      const verdict: WaypointVerdict = { allowed, outcome: outcome(allowed), kind: 'authz', result: allowed ? 'ALLOW' : 'DENY', policy: p.key, rule: r.rule, reason: p.reason };
      out.push(plannedRule(r.conds, Object.freeze(verdict)));
    }
  }
  return out;
}

/** The condition limiting a rule to exact methods, or undefined when it may match any method. */
const methodCond = (conds: WpCond[]): WpCond | undefined =>
  conds.find((c) => !c.negate && c.alts === null && c.values.length > 0 && c.values.every((v) => v.fact === V_METHOD && v.op === S_EXACT));

/** The exact methods some rule of `rules` is limited to. */
const namedMethods = (rules: PlannedRule[]): string[] => rules.flatMap((r) => methodCond(condsOf(r))?.values.map((v) => v.str) ?? []);

/**
 * `rules` under each of `methods`, then under any other. Under a method it names, a rule is listed
 * without its method condition: that one is known to hold, and pure conditions may be dropped once
 * they hold.
 */
function indexByMethod(rules: PlannedRule[], methods: string[]): PlannedRule[][] {
  const all = rules.map(condsOf);
  const limits = all.map(methodCond);
  const under = (m: string) =>
    rules.flatMap((r, i) => {
      const limit = limits[i];
      if (limit === undefined) return [r];
      return limit.values.some((v) => v.str === m) ? [plannedRule(all[i]!.filter((c) => c !== limit), r.verdict)] : [];
    });
  return [...methods.map(under), rules.filter((_, i) => limits[i] === undefined)];
}

/** The outcomes are the caller's shared constants, so a planned verdict answers exactly as a fresh one. */
export function planRbac(deny: WpPolicy[], allow: WpPolicy[], pass: WaypointOutcome, forbidden: WaypointOutcome, close: WaypointOutcome): RbacPlan {
  const http = (allowed: boolean) => (allowed ? pass : forbidden);
  const tcp = (allowed: boolean) => (allowed ? pass : close);
  const denyHttp = planned(deny, false, http);
  const allowHttp = planned(allow, false, http);
  const methods = [...new Set([...namedMethods(denyHttp), ...namedMethods(allowHttp)])].map(intern);
  return {
    anyAllow: allow.length > 0,
    methods,
    denyHttp: indexByMethod(denyHttp, methods),
    allowHttp: indexByMethod(allowHttp, methods),
    denyTcp: planned(deny, true, tcp),
    allowTcp: planned(allow, true, tcp),
  };
}

/** The position in `plan`'s HTTP lists of the rules a request with `method` can match. */
export function methodSlot(plan: RbacPlan, method: string): number {
  return slotOf(plan.methods, method);
}
