// A first latency model: lognormal network legs by locality and lognormal proxy passes, figures
// from reference/latency.md (A.4 hop table, A.5 suggested RTT defaults). No queueing yet.
import { Constant, LogNormal, type Distribution, type Rng } from '../../sim';
import type { Locality } from '../control/model';
import type { Hop } from '../result/types';

export type LegKind = 'local' | 'sameNode' | 'sameZone' | 'crossZone' | 'crossRegion';

export interface SimpleLatencyModel {
  /** One-way network legs. */
  legs: Record<LegKind, Distribution>;
  /** One pass through a proxy (a request makes one pass each way). */
  passes: Record<'ztunnel' | 'waypoint' | 'sidecar' | 'gateway', Distribution>;
  /** Application service time. */
  app: Distribution;
}

/** p50/p99 in ms; one-way legs are half the A.5 round-trip figures. */
export function defaultSimpleModel(): SimpleLatencyModel {
  return {
    legs: {
      local: new Constant(0),
      sameNode: LogNormal.fromQuantiles(0.025, 0.075), // A.5 same node RTT p50 0.05, p99 0.15
      sameZone: LogNormal.fromQuantiles(0.125, 0.4), // A.5 same zone RTT p50 0.25, p99 0.8
      crossZone: LogNormal.fromQuantiles(0.4, 1.5), // A.5 cross zone RTT p50 0.8, p99 3
      crossRegion: LogNormal.fromQuantiles(10, 13), // A.5 cross region nearby RTT ~20 ms, p99 ×1.3
    },
    passes: {
      ztunnel: LogNormal.fromQuantiles(0.035, 0.06), // A.4: ~30 µs CPU + 5–10 µs hand-off per pass
      waypoint: LogNormal.fromQuantiles(0.15, 0.45), // A.4: waypoint 0.25–0.5 ms p50 across 2 passes plus a leg
      sidecar: LogNormal.fromQuantiles(0.2, 0.6), // A.4: sidecar pair ~0.9 ms p50 over 4 passes
      gateway: LogNormal.fromQuantiles(0.15, 0.45),
    },
    app: LogNormal.fromQuantiles(0.08, 0.2), // A.4: no-mesh pod→pod total 0.32–0.36 ms minus the network RTT
  };
}

export type LocalityOf = (cluster: string | undefined, node: string | undefined) => Locality | undefined;

function legKind(a: Hop, b: Hop, locality: LocalityOf): LegKind {
  // A pod and its node's ztunnel share the node: the redirect cost is inside the ztunnel pass.
  const podAndItsZtunnel = (a.kind === 'pod' && b.kind === 'ztunnel') || (a.kind === 'ztunnel' && b.kind === 'pod');
  if (a.node === b.node && a.cluster === b.cluster) return podAndItsZtunnel || (a.kind === 'pod' && b.kind === 'sidecar') || (a.kind === 'sidecar' && b.kind === 'pod') ? 'local' : 'sameNode';
  const la = locality(a.cluster, a.node);
  const lb = locality(b.cluster, b.node);
  if (!la || !lb) return 'sameZone';
  if (la.region !== lb.region) return 'crossRegion';
  return la.zone === lb.zone ? 'sameZone' : 'crossZone';
}

function passOf(h: Hop): keyof SimpleLatencyModel['passes'] | undefined {
  switch (h.kind) {
    case 'ztunnel':
      return 'ztunnel';
    case 'waypoint':
      return 'waypoint';
    case 'sidecar':
      return 'sidecar';
    case 'pod':
      return undefined;
    default:
      return 'gateway';
  }
}

/**
 * Sets `atMs` on each hop (time the request reached it, from the request's start) and returns
 * the round-trip latency the client sees. `answered` is false when the last hop is not an app.
 */
export function simpleLatency(model: SimpleLatencyModel, hops: Hop[], answered: boolean, extraMs: number, rng: Rng, locality: LocalityOf): number {
  let t = 0;
  let back = 0;
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i]!;
    if (i > 0) {
      const leg = model.legs[legKind(hops[i - 1]!, h, locality)];
      t += leg.sample(rng);
      back += leg.sample(rng);
    }
    h.atMs = round3(t);
    const pass = passOf(h);
    if (pass) {
      t += model.passes[pass].sample(rng);
      back += model.passes[pass].sample(rng);
    }
  }
  if (answered) t += model.app.sample(rng);
  return round3(t + back + extraMs);
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
