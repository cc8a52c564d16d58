// DestinationRule lookup and the per-cluster policy a waypoint builds from it
// (Istio cluster_traffic_policy.go: load balancer, circuit breakers, outlier detection, TLS).
import type { DestinationRule, LoadBalancerSettings, LocalityLbSetting, TrafficPolicy } from '../k8s/types';
import { NETWORK_LABEL, REGION_LABEL, SUBZONE_LABEL, ZONE_LABEL } from '../control/labels';
import { parseDurationMs } from './duration';
import { hostMatches, type Registry } from './registry';
import type { ClusterPolicy, ConnectionPoolSettings, LbPolicy, LocalityLb, LocalityLevel, OutlierSettings } from './types';

/** Envoy's circuit-breaker thresholds when a DR sets none (getDefaultCircuitBreakerThresholds). */
export const UNLIMITED = 2 ** 32 - 1;

export const DEFAULT_CONNECTION_POOL: Readonly<ConnectionPoolSettings> = Object.freeze({
  maxConnections: UNLIMITED,
  http1MaxPendingRequests: UNLIMITED,
  http2MaxRequests: UNLIMITED,
  maxRequestsPerConnection: 0,
  maxRetries: UNLIMITED,
});

type Policy = Omit<TrafficPolicy, 'portLevelSettings'>;

export class DestinationRules {
  private readonly rules: { dr: DestinationRule; ns: string; host: string }[];
  /** Policies made so far, by waypoint namespace then cluster key (strings the policies already hold). */
  private readonly cache = new Map<string, Map<string, ClusterPolicy>>();

  constructor(
    drs: DestinationRule[],
    private readonly registry: Registry,
  ) {
    this.rules = drs
      .filter((dr) => dr.spec?.host)
      .map((dr) => {
        const ns = dr.metadata.namespace ?? 'default';
        return { dr, ns, host: registry.resolveHost(dr.spec!.host, ns) };
      })
      .sort((a, b) => cmpStr(a.dr.metadata.creationTimestamp ?? '', b.dr.metadata.creationTimestamp ?? '') || cmpStr(a.ns, b.ns) || cmpStr(a.dr.metadata.name, b.dr.metadata.name));
  }

  /** The DR a waypoint in `proxyNs` uses for `host`: its own namespace, the service's, then the root namespace. */
  find(host: string, serviceNs: string, proxyNs: string): DestinationRule | undefined {
    for (const ns of [proxyNs, serviceNs, this.registry.rootNamespace]) {
      let wildcard: DestinationRule | undefined;
      for (const r of this.rules) {
        if (r.ns !== ns || !hostMatches(r.host, host) || !visible(r.dr, r.ns, proxyNs)) continue;
        if (r.host === host) return r.dr;
        wildcard ??= r.dr;
      }
      if (wildcard) return wildcard;
    }
    return undefined;
  }

  hasSubset(host: string, serviceNs: string, proxyNs: string, subset: string): boolean {
    return this.find(host, serviceNs, proxyNs)?.spec?.subsets?.some((s) => s.name === subset) ?? false;
  }

  /** Cluster policy for (host, port, subset), cached: computed once per config change. */
  policy(host: string, serviceNs: string, proxyNs: string, port: number, subset: string | undefined, protocol: 'http' | 'tcp'): ClusterPolicy {
    // Joined flat: the key is kept by the policy, and a template literal would keep a chain of pieces.
    const clusterKey = ['inbound-vip|', port, '|', protocol, subset ? `/${subset}` : '', '|', host].join('');
    let byKey = this.cache.get(proxyNs);
    if (!byKey) this.cache.set(proxyNs, (byKey = new Map()));
    let p = byKey.get(clusterKey);
    if (!p) {
      const dr = this.find(host, serviceNs, proxyNs);
      const sub = subset ? dr?.spec?.subsets?.find((s) => s.name === subset) : undefined;
      const merged = mergePolicy(mergePolicy({}, dr?.spec?.trafficPolicy, port), sub?.trafficPolicy, port);
      p = {
        clusterKey,
        destinationRule: dr ? `${dr.metadata.namespace ?? 'default'}/${dr.metadata.name}` : null,
        lb: lbPolicy(merged.loadBalancer),
        connectionPool: connectionPool(merged.connectionPool),
        outlierDetection: outlier(merged.outlierDetection),
        ...localityOf(merged.loadBalancer?.localityLbSetting),
        tlsOrigination: merged.tls?.mode === 'SIMPLE' || merged.tls?.mode === 'MUTUAL',
        ...(sub ? { subsetLabels: sub.labels ?? {} } : {}),
      };
      byKey.set(clusterKey, p);
    }
    return p;
  }
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function visible(dr: DestinationRule, drNs: string, proxyNs: string): boolean {
  const exportTo = dr.spec?.exportTo;
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || e === proxyNs || (e === '.' && drNs === proxyNs));
}

/** Port-level settings, then subset settings, replace whole sub-policies (Istio MergeTrafficPolicy). */
function mergePolicy(base: Policy, over: TrafficPolicy | undefined, port: number): Policy {
  if (!over) return base;
  const out: Policy = { ...base };
  const layers: Policy[] = [over, ...(over.portLevelSettings ?? []).filter((p) => p.port?.number === port)];
  for (const l of layers) {
    if (l.loadBalancer) out.loadBalancer = l.loadBalancer;
    if (l.connectionPool) out.connectionPool = l.connectionPool;
    if (l.outlierDetection) out.outlierDetection = l.outlierDetection;
    if (l.tls) out.tls = l.tls;
  }
  return out;
}

/** Labels failoverPriority may name that are locality levels (applyFailoverPriorities matches them in order). */
const LOCALITY_LABELS: Record<string, LocalityLevel> = {
  [NETWORK_LABEL]: 'network',
  [REGION_LABEL]: 'region',
  [ZONE_LABEL]: 'zone',
  [SUBZONE_LABEL]: 'subzone',
  'kubernetes.io/hostname': 'node',
};

/** Istio's default failover (loadbalancer.go applyLocalityFailover): region, then zone, then subzone of the proxy. */
export const DEFAULT_FAILOVER: LocalityLevel[] = ['region', 'zone', 'subzone'];

/**
 * A DR's localityLbSetting as the endpoint builder applies it (GetLocalityLbSetting,
 * ApplyLocalityLoadBalancer). failoverPriority naming labels other than the locality ones is
 * not modelled: the default order applies. `failover` entries demote the regions other than
 * their `to` (applyLocalityFailover).
 */
function localityOf(l: LocalityLbSetting | undefined): { locality?: LocalityLb } {
  if (!l) return {};
  if (l.enabled === false) return { locality: { kind: 'off' } };
  if (l.distribute?.length) {
    const rules = l.distribute.map((d) => ({ from: d.from ?? '', to: Object.entries(d.to ?? {}).map(([locality, weight]) => ({ locality, weight })) }));
    return { locality: { kind: 'distribute', rules } };
  }
  const named = (l.failoverPriority ?? []).map((k) => LOCALITY_LABELS[k]);
  const levels = named.length && named.every((x) => x !== undefined) ? (named as LocalityLevel[]) : DEFAULT_FAILOVER;
  const regions = (l.failover ?? []).map((f) => ({ from: f.from ?? '', to: f.to ?? '' }));
  const weighted = regions.length > 0 || (l.failoverPriority?.length ?? 0) > 0;
  return { locality: { kind: 'failover', levels, ...(regions.length ? { regions } : {}), ...(weighted ? { weighted: true as const } : {}) } };
}

function lbPolicy(lb: LoadBalancerSettings | undefined): LbPolicy {
  const ch = lb?.consistentHash;
  if (ch) {
    const policy = ch.maglev ? 'MAGLEV' : 'RING_HASH';
    if (ch.httpHeaderName) return { policy, hashOn: { header: ch.httpHeaderName.toLowerCase() } };
    if (ch.httpCookie) return { policy, hashOn: { cookie: ch.httpCookie.name } };
    if (ch.useSourceIp) return { policy, hashOn: { sourceIp: true } };
    if (ch.httpQueryParameterName) return { policy, hashOn: { queryParam: ch.httpQueryParameterName } };
    return { policy };
  }
  switch (lb?.simple) {
    case 'ROUND_ROBIN':
      return ROUND_ROBIN;
    case 'RANDOM':
      return RANDOM;
    case 'PASSTHROUGH':
      return PASSTHROUGH;
    default:
      // Unset, UNSPECIFIED, LEAST_REQUEST and its alias LEAST_CONN.
      return LEAST_REQUEST;
  }
}

const LEAST_REQUEST: LbPolicy = Object.freeze({ policy: 'LEAST_REQUEST' });
const ROUND_ROBIN: LbPolicy = Object.freeze({ policy: 'ROUND_ROBIN' });
const RANDOM: LbPolicy = Object.freeze({ policy: 'RANDOM' });
const PASSTHROUGH: LbPolicy = Object.freeze({ policy: 'PASSTHROUGH' });

/** Values ≤ 0 mean "use the default" (Istio only sets positive thresholds). */
function limit(v: number | undefined, dflt: number): number {
  return v !== undefined && v > 0 ? v : dflt;
}

function connectionPool(cp: TrafficPolicy['connectionPool']): ConnectionPoolSettings {
  if (!cp) return DEFAULT_CONNECTION_POOL;
  return {
    maxConnections: limit(cp.tcp?.maxConnections, UNLIMITED),
    http1MaxPendingRequests: limit(cp.http?.http1MaxPendingRequests, UNLIMITED),
    http2MaxRequests: limit(cp.http?.http2MaxRequests, UNLIMITED),
    maxRequestsPerConnection: limit(cp.http?.maxRequestsPerConnection, 0),
    maxRetries: limit(cp.http?.maxRetries, UNLIMITED),
  };
}

function outlier(od: TrafficPolicy['outlierDetection']): OutlierSettings | null {
  if (!od) return null;
  return {
    consecutive5xxErrors: od.consecutive5xxErrors ?? 5,
    consecutiveGatewayErrors: od.consecutiveGatewayErrors ?? 0,
    intervalMs: parseDurationMs(od.interval) ?? 10_000,
    baseEjectionTimeMs: parseDurationMs(od.baseEjectionTime) ?? 30_000,
    maxEjectionTimeMs: 300_000,
    maxEjectionPercent: od.maxEjectionPercent ?? 10,
    minHealthPercent: od.minHealthPercent ?? 0,
  };
}
