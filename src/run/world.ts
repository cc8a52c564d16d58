// Everything a run plays on: the simulation kernel, one simulated API server per cluster, and the
// mesh view each cluster's istiod computes, rebuilt only when that cluster's state changed.
import { Simulation } from '../../sim';
import { appFor, type AppOverride } from '../apps/registry';
import type { App } from '../apps/types';
import { Cluster } from '../cluster';
import { DEFAULT_MESH_CONFIG, type MeshConfig } from '../control/config';
import { buildMeshView, type MeshView } from '../control/mesh-view';
import { mergeRemoteServices } from '../control/multicluster';
import type { WorkloadInfo } from '../control/model';
import type { ProxyState } from '../dataplane/context';
import type { DataplaneContext } from '../dataplane/request';
import type { PolicyEngines } from '../dataplane/engines';
import type { RequestRecord } from '../result/types';
import type { Scenario } from '../scenario';
import { compileEngines } from '../dataplane/policy-engines';
import { FAST_PATHS } from '../fast-paths';

interface ViewEntry {
  /** The sum of every cluster's state version when this view was computed (see stateSum). */
  stateSum: number;
  view: MeshView;
  engines: PolicyEngines;
  apps: Map<string, App>;
  /** The last context handed out, reused while the same random stream asks (requests of one step). */
  ctx?: DataplaneContext;
}

export class World {
  readonly sim: Simulation;
  readonly clusters = new Map<string, Cluster>();
  readonly config: MeshConfig;
  private readonly views = new Map<string, ViewEntry>();
  /** Per cluster; survives config changes as Envoy keeps host state across pushes. */
  private readonly proxyState = new Map<string, ProxyState>();
  private readonly bases = new Map<string, MeshView>();
  private readonly overrides = new Map<string, AppOverride>();
  /**
   * Hears every request the run's clients send as it completes, kept in the result or not
   * (RunOptions.onRequest); while set, every request is timed hop by hop.
   */
  onRequest: ((record: RequestRecord) => void) | undefined;

  constructor(readonly scenario: Scenario, seed: number) {
    this.sim = new Simulation({ seed });
    const networks = new Set(scenario.clusters.map((c) => c.network));
    const features = scenario.istio.features;
    this.config = {
      ...DEFAULT_MESH_CONFIG,
      rootNamespace: scenario.istio.rootNamespace,
      trustDomain: scenario.istio.trustDomain,
      features: {
        autoAllowWaypointPolicy: features.PILOT_AUTO_ALLOW_WAYPOINT_POLICY === true || features.PILOT_AUTO_ALLOW_WAYPOINT_POLICY === 'true',
        multiNetwork: features.AMBIENT_ENABLE_MULTI_NETWORK !== undefined ? String(features.AMBIENT_ENABLE_MULTI_NETWORK) === 'true' : networks.size > 1,
      },
    };
    scenario.clusters.forEach((c, index) => {
      const rng = this.sim.stream(`cluster/${c.name}`);
      this.clusters.set(
        c.name,
        new Cluster({
          name: c.name,
          network: c.network,
          index,
          nodes: c.nodes,
          ...(c.podSubnet ? { podSubnet: c.podSubnet } : {}),
          trustDomain: this.config.trustDomain,
          rootNamespace: this.config.rootNamespace,
          startTime: scenario.startTime,
          rng: rng.random,
        }),
      );
    });
    for (const a of scenario.apps) {
      this.overrides.set(`${a.workload.namespace}/${a.workload.name}`, { status: a.status, body: a.body, headers: a.headers, ports: a.ports, calls: a.calls });
    }
  }

  get now(): number {
    return this.sim.now;
  }

  cluster(name: string): Cluster {
    const c = this.clusters.get(name);
    if (!c) throw new Error(`unknown cluster ${name}`);
    return c;
  }

  /** Let every cluster's time-driven controllers catch up with the simulated clock. */
  settle(): void {
    for (const c of this.clusters.values()) c.advance(this.sim.now);
  }

  /** Each cluster's own view, before remote Services are merged in. */
  private baseView(name: string): MeshView {
    const c = this.cluster(name);
    const cached = this.bases.get(name);
    if (cached && cached.version === c.version) return cached;
    const view = buildMeshView({ name: c.name, network: c.network, objects: c, version: c.version }, this.config);
    this.bases.set(name, view);
    return view;
  }

  /** The view a cluster's istiod pushes: its own objects plus the other clusters' global Services. */
  private entry(cluster: string): ViewEntry {
    const cached = this.views.get(cluster);
    const stateSum = this.stateSum();
    if (cached && cached.stateSum === stateSum) return cached;
    const remotes = [...this.clusters.keys()].filter((n) => n !== cluster).map((n) => this.baseView(n));
    const view = mergeRemoteServices(this.baseView(cluster), remotes);
    // Made with its context field, so storing the first context does not change the entry's shape.
    const fresh: ViewEntry = { stateSum, view, engines: compileEngines(this.cluster(cluster), view), apps: new Map<string, App>(), ctx: undefined };
    this.views.set(cluster, fresh);
    return fresh;
  }

  /**
   * The sum of the clusters' state versions. A version only ever grows, so the sum stays the same
   * exactly while no cluster's state changes: one number to compare, nothing built per request.
   */
  private stateSum(): number {
    let sum = 0;
    for (const c of this.clusters.values()) sum += c.version;
    return sum;
  }

  private proxyStateOf(cluster: string): ProxyState {
    let s = this.proxyState.get(cluster);
    if (!s) this.proxyState.set(cluster, (s = { roundRobin: new Map(), outliers: new Map(), pools: new Map() }));
    return s;
  }

  view(cluster: string): MeshView {
    return this.entry(cluster).view;
  }

  dataplane(cluster: string, rng: () => number): DataplaneContext {
    const e = this.entry(cluster);
    // The requests of one step on one view share a context (its clock reads the simulation's).
    if (FAST_PATHS && e.ctx !== undefined && e.ctx.rng === rng) return e.ctx;
    const ctx: DataplaneContext = {
      peer: (other) => this.dataplane(other, rng),
      view: e.view,
      engines: e.engines,
      rng,
      clock: () => this.scenario.startTime + this.sim.now,
      lbState: this.proxyStateOf(cluster),
      appOf: (w: WorkloadInfo) => this.appIn(e, w),
    };
    e.ctx = ctx;
    return ctx;
  }

  /** The app a workload of `cluster` runs, as that cluster's current view has it. */
  appOf(cluster: string, w: WorkloadInfo): App {
    return this.appIn(this.entry(cluster), w);
  }

  private appIn(e: ViewEntry, w: WorkloadInfo): App {
    let app = e.apps.get(w.uid);
    if (!app) {
      const override = this.overrides.get(`${w.namespace}/${w.workloadName}`) ?? this.overrides.get(`${w.namespace}/${w.name}`);
      app = appFor(w.pod, { podName: w.name, namespace: w.namespace, podIp: w.ip, labels: w.labels }, override);
      e.apps.set(w.uid, app);
    }
    return app;
  }
}
