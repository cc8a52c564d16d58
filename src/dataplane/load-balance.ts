// ztunnel's endpoint selection (reference/ambient.md §3.4): healthy endpoints serving the port,
// ranked by locality preference against the client, then uniform random among the best.
import { pickIndex, pickWeighted } from '../../sim/choice';
import type { Locality, LoadBalancingMode, ServiceEndpoint, ServiceInfo } from '../control/model';

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
}

type Pref = 'network' | 'region' | 'zone' | 'subzone' | 'node';

function matches(pref: Pref, ep: ServiceEndpoint, c: LbClient): boolean {
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
function rank(prefs: readonly Pref[], ep: ServiceEndpoint, c: LbClient): number {
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
  choose: (n: number) => number = (n) => pickIndex(rng, n),
  exclude?: ReadonlySet<ServiceEndpoint['workload']>,
): Picked | undefined {
  let best: ServiceEndpoint[] = [];
  let bestRank = -1;
  for (const ep of svc.endpoints) {
    if (!eligible(svc, ep, port, subsetLabels)) continue;
    if (exclude?.has(ep.workload)) continue;
    let r = 0;
    if (mode.mode !== 'any') {
      if (mode.mode === 'strict' && !mode.preferences.every((p) => matches(p, ep, client))) continue;
      r = rank(mode.preferences, ep, client);
    }
    if (r > bestRank) {
      bestRank = r;
      best = [ep];
    } else if (r === bestRank) best.push(ep);
  }
  if (best.length === 0) return undefined;
  const endpoint = best.some((e) => (e.capacity ?? 1) !== 1) ? best[weightedIndex(best, rng)]! : best[choose(best.length)]!;
  return { endpoint, targetPort: endpoint.targetPorts.get(port)!, candidates: best.length };
}

/** Weighted random by capacity (a split-horizon endpoint weighs as many as the endpoints behind it). */
function weightedIndex(eps: readonly ServiceEndpoint[], rng: () => number): number {
  let total = 0;
  for (const e of eps) total += e.capacity ?? 1;
  return pickWeighted(rng, eps.length, total, (i) => eps[i]!.capacity ?? 1);
}
