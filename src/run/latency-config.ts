// `spec.latency`: the defaults of the latency model, each naming the row of reference/latency.md
// it came from, and the schema of the overrides a scenario may write. Every figure is resolved to
// milliseconds here, once, so the hot loop only samples.
//
//   latency:
//     network:                 # round-trip times by locality; a one-way leg samples half of them
//       sameNode:  { p50: 50us, p99: 150us }
//       sameZone:  { p50: 250us, p99: 800us }
//       crossZone: { p50: 800us, p99: 3ms }
//       crossRegion: { p50: 40ms }          # region pairs not listed under `regions`
//     regions:                 # per region pair, either order; p99 defaults to p50 × 1.3
//       us-east1/us-west1: { p50: 70ms }
//     proxies:                 # every pass (request or response) through one proxy instance
//       ztunnel:  { workers: 2, cpu: 30us, handoff: 7.5us }   # one station per node
//       waypoint: { workers: 2, cpu: { p50: 100us, p99: 700us } }   # one station per waypoint pod
//       sidecar:  { ... }      # one station per pod
//       gateway:  { ... }      # ingress / east-west / egress gateway pods
//     hbone: { setup: { p50: 300us, p99: 600us }, idleTimeout: 5m }
//     apps:
//       default: { p50: 80us, p99: 200us }
//       models: { httpbin: 150us }            # by app model (http-echo, httpbin, helloworld, echo, generic)
//     propagation: 100ms       # a config change reaches ztunnels and waypoints this long after it is made
//
// A figure is lognormal `{ p50, p99 }`, a bare duration (the p50; its p99 follows from the
// category's spread), or `{ mean }`: exponential, for comparing with queueing theory's closed forms.
import * as z from 'zod';
import type { RawSection } from '../scenario';
import { errorAt } from '../scenario';
import { Duration } from '../scenario/schema';
import { fieldIssues } from '../scenario/zod-issues';
import { ScenarioInputError } from './errors';

/** A figure in ms: lognormal by two quantiles, or exponential by its mean. */
export type Quantiles = { p50: number; p99: number } | { mean: number; p50?: undefined };

export type NetworkClass = 'sameNode' | 'sameZone' | 'crossZone' | 'crossRegion';
export const PROXY_KINDS = ['ztunnel', 'waypoint', 'sidecar', 'gateway'] as const;
export type ProxyKind = (typeof PROXY_KINDS)[number];

export interface ProxyCost {
  /** Worker threads: the station's servers. */
  workers: number;
  /** CPU demand of one pass (holds a worker). */
  cpu: Quantiles;
  /** Redirect and socket hand-off per pass (does not hold a worker). */
  handoffMs: number;
}

export interface LatencyConfig {
  /** Round-trip times by locality. */
  network: Record<NetworkClass, Quantiles>;
  /** Round-trip times by region pair, keyed `a/b` with a ≤ b. */
  regions: Map<string, Quantiles>;
  proxies: Record<ProxyKind, ProxyCost>;
  hbone: { setup: Quantiles; idleTimeoutMs: number };
  apps: { default: Quantiles; models: Map<string, Quantiles> };
  propagationMs: number;
}

/** p99/p50 of figures given as a bare duration. */
const SPREAD = {
  network: 3, // A.4 suggested composition: network σ ≈ 0.3–0.6; A.5 same zone 0.8/0.25 ≈ 3
  proxy: 2, // A.4 suggested composition: proxy passes σ ≈ 0.25–0.4 (σ 0.3 ⇒ p99 = 2 × p50)
  crossRegion: 1.3, // A.5 suggested defaults: cross region p99 = p50 × 1.3
  app: 2.5, // A.4: no-mesh total p50 0.32–0.36 vs p99 0.51–0.69 ms, less the network's share
} as const;

export const DEFAULT_LATENCY: LatencyConfig = {
  network: {
    sameNode: { p50: 0.05, p99: 0.15 }, // A.5 suggested defaults: same node RTT p50 0.05 ms, p99 0.15 ms
    sameZone: { p50: 0.25, p99: 0.8 }, // A.5 suggested defaults: same zone RTT p50 0.25 ms, p99 0.8 ms
    crossZone: { p50: 0.8, p99: 3 }, // A.5 suggested defaults: cross zone RTT p50 0.8 ms, p99 3 ms
    crossRegion: { p50: 40, p99: 52 }, // A.5: cross region 20–150 ms "set per region pair"; 40 ms between nearby (~20) and continental (72–87), p99 × 1.3
  },
  regions: new Map(),
  proxies: {
    // A.4 suggested composition: ztunnel c = 2 (ztunnel's Tokio runtime default, A.1); 60 µs CPU per
    // request over 2 passes (0.06 vCPU per 1000 rps, A.1 1.24 resource row), σ 0.4 (A.4: 0.25–0.4);
    // 5–10 µs hand-off per pass (10 µs: 4 passes × ~40 µs match the measured +0.17 ms p90).
    ztunnel: { workers: 2, cpu: { p50: 0.03, p99: 0.075 }, handoffMs: 0.01 },
    // A.4 suggested composition: waypoint c = 2 per replica; ~250 µs CPU per request over 2 passes
    // (0.25 vCPU per 1000 rps, A.1 1.24 resource row): p50 100 µs with a long tail (σ ≈ 0.84, mean
    // ≈ 142 µs) so the waypoint's added p99 lands in A.4's 0.6–1.2 ms.
    waypoint: { workers: 2, cpu: { p50: 0.1, p99: 0.7 }, handoffMs: 0.01 },
    // A.4 suggested composition: sidecar c = 2; 200 µs CPU per request over 2 passes (0.20 vCPU per 1000 rps, A.1).
    sidecar: { workers: 2, cpu: { p50: 0.09, p99: 0.45 }, handoffMs: 0.01 },
    // No published gateway figure: an Envoy hop like a waypoint (A.4 waypoint row).
    gateway: { workers: 2, cpu: { p50: 0.1, p99: 0.7 }, handoffMs: 0.01 },
  },
  hbone: {
    setup: { p50: 0.3, p99: 0.6 }, // A.4 suggested composition: TCP_CRR vs TCP_RR (A.5) ⇒ connection setup ~0.3–0.6 ms more
    idleTimeoutMs: 300_000, // ztunnel's POOL_UNUSED_RELEASE_TIMEOUT default, 5 minutes (istio/ztunnel src/config.rs)
  },
  apps: {
    default: { p50: 0.08, p99: 0.2 }, // A.4 hop table: no-mesh pod→pod total 0.32–0.36 ms p50 minus the same-zone RTT (A.5, 0.25 ms)
    models: new Map(),
  },
  // istiod waits PILOT_DEBOUNCE_AFTER (default 100 ms, istio/istio pilot/pkg/features) of quiet after a
  // change before it pushes; the push itself takes a few ms in a small mesh.
  propagationMs: 100,
};

// ---------------------------------------------------------------- schema

const QuantilesObject = z.strictObject({ p50: Duration, p99: Duration.optional() });
const MeanObject = z.strictObject({ mean: Duration });
const Figure = z.union([QuantilesObject, MeanObject, Duration]);
type FigureIn = z.output<typeof Figure>;

const ProxySchema = z.strictObject({
  workers: z.int().min(1).max(1024).optional(),
  cpu: Figure.optional(),
  handoff: Duration.optional(),
});

const REGION_PAIR = /^[^/\s]+\/[^/\s]+$/;

export const LatencySchema = z.strictObject({
  network: z
    .strictObject({ sameNode: Figure.optional(), sameZone: Figure.optional(), crossZone: Figure.optional(), crossRegion: Figure.optional() })
    .optional(),
  regions: z.record(z.string().regex(REGION_PAIR, 'a region pair is written REGION/REGION, e.g. us-east1/us-west1'), Figure).optional(),
  proxies: z
    .strictObject({ ztunnel: ProxySchema.optional(), waypoint: ProxySchema.optional(), sidecar: ProxySchema.optional(), gateway: ProxySchema.optional() })
    .optional(),
  hbone: z.strictObject({ setup: Figure.optional(), idleTimeout: Duration.optional() }).optional(),
  apps: z.strictObject({ default: Figure.optional(), models: z.record(z.string().min(1), Figure).optional() }).optional(),
  propagation: Duration.optional(),
});

type Path = (string | number)[];

/** The pair key of two regions, independent of order. */
export function regionPair(a: string, b: string): string {
  return a <= b ? `${a}/${b}` : `${b}/${a}`;
}

/**
 * The model in force for a scenario: the defaults with `spec.latency` laid over them. Every
 * problem is reported at once, at its position in the scenario file.
 */
export function resolveLatencyConfig(section: Pick<RawSection, 'value' | 'at'>): LatencyConfig {
  const parsed = LatencySchema.safeParse(section.value ?? {});
  if (!parsed.success) {
    const diags = fieldIssues(parsed.error.issues, section.value).map((i) => errorAt(section.at(i.path), i.message));
    throw new ScenarioInputError(diags);
  }
  const v = parsed.data;
  const problems: { path: Path; message: string }[] = [];
  const figure = (f: FigureIn | undefined, fallback: Quantiles, spread: number, path: Path): Quantiles => {
    if (f === undefined) return fallback;
    if (typeof f === 'object' && 'mean' in f) {
      if (!(f.mean > 0)) problems.push({ path: [...path, 'mean'], message: `${path.at(-1)}: mean must be greater than 0` });
      return { mean: f.mean };
    }
    const q = typeof f === 'number' ? { p50: f, p99: f * spread } : { p50: f.p50, p99: f.p99 ?? f.p50 * spread };
    if (!(q.p50 > 0)) problems.push({ path: typeof f === 'number' ? path : [...path, 'p50'], message: `${path.at(-1)}: p50 must be greater than 0` });
    else if (q.p99 < q.p50) problems.push({ path: [...path, 'p99'], message: `${path.at(-1)}: p99 (${q.p99}ms) must not be below p50 (${q.p50}ms)` });
    return q;
  };
  const d = DEFAULT_LATENCY;
  const net = v.network ?? {};
  const network: LatencyConfig['network'] = {
    sameNode: figure(net.sameNode, d.network.sameNode, SPREAD.network, ['network', 'sameNode']),
    sameZone: figure(net.sameZone, d.network.sameZone, SPREAD.network, ['network', 'sameZone']),
    crossZone: figure(net.crossZone, d.network.crossZone, SPREAD.network, ['network', 'crossZone']),
    crossRegion: figure(net.crossRegion, d.network.crossRegion, SPREAD.crossRegion, ['network', 'crossRegion']),
  };
  const regions = new Map<string, Quantiles>();
  for (const [pair, f] of Object.entries(v.regions ?? {})) {
    const [a, b] = pair.split('/') as [string, string];
    const key = regionPair(a, b);
    if (regions.has(key)) problems.push({ path: ['regions', pair], message: `regions: ${pair} repeats the pair ${key}` });
    regions.set(key, figure(f, network.crossRegion, SPREAD.crossRegion, ['regions', pair]));
  }
  const proxy = (k: ProxyKind): ProxyCost => {
    const p = v.proxies?.[k];
    const base = d.proxies[k];
    return {
      workers: p?.workers ?? base.workers,
      cpu: figure(p?.cpu, base.cpu, SPREAD.proxy, ['proxies', k, 'cpu']),
      handoffMs: p?.handoff ?? base.handoffMs,
    };
  };
  const models = new Map<string, Quantiles>();
  for (const [m, f] of Object.entries(v.apps?.models ?? {})) models.set(m, figure(f, d.apps.default, SPREAD.app, ['apps', 'models', m]));
  const config: LatencyConfig = {
    network,
    regions,
    proxies: { ztunnel: proxy('ztunnel'), waypoint: proxy('waypoint'), sidecar: proxy('sidecar'), gateway: proxy('gateway') },
    hbone: {
      setup: figure(v.hbone?.setup, d.hbone.setup, SPREAD.network, ['hbone', 'setup']),
      idleTimeoutMs: v.hbone?.idleTimeout ?? d.hbone.idleTimeoutMs,
    },
    apps: { default: figure(v.apps?.default, d.apps.default, SPREAD.app, ['apps', 'default']), models },
    propagationMs: v.propagation ?? d.propagationMs,
  };
  if (problems.length) throw new ScenarioInputError(problems.map((p) => errorAt(section.at(p.path), p.message)));
  return config;
}
