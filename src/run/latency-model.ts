// The latency model's distributions, built once from the resolved config: one-way network legs by
// locality, CPU demand per proxy pass, HBONE setup and application service time.
import { Constant, Exponential, LogNormal, Normal, Uniform, type Distribution, type Rng } from '../../sim';
import type { Locality } from '../control/model';
import type { Hop } from '../result/types';
import type { ServiceTime } from '../scenario';
import { regionPair, type LatencyConfig, type NetworkClass, type ProxyKind, type Quantiles } from './latency-config';

/** `local`: a pod and the proxy on its own node that captures it (no network in between). */
export type LegClass = 'local' | NetworkClass;

export interface ProxyModel {
  workers: number;
  cpu: Distribution;
  handoffMs: number;
}

/** A configured figure as a distribution, scaled by `k` (one-way legs are half a round trip). */
export function figure(q: Quantiles, k = 1): Distribution {
  return q.p50 === undefined ? new Exponential(q.mean * k) : LogNormal.fromQuantiles(q.p50 * k, q.p99 * k);
}

export class LatencyModel {
  /** One-way legs: half the configured round-trip figures. */
  readonly legs: Record<NetworkClass, Distribution>;
  readonly regionLegs = new Map<string, Distribution>();
  readonly proxies: Record<ProxyKind, ProxyModel>;
  readonly hboneSetup: Distribution;
  readonly appDefault: Distribution;
  readonly appModels = new Map<string, Distribution>();

  constructor(readonly config: LatencyConfig) {
    const oneWay = (q: Quantiles) => figure(q, 0.5);
    const n = config.network;
    this.legs = { sameNode: oneWay(n.sameNode), sameZone: oneWay(n.sameZone), crossZone: oneWay(n.crossZone), crossRegion: oneWay(n.crossRegion) };
    for (const [k, q] of config.regions) this.regionLegs.set(k, oneWay(q));
    const proxy = (k: ProxyKind): ProxyModel => {
      const p = config.proxies[k];
      return { workers: p.workers, cpu: figure(p.cpu), handoffMs: p.handoffMs };
    };
    this.proxies = { ztunnel: proxy('ztunnel'), waypoint: proxy('waypoint'), sidecar: proxy('sidecar'), gateway: proxy('gateway') };
    this.hboneSetup = figure(config.hbone.setup);
    this.appDefault = figure(config.apps.default);
    for (const [m, q] of config.apps.models) this.appModels.set(m, figure(q));
  }

  /** The one-way leg between two localities (region pairs first, then the locality class). */
  leg(cls: NetworkClass, a: Locality | undefined, b: Locality | undefined): Distribution {
    if (cls === 'crossRegion' && a && b) return this.regionLegs.get(regionPair(a.region, b.region)) ?? this.legs.crossRegion;
    return this.legs[cls];
  }

  /** Service time of an app model (`httpbin`, `http-echo`, ...). */
  app(model: string): Distribution {
    return this.appModels.get(model) ?? this.appDefault;
  }
}

/** Which station a hop queues at, if it is a proxy. */
export function proxyKind(h: Hop): ProxyKind | undefined {
  switch (h.kind) {
    case 'pod':
      return undefined;
    case 'ztunnel':
    case 'waypoint':
    case 'sidecar':
      return h.kind;
    default:
      return 'gateway';
  }
}

/** A pod and the proxy that captures it on its own node: ztunnel (redirect) or its sidecar; or a pod and itself. */
function capturedBy(a: Hop, b: Hop): boolean {
  // A pod calling itself stays on loopback.
  if (a.kind === 'pod' && b.kind === 'pod') return a.name === b.name && a.namespace === b.namespace;
  const pod = a.kind === 'pod' ? a : b;
  const proxy = a.kind === 'pod' ? b : a;
  if (pod.kind !== 'pod') return false;
  if (proxy.kind === 'ztunnel') return true;
  return proxy.kind === 'sidecar' && proxy.name === pod.name && proxy.namespace === pod.namespace;
}

export function legClass(a: Hop, b: Hop, la: Locality | undefined, lb: Locality | undefined): LegClass {
  if (a.node === b.node && a.cluster === b.cluster) return capturedBy(a, b) ? 'local' : 'sameNode';
  if (!la || !lb) return 'sameZone';
  if (la.region !== lb.region) return 'crossRegion';
  return la.zone === lb.zone ? 'sameZone' : 'crossZone';
}

/** A floor at zero for distributions that can go negative (normal). */
class NonNegative implements Distribution {
  constructor(private readonly inner: Distribution) {}
  sample(rng: Rng): number {
    const x = this.inner.sample(rng);
    return x > 0 ? x : 0;
  }
  mean(): number {
    return Math.max(0, this.inner.mean());
  }
  describe(): string {
    return `${this.inner.describe()} ≥ 0`;
  }
}

/** `spec.apps[].serviceTime` as a distribution; lognormal is given by its mean and standard deviation. */
export function serviceTimeDistribution(t: ServiceTime): Distribution {
  switch (t.distribution) {
    case 'constant':
      return new Constant(t.valueMs);
    case 'exponential':
      return t.meanMs > 0 ? new Exponential(t.meanMs) : new Constant(0);
    case 'uniform':
      return new Uniform(Math.min(t.minMs, t.maxMs), Math.max(t.minMs, t.maxMs));
    case 'normal':
      return new NonNegative(new Normal(t.meanMs, t.stddevMs));
    case 'lognormal': {
      if (!(t.meanMs > 0)) return new Constant(0);
      const s2 = Math.log(1 + (t.stddevMs * t.stddevMs) / (t.meanMs * t.meanMs));
      return new LogNormal(Math.log(t.meanMs) - s2 / 2, Math.sqrt(s2));
    }
  }
}
