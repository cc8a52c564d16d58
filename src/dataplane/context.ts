// What every hop decision of one request can see: the mesh view, the engines, the apps, chance and time.
import type { App } from '../apps/types';
import type { MeshView } from '../control/mesh-view';
import type { WorkloadInfo } from '../control/model';
import type { PolicyEngines } from './engines';
import type { ConnectionPool, OutlierDetector } from '../routing';
import type { LbClient } from './load-balance';
import { FAST_PATHS } from '../fast-paths';

export interface ProxyState {
  roundRobin: Map<string, number>;
  /** By waypoint pod and cluster key: each Envoy ejects hosts on its own. */
  outliers: Map<string, OutlierDetector>;
  /** Circuit breakers by waypoint pod and cluster key (DestinationRule connectionPool). */
  pools: Map<string, ConnectionPool>;
}

export interface DataplaneContext {
  view: MeshView;
  engines: PolicyEngines;
  appOf(w: WorkloadInfo): App;
  rng: () => number;
  /**
   * Wall-clock time of the request, epoch ms (JWT exp/nbf, outlier ejection, circuit breakers);
   * read only where a decision depends on it, so a decision that never asks is the same at any time.
   */
  clock(): number;
  /** Proxy state that outlives one request: round-robin positions and outlier detectors by cluster. */
  lbState: ProxyState;
  /** How deep in a chain of app-to-app calls this request is (0 for the client's own request). */
  depth?: number;
  /** The same request's context in another cluster (its view, policies and apps). */
  peer(cluster: string): DataplaneContext;
  /** For contexts that are not plain objects (a spread would lose their accessors): the context one call deeper. */
  withDepth?(depth: number): DataplaneContext;
}

/** The context whose policies and apps govern workloads of `cluster`. */
export function contextFor(ctx: DataplaneContext, cluster: string): DataplaneContext {
  if (cluster === ctx.view.cluster) return ctx;
  const peer = ctx.peer(cluster);
  return ctx.depth ? atDepth(peer, ctx.depth) : peer;
}

/** The same context for a call `depth` apps deep. */
export function atDepth(ctx: DataplaneContext, depth: number): DataplaneContext {
  return ctx.withDepth ? ctx.withDepth(depth) : { ...ctx, depth };
}

/** Calls nested deeper than this fail, so a call loop between apps cannot run forever. */
export const MAX_CALL_DEPTH = 8;

const lbClients = new WeakMap<WorkloadInfo, LbClient>();

export function lbClient(w: WorkloadInfo): LbClient {
  if (!FAST_PATHS) return { network: w.network, node: w.node, locality: w.locality };
  let c = lbClients.get(w);
  if (c === undefined) lbClients.set(w, (c = { network: w.network, node: w.node, locality: w.locality }));
  return c;
}
