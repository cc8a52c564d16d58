// Endpoint selection. ztunnel's (reference/ambient.md §3.4): healthy endpoints serving the port,
// ranked by locality preference against the client, then uniform random among the best. A
// waypoint's Envoy ranks the same way while every host is healthy; with hosts ejected it shares
// the load between locality priorities (priority-load.ts), and with `distribute` it weighs
// localities (locality-weights.ts).
import { pick, pickIndex, pickWeighted } from '../../sim/choice';
import type { Locality, LocalityLevel, LoadBalancingMode, ServiceEndpoint, ServiceInfo, WorkloadInfo } from '../control/model';
import type { DistributeRule } from '../routing';
import { distributeWeights, effectiveLocalityWeight } from './locality-weights';
import { choosePriority, priorityLoad } from './priority-load';

export interface LbClient {
  network: string;
  node: string;
  locality: Locality;
}

export interface Picked {
  endpoint: ServiceEndpoint;
  targetPort: number;
  /** How many endpoints were candidates after health/port filtering and ranking. */
  candidates: number;
  /** Envoy's locality priorities: the one chosen (0 = closest) and each one's share of the load in percent. */
  priority?: { level: number; load: readonly number[] };
  /** A `distribute` pick: the locality chosen and its share of the effective locality weight, in percent. */
  locality?: { name: string; percent: number };
  /** The hosts picked among were in panic: ejected ones too. */
  panic?: true;
}


function matches(pref: LocalityLevel, ep: ServiceEndpoint, c: LbClient): boolean {
  const w = ep.workload;
  switch (pref) {
    case 'network':
      return w.network === c.network;
    case 'region':
      return w.locality.region === c.locality.region;
    case 'zone':
      return w.locality.zone === c.locality.zone;
    case 'subzone':
      return w.locality.subzone === c.locality.subzone;
    case 'node':
      return w.node === c.node;
  }
}

/** Consecutive preference matches; a matching NETWORK first counts for all the rest, a mismatching one is skipped. */
function rank(prefs: readonly LocalityLevel[], ep: ServiceEndpoint, c: LbClient): number {
  let r = 0;
  for (let i = 0; i < prefs.length; i++) {
    const p = prefs[i]!;
    if (p === 'network' && i === 0) {
      if (matches(p, ep, c)) r += prefs.length;
      continue;
    }
    if (!matches(p, ep, c)) break;
    r++;
  }
  return r;
}

/**
 * An endpoint's rank for a locality mode: its preference matches, except that under a
 * DestinationRule's `failover` from the client's region, an endpoint in a third region ranks
 * below all (Istio's applyLocalityFailover gives it priority 4, after the `to` region's 3).
 */
function localityRank(mode: Extract<LoadBalancingMode, { preferences: unknown }>, ep: ServiceEndpoint, c: LbClient): number {
  const failover = mode.regionFailover;
  if (failover) {
    const region = ep.workload.locality.region;
    const rule = failover.find((f) => f.from === c.locality.region);
    if (rule && region !== c.locality.region && region !== rule.to) return -1;
  }
  return rank(mode.preferences, ep, c);
}

function eligible(svc: ServiceInfo, ep: ServiceEndpoint, port: number, labels?: Record<string, string>): boolean {
  if (!(ep.workload.healthy || svc.includeUnhealthy)) return false;
  if (!ep.targetPorts.has(port)) return false;
  if (labels) for (const k in labels) if (ep.workload.labels[k] !== labels[k]) return false;
  return true;
}

/**
 * Pick one endpoint of `svc` for service port `port`. `subsetLabels` narrows to a subset,
 * `exclude` drops endpoints already tried, `choose` picks among the best-ranked (uniform random by
 * default; round-robin or a hash at waypoints). Undefined when nothing is selectable (NoHealthyUpstream).
 */
export function pickEndpoint(
  svc: ServiceInfo,
  port: number,
  client: LbClient,
  rng: () => number,
  subsetLabels?: Record<string, string>,
  mode: LoadBalancingMode = svc.loadBalancing,
  choose?: (n: number) => number,
  exclude?: ReadonlySet<ServiceEndpoint['workload']>,
): Picked | undefined {
  // Two passes instead of a list of the best: count them, then walk to the chosen one. The first
  // pass takes the random draw's count as the list's length would, so the choices are the same.
  const eps = svc.endpoints;
  let bestRank = -1;
  let count = 0;
  let weighted = false;
  for (let i = 0; i < eps.length; i++) {
    const ep = eps[i]!;
    const r = pickRank(svc, ep, port, client, subsetLabels, mode, exclude);
    if (r === NOT_PICKABLE) continue;
    if (r > bestRank) {
      bestRank = r;
      count = 0;
      weighted = false;
    } else if (r !== bestRank) continue;
    count++;
    if ((ep.capacity ?? 1) !== 1) weighted = true;
  }
  if (count === 0) return undefined;
  let endpoint: ServiceEndpoint;
  if (weighted) {
    const best = eps.filter((ep) => pickRank(svc, ep, port, client, subsetLabels, mode, exclude) === bestRank);
    endpoint = best[weightedIndex(best, rng)]!;
  } else {
    let k = choose === undefined ? pickIndex(rng, count) : choose(count);
    let i = -1;
    while (k >= 0) if (pickRank(svc, eps[++i]!, port, client, subsetLabels, mode, exclude) === bestRank) k--;
    endpoint = eps[i]!;
  }
  return { endpoint, targetPort: endpoint.targetPorts.get(port)!, candidates: count };
}

/** Marks an endpoint that cannot be picked (ranks go down to -1: a third region under failover). */
const NOT_PICKABLE = -2;

/** An endpoint's locality rank for `pickEndpoint` (0 when locality does not count), or NOT_PICKABLE. */
function pickRank(
  svc: ServiceInfo,
  ep: ServiceEndpoint,
  port: number,
  client: LbClient,
  subsetLabels: Record<string, string> | undefined,
  mode: LoadBalancingMode,
  exclude: ReadonlySet<ServiceEndpoint['workload']> | undefined,
): number {
  if (!eligible(svc, ep, port, subsetLabels)) return NOT_PICKABLE;
  if (exclude?.has(ep.workload)) return NOT_PICKABLE;
  if (mode.mode === 'any') return 0;
  if (mode.mode === 'strict' && !mode.preferences.every((p) => matches(p, ep, client))) return NOT_PICKABLE;
  return localityRank(mode, ep, client);
}

function chooseAmong(eps: readonly ServiceEndpoint[], rng: () => number, choose: (n: number) => number): ServiceEndpoint {
  return eps.some((e) => (e.capacity ?? 1) !== 1) ? eps[weightedIndex(eps, rng)]! : eps[choose(eps.length)]!;
}

/** `eps` grouped by `keyOf`, groups in order of their first endpoint. */
function groupBy<K>(eps: Iterable<ServiceEndpoint>, keyOf: (ep: ServiceEndpoint) => K): Map<K, ServiceEndpoint[]> {
  const groups = new Map<K, ServiceEndpoint[]>();
  for (const ep of eps) {
    const k = keyOf(ep);
    const group = groups.get(k);
    if (group) group.push(ep);
    else groups.set(k, [ep]);
  }
  return groups;
}

/** The endpoints eligible for the port (and subset), grouped by `keyOf`. */
function groupEligible<K>(svc: ServiceInfo, port: number, subsetLabels: Record<string, string> | undefined, keyOf: (ep: ServiceEndpoint) => K): Map<K, ServiceEndpoint[]> {
  return groupBy(
    svc.endpoints.filter((ep) => eligible(svc, ep, port, subsetLabels)),
    keyOf,
  );
}

/** What a waypoint's pick works from, besides how it treats localities. */
export interface EnvoyPick {
  svc: ServiceInfo;
  port: number;
  rng: () => number;
  subsetLabels: Record<string, string> | undefined;
  /** The cluster's LB policy among candidates (round robin, a hash, uniform random). */
  choose: (n: number) => number;
  /** Hosts ejected by outlier detection. */
  unhealthy: ReadonlySet<WorkloadInfo>;
  /** Hosts this request already tried. */
  tried: ReadonlySet<WorkloadInfo>;
  /** healthy_panic_threshold in percent (0: never panic). */
  panicThreshold: number;
}

/** Host selections per pick while the host drawn was tried before: 1 + Istio's HostSelectionRetryMaxAttempts (5). */
const HOST_SELECTIONS = 6;

/**
 * Envoy's pick at a waypoint whose cluster has locality failover: the endpoints fall into
 * priorities by how many of the mode's locality preferences they share with the proxy (Istio's
 * applyLocalityFailover / applyFailoverPriorities), the priority comes from Envoy's priority load
 * over the hosts not `unhealthy` (ejected), then a healthy host of that priority (any host of a
 * priority in panic). A host in `tried` is drawn again, priority first, as the retry policy's
 * previous-hosts predicate asks, keeping the last draw. Undefined when the priority drawn has no
 * host to give (NoHealthyUpstream).
 */
export function pickByPriority(input: EnvoyPick, client: LbClient, mode: Extract<LoadBalancingMode, { preferences: unknown }>): Picked | undefined {
  const { svc, port, rng, subsetLabels, choose, unhealthy, tried, panicThreshold } = input;
  const byRank = groupEligible(svc, port, subsetLabels, (ep) => localityRank(mode, ep, client));
  if (byRank.size === 0) return undefined;
  const levels = [...byRank.entries()].sort((a, b) => b[0] - a[0]).map(([, eps]) => eps);
  const healthy = levels.map((eps) => eps.filter((e) => !unhealthy.has(e.workload)));
  const { load, panic } = priorityLoad(
    levels.map((eps, i) => ({ healthy: healthy[i]!.length, total: eps.length })),
    panicThreshold,
  );
  // A priority that takes all the load needs no draw (so a mesh without spill-over draws as before).
  const whole = load.indexOf(100);
  return drawUntried(tried, () => {
    const level = whole >= 0 ? whole : pick(rng, (u) => choosePriority(load, u));
    let hosts = panic[level] ? levels[level]! : healthy[level]!;
    if (hosts.length === 0) return undefined;
    if (mode.localityWeighted && !panic[level]) hosts = weightedLocality(levels[level]!, unhealthy, rng) ?? hosts;
    const endpoint = chooseAmong(hosts, rng, choose);
    return { endpoint, targetPort: endpoint.targetPorts.get(port)!, candidates: hosts.length, priority: { level, load }, ...(panic[level] ? { panic: true as const } : {}) };
  });
}

/** Draws again while the host drawn was tried before, HOST_SELECTIONS times at most, keeping the last draw. */
function drawUntried(tried: ReadonlySet<WorkloadInfo>, draw: () => Picked | undefined): Picked | undefined {
  let last: Picked | undefined;
  for (let i = 0; i < HOST_SELECTIONS; i++) {
    last = draw();
    if (last === undefined || !tried.has(last.endpoint.workload)) return last;
  }
  return last;
}

/** An endpoint's locality as `region/zone/subzone`, trailing empty parts left out. */
function localityName(ep: ServiceEndpoint): string {
  const l = ep.workload.locality;
  return `${l.region}/${l.zone}/${l.subzone}`.replace(/\/+$/, '');
}

/**
 * Envoy's locality-weighted choice inside one priority: each locality weighs its host count
 * (Istio's locality weight) times its availability; the healthy hosts of the locality drawn.
 * Undefined when the hosts are all in one locality (nothing to weigh).
 */
function weightedLocality(hosts: readonly ServiceEndpoint[], unhealthy: ReadonlySet<WorkloadInfo>, rng: () => number): ServiceEndpoint[] | undefined {
  const groups = groupBy(hosts, localityName);
  if (groups.size < 2) return undefined;
  const live: { healthy: ServiceEndpoint[]; weight: number }[] = [];
  for (const g of groups.values()) {
    const healthy = g.filter((e) => !unhealthy.has(e.workload));
    const weight = effectiveLocalityWeight(g.length, healthy.length, g.length);
    if (weight > 0) live.push({ healthy, weight });
  }
  if (live.length === 0) return undefined;
  const total = live.reduce((a, l) => a + l.weight, 0);
  return live[pickWeighted(rng, live.length, total, (k) => live[k]!.weight)]!.healthy;
}

/** Weighted random by capacity (a split-horizon endpoint weighs as many as the endpoints behind it). */
function weightedIndex(eps: readonly ServiceEndpoint[], rng: () => number): number {
  let total = 0;
  for (const e of eps) total += e.capacity ?? 1;
  return pickWeighted(rng, eps.length, total, (i) => eps[i]!.capacity ?? 1);
}

/**
 * Envoy's locality-weighted pick at a waypoint whose DestinationRule sets
 * `localityLbSetting.distribute` (locality-weights.ts): a locality by effective weight, then a
 * healthy host in it; `tried` hosts are drawn again as in pickByPriority. Undefined when no
 * locality has a healthy host.
 */
export function pickByLocalityWeight(input: EnvoyPick, proxy: Locality, rules: readonly DistributeRule[]): Picked | undefined {
  const { svc, port, rng, subsetLabels, choose, unhealthy, tried, panicThreshold } = input;
  const groups = [...groupEligible(svc, port, subsetLabels, localityName).entries()];
  const weights = distributeWeights(
    proxy,
    rules,
    groups.map(([, hosts]) => ({ locality: hosts[0]!.workload.locality, hosts: hosts.length })),
  );
  // The localities that can take a request, with their healthy hosts and effective weights; and
  // every host the cluster keeps, which a priority in panic balances over.
  const live: { name: string; healthy: ServiceEndpoint[]; weight: number }[] = [];
  const kept: ServiceEndpoint[] = [];
  let keptHealthy = 0;
  groups.forEach(([name, hosts], i) => {
    const w = weights ? weights[i] : hosts.length;
    if (w === undefined) return;
    const healthy = hosts.filter((e) => !unhealthy.has(e.workload));
    kept.push(...hosts);
    keptHealthy += healthy.length;
    const weight = effectiveLocalityWeight(w, healthy.length, hosts.length);
    if (weight > 0) live.push({ name, healthy, weight });
  });
  // In panic Envoy balances over every host of the priority, locality weights aside.
  if (kept.length && priorityLoad([{ healthy: keptHealthy, total: kept.length }], panicThreshold).panic[0]) {
    return drawUntried(tried, () => {
      const endpoint = chooseAmong(kept, rng, choose);
      return { endpoint, targetPort: endpoint.targetPorts.get(port)!, candidates: kept.length, panic: true };
    });
  }
  const total = live.reduce((a, l) => a + l.weight, 0);
  if (total === 0) return undefined;
  return drawUntried(tried, () => {
    const l = live[live.length === 1 ? 0 : pickWeighted(rng, live.length, total, (k) => live[k]!.weight)]!;
    const endpoint = chooseAmong(l.healthy, rng, choose);
    return { endpoint, targetPort: endpoint.targetPorts.get(port)!, candidates: l.healthy.length, locality: { name: l.name, percent: Math.round((1000 * l.weight) / total) / 10 } };
  });
}
