// A DestinationRule's `localityLbSetting.distribute` at a waypoint: Istio weighs each locality of
// the cluster's endpoints from the first rule whose `from` matches the proxy and drops localities
// no `to` names (loadbalancer.go applyLocalityWeights); Envoy then picks a locality by its weight
// times its availability (healthy share × 140%, at most 1: HostSetImpl::effectiveLocalityWeight)
// and a healthy host within it. Envoy interleaves localities with an EDF scheduler; meshsim draws
// them in the same proportions.
import type { Locality } from '../control/model';
import type { DistributeRule } from '../routing';
import { OVERPROVISIONING_FACTOR } from './priority-load';

/** Istio's util.LocalityMatch: `region/zone/subzone` with `*` for any; a missing zone or subzone matches any. */
export function localityMatch(l: Locality, pattern: string): boolean {
  const [region = '', zone = '', subzone = ''] = pattern.split('/');
  return (region === '*' || region === l.region) && (zone === '*' || zone === '' || zone === l.zone) && (subzone === '*' || subzone === '' || subzone === l.subzone);
}

/**
 * Each locality's weight (`hosts` is how many endpoints it has, its weight before `distribute`),
 * or undefined for a locality that is dropped. Undefined altogether when no rule's `from`
 * matches the proxy: the localities keep their host counts.
 */
export function distributeWeights(proxy: Locality, rules: readonly DistributeRule[], localities: readonly { locality: Locality; hosts: number }[]): (number | undefined)[] | undefined {
  const rule = rules.find((r) => localityMatch(proxy, r.from));
  if (!rule) return undefined;
  const weights = new Array<number | undefined>(localities.length).fill(undefined);
  const matched = new Set<number>();
  for (const to of rule.to) {
    const group = localities.map((l, i) => i).filter((i) => !matched.has(i) && localityMatch(localities[i]!.locality, to.locality));
    const total = group.reduce((a, i) => a + localities[i]!.hosts, 0);
    for (const i of group) {
      matched.add(i);
      // A `to` locality pattern matching several localities shares its weight by their host counts.
      const w = Math.ceil((localities[i]!.hosts * to.weight) / total);
      weights[i] = w > 0 ? w : localities[i]!.hosts;
    }
  }
  return weights;
}

/** Envoy's effective locality weight: the weight scaled by the locality's availability, capped at 1. */
export function effectiveLocalityWeight(weight: number, healthy: number, total: number): number {
  if (total === 0) return 0;
  return weight * Math.min(1, ((OVERPROVISIONING_FACTOR / 100) * healthy) / total);
}
