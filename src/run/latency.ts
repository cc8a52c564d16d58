// The latency model of one run: its config (defaults + `spec.latency`), its distributions, the
// proxies' stations and HBONE pools, and the views in force while config propagates. One per World,
// so every step of a run (and every concurrent step) loads the same stations.
import type { Distribution, Rng, Simulation } from '../../sim';
import type { Locality, WorkloadInfo } from '../control/model';
import { resolveLatencyConfig, type LatencyConfig } from './latency-config';
import { LatencyModel, serviceTimeDistribution } from './latency-model';
import { hopInfo, walkPlan, type HopInfo, type WalkEnv, type WalkPlan } from './latency-walk';
import type { TraceResult } from '../dataplane/trace';
import type { Hop } from '../result/types';
import { FAST_PATHS } from '../fast-paths';
import { isStoredDecision, MemoBudget } from './decision-memo';
import { PoolWaits } from './pool-waits';
import { PropagatedViews } from './propagation';
import { ConnectionPools, Stations } from './stations';
import type { World } from './world';

export { round3 } from './latency-walk';

export class LatencyRuntime {
  readonly config: LatencyConfig;
  readonly model: LatencyModel;
  readonly stations: Stations;
  readonly pools: ConnectionPools;
  readonly waits = new PoolWaits();
  /** What the request steps' decision memos may still keep (decision-memo.ts). */
  readonly memoBudget = new MemoBudget();
  /** Calls the answering apps made, walked so far (`meshsim run --stats`). */
  calls = 0;
  readonly views: PropagatedViews;
  private readonly localities = new Map<string, Map<string, Locality>>();
  private readonly appTimes = new Map<string, Distribution>();
  private readonly serviceTimes = new Map<string, Distribution>();

  constructor(private readonly world: World) {
    this.config = resolveLatencyConfig(world.scenario.latency);
    this.model = new LatencyModel(this.config);
    this.stations = new Stations(world.sim, this.model);
    this.pools = new ConnectionPools(this.model, this.config.hbone.idleTimeoutMs);
    this.views = new PropagatedViews(world, this.config.propagationMs);
    for (const a of world.scenario.apps) {
      if (a.serviceTime) this.serviceTimes.set(`${a.workload.namespace}/${a.workload.name}`, serviceTimeDistribution(a.serviceTime));
    }
  }

  private readonly locality = (cluster: string | undefined, node: string | undefined): Locality | undefined => {
    if (cluster === undefined || node === undefined) return undefined;
    let m = this.localities.get(cluster);
    if (m === undefined) this.localities.set(cluster, (m = new Map()));
    let l = m.get(node);
    if (l === undefined) {
      l = this.world.view(cluster).nodes.get(node)?.locality;
      if (l !== undefined) m.set(node, l);
    }
    return l;
  };

  /** Service time of the app a pod runs: `spec.apps[].serviceTime`, else by its app model. */
  appTime(w: WorkloadInfo): Distribution {
    let d = this.appTimes.get(w.uid);
    if (d === undefined) {
      d = this.serviceTimes.get(`${w.namespace}/${w.workloadName}`) ?? this.serviceTimes.get(`${w.namespace}/${w.name}`);
      if (d === undefined) {
        const model = this.world.appOf(w.cluster, w).model.replace(/\+override$/, '');
        d = this.model.app(model);
      }
      this.appTimes.set(w.uid, d);
    }
    return d;
  }

  private readonly hopInfos = new WeakMap<Hop, HopInfo>();

  /** Hops are shared, immutable templates on the fast path: what the walk needs of one is looked up once. */
  private readonly hop = (h: Hop): HopInfo => {
    if (!FAST_PATHS) return hopInfo(h, this.model, this.locality);
    let info = this.hopInfos.get(h);
    if (info === undefined) {
      info = hopInfo(h, this.model, this.locality);
      // A node not known yet is looked up again next time, as the straightforward path does.
      if (info.locality !== undefined || h.cluster === undefined || h.node === undefined) this.hopInfos.set(h, info);
    }
    return info;
  };

  private readonly plans = new WeakMap<TraceResult, WalkPlan>();

  /**
   * A decided path's plan, kept while its trace lives when a decision memo stored the trace (it is
   * walked by every request the memo serves). Other traces are walked by one request (and its
   * retries, which plan again the same way): keeping theirs costs a weak-map entry per call.
   */
  plan(trace: TraceResult): WalkPlan {
    if (!FAST_PATHS) return walkPlan(trace.hops, this.hop, this.model);
    let plan = this.plans.get(trace);
    if (plan === undefined) {
      plan = walkPlan(trace.hops, this.hop, this.model);
      if (plan.settled && isStoredDecision(trace)) this.plans.set(trace, plan);
    }
    return plan;
  }

  /** The walk environment of a step, drawing from that step's own streams. */
  env(stream: string): WalkEnv {
    const sim = this.world.sim;
    return new StepEnv(sim, this, sim.stream(`${stream}/network`), sim.stream(`${stream}/proxies`), sim.stream(`${stream}/apps`));
  }
}

/**
 * A step's walk environment. A class with methods, not an object literal of the runtime's fields
 * and closures: V8 widens the field types of a literal that holds objects the second time it is
 * evaluated, and a closure made per run is a new call target for every run, so either would throw
 * away the hop handlers optimised during a process's first run (in each sweep worker too).
 */
class StepEnv implements WalkEnv {
  readonly model: LatencyModel;
  readonly stations: Stations;
  readonly pools: ConnectionPools;
  readonly waits: PoolWaits;

  constructor(
    readonly sim: Simulation,
    private readonly rt: LatencyRuntime,
    readonly net: Rng,
    readonly cpu: Rng,
    readonly app: Rng,
  ) {
    this.model = rt.model;
    this.stations = rt.stations;
    this.pools = rt.pools;
    this.waits = rt.waits;
  }

  plan(trace: TraceResult): WalkPlan {
    return this.rt.plan(trace);
  }

  appTime(backend: WorkloadInfo): Distribution {
    return this.rt.appTime(backend);
  }

  countCall(): void {
    this.rt.calls++;
  }
}

const runtimes = new WeakMap<World, LatencyRuntime>();

/** The latency model of a world's run, created (and `spec.latency` validated) on first use. */
export function latencyRuntime(world: World): LatencyRuntime {
  let rt = runtimes.get(world);
  if (rt === undefined) {
    rt = new LatencyRuntime(world);
    runtimes.set(world, rt);
  }
  return rt;
}
