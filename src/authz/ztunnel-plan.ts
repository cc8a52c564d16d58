// The enforced policies of one ztunnel set laid out for the per-connection walk: every group of every
// DENY (then ALLOW) policy in one flat list, in policy then group order, beside the verdict it stands
// for (built once, shared), and indexed by destination port so a connection only walks the groups its
// port can satisfy. Which group matches first is unchanged: an index only drops groups that cannot
// match, and keeps the others in order.
import type { Verdict } from './decision-memo';
import { slotOf } from './slots';
import { FlatGroup, type FlatMatch, type ZtPolicy } from './ztunnel-policy';

/** Groups and, at the same position, the verdict each one gives when it holds. */
export interface PlannedGroups {
  groups: FlatGroup[];
  verdicts: Verdict[];
}

/**
 * Groups by destination port: `deny[i]` and `allow[i]` for `ports[i]`, the last entry for any port no
 * group is limited to. DENY and ALLOW share `ports`, so a connection finds its position once; a set
 * names a few ports, so a scan beats a hash lookup.
 */
export interface ZtPlan {
  ports: number[];
  deny: PlannedGroups[];
  /** Null when no enforced ALLOW policy exists (then a connection no DENY matches is allowed). */
  allow: PlannedGroups[] | null;
}

function verdictOf(p: ZtPolicy, rule: number): Verdict {
  const allowed = p.action === 'ALLOW';
  const kind = !allowed && p.origin === 'peer-authn' ? 'peer-authn' : 'authz';
  return Object.freeze({ allowed, kind, result: p.action, policy: p.key, rule, reason: p.reason });
}

interface Planned {
  group: FlatGroup;
  verdict: Verdict;
  /** The ports the group is limited to (those of its first single match with a port list), or null. */
  ports: number[] | null;
}

function planned(policies: ZtPolicy[]): Planned[] {
  const out: Planned[] = [];
  for (const p of policies) {
    for (const group of p.flatGroups()) {
      // A group that can never hold is never the first to.
      if (group.never) continue;
      const limit = group.singles.find((m) => m.ports !== null);
      out.push({ group, verdict: verdictOf(p, group.rule), ports: limit?.ports ?? null });
    }
  }
  return out;
}

/** `g` for a connection known to be on one of its limiting ports: that port list is no longer checked. */
function onItsPort(g: FlatGroup): FlatGroup {
  const limit = g.singles.findIndex((m) => m.ports !== null);
  const singles = g.singles.map((m, i) => (i === limit ? m.withoutPorts() : m)).filter((m): m is FlatMatch => !m.empty);
  return new FlatGroup(g.rule, false, singles, g.multi);
}

const listOf = (entries: Planned[], group: (e: Planned) => FlatGroup): PlannedGroups => ({ groups: entries.map(group), verdicts: entries.map((e) => e.verdict) });

/** `entries` under each of `ports`, then under any other port. */
function indexByPort(entries: Planned[], ports: number[]): PlannedGroups[] {
  const under = (port: number) => {
    const kept = entries.filter((e) => e.ports === null || e.ports.includes(port));
    return listOf(kept, (e) => (e.ports === null ? e.group : onItsPort(e.group)));
  };
  return [...ports.map(under), listOf(entries.filter((e) => e.ports === null), (e) => e.group)];
}

export function planZtunnel(deny: ZtPolicy[], allow: ZtPolicy[]): ZtPlan {
  const denied = planned(deny);
  const allowed = planned(allow);
  const ports = [...new Set([...denied, ...allowed].flatMap((e) => e.ports ?? []))];
  return { ports, deny: indexByPort(denied, ports), allow: allow.length === 0 ? null : indexByPort(allowed, ports) };
}

/** The position in `plan`'s lists of the groups a connection to `port` can match. */
export function portSlot(plan: ZtPlan, port: number): number {
  return slotOf(plan.ports, port);
}
