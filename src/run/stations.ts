// The proxies of a run as FCFS stations (one per ztunnel node, per waypoint / sidecar / gateway
// pod), and the HBONE connection pools between identities. Both live as long as the run, so load
// from concurrent steps meets at the same queues.
import { TimelineStation, type Rng, type Simulation } from '../../sim';
import type { Hop } from '../result/types';
import type { LatencyModel } from './latency-model';
import { proxyKind } from './latency-model';

export class Stations {
  /** cluster → kind → namespace → instance: nested so a lookup builds no key string. */
  private readonly byCluster = new Map<string, Map<string, Map<string, Map<string, TimelineStation>>>>();

  constructor(private readonly sim: Simulation, private readonly model: LatencyModel) {}

  /** The station a proxy hop queues at: ztunnel per node (its hop is named after the node), every other proxy per pod. */
  of(h: Hop): TimelineStation | undefined {
    const kind = proxyKind(h);
    if (kind === undefined) return undefined;
    const cluster = h.cluster ?? '';
    const ns = kind === 'ztunnel' ? '' : (h.namespace ?? '');
    const instance = kind === 'ztunnel' ? h.name : (h.pod ?? h.name);
    const byKind = child(this.byCluster, cluster);
    const byNs = child(byKind, h.kind);
    const m = child(byNs, ns);
    let s = m.get(instance);
    if (s === undefined) {
      s = new TimelineStation(this.sim.now, { name: `${cluster}/${h.kind}/${ns ? `${ns}/` : ''}${instance}`, servers: this.model.proxies[kind].workers });
      m.set(instance, s);
    }
    return s;
  }
}

function child<V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let c = m.get(k);
  if (c === undefined) m.set(k, (c = new Map()));
  return c;
}

interface PooledConnection {
  /** When the connection's handshake completes. */
  readyAt: number;
  lastUsed: number;
}

/** Where the pooled connection from one identity to another lives (none opened yet: `conn` undefined). */
export interface PoolSlot {
  conn: PooledConnection | undefined;
}

/**
 * HBONE connections pooled per (source identity, destination identity), as ztunnel pools them:
 * the first request pays the handshake, requests that arrive while it is under way wait for it,
 * later ones reuse it until it has been idle for `idleTimeoutMs` (ztunnel releases unused pooled
 * connections after POOL_UNUSED_RELEASE_TIMEOUT). Streams per connection are not limited.
 */
export class ConnectionPools {
  /** source → destination → slot. */
  private readonly pools = new Map<string, Map<string, PoolSlot>>();
  opened = 0;

  constructor(private readonly model: LatencyModel, private readonly idleTimeoutMs: number) {}

  /** The slot of the pool from `src` to `dst`; callers on a hot path keep it. */
  slot(src: string, dst: string): PoolSlot {
    const bySrc = child(this.pools, src);
    let s = bySrc.get(dst);
    if (s === undefined) bySrc.set(dst, (s = { conn: undefined }));
    return s;
  }

  /** Whether the slot has a connection a request at `now` can use (open, or opening, and not idle too long). */
  usable(slot: PoolSlot, now: number): boolean {
    const c = slot.conn;
    return c !== undefined && now - c.lastUsed <= this.idleTimeoutMs;
  }

  /**
   * Delay before a request can use the slot's connection at time `now` (opening one if none is
   * usable). Opening costs the HBONE setup figure plus `roundTripsMs`, the network time of the
   * handshakes when they cross more than the figure's same-zone round trip.
   */
  acquireSlot(slot: PoolSlot, now: number, rng: Rng, roundTripsMs = 0): number {
    const c = slot.conn;
    if (c !== undefined && this.usable(slot, now)) {
      const wait = c.readyAt > now ? c.readyAt - now : 0;
      c.lastUsed = now + wait;
      return wait;
    }
    const setup = this.model.hboneSetup.sample(rng) + roundTripsMs;
    this.opened++;
    if (c !== undefined) {
      c.readyAt = now + setup;
      c.lastUsed = now + setup;
    } else slot.conn = { readyAt: now + setup, lastUsed: now + setup };
    return setup;
  }
}
