// Everything a run plays on: the simulation kernel, one simulated API server per cluster, and the
// mesh view each cluster's istiod computes, rebuilt only when that cluster's state changed.
import { Simulation } from '../../sim';
import { appFor, type AppOverride } from '../apps/registry';
import type { App } from '../apps/types';
import { Cluster } from '../cluster';
import { DEFAULT_MESH_CONFIG, type MeshConfig } from '../control/config';
import { buildMeshView, type MeshView } from '../control/mesh-view';
import type { WorkloadInfo } from '../control/model';
import type { DataplaneContext } from '../dataplane/request';
import type { PolicyEngines } from '../dataplane/engines';
import type { Scenario } from '../scenario';
import { compileEngines } from '../dataplane/policy-engines';

export class World {
  readonly sim: Simulation;
  readonly clusters = new Map<string, Cluster>();
  readonly config: MeshConfig;
  private readonly views = new Map<string, { version: number; view: MeshView; engines: PolicyEngines; apps: Map<string, App>; lbState: Map<string, number> }>();
  private readonly overrides = new Map<string, AppOverride>();

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
          trustDomain: this.config.trustDomain,
          rootNamespace: this.config.rootNamespace,
          startTime: scenario.startTime,
          rng: rng.random,
        }),
      );
    });
    for (const a of scenario.apps) {
      this.overrides.set(`${a.workload.namespace}/${a.workload.name}`, { status: a.status, body: a.body, headers: a.headers, ports: a.ports });
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

  private entry(cluster: string) {
    const c = this.cluster(cluster);
    const cached = this.views.get(cluster);
    if (cached && cached.version === c.version) return cached;
    const view = buildMeshView({ name: c.name, network: c.network, objects: c, version: c.version }, this.config);
    const fresh = { version: c.version, view, engines: compileEngines(c, view), apps: new Map<string, App>(), lbState: new Map<string, number>() };
    this.views.set(cluster, fresh);
    return fresh;
  }

  view(cluster: string): MeshView {
    return this.entry(cluster).view;
  }

  dataplane(cluster: string, rng: () => number): DataplaneContext {
    const e = this.entry(cluster);
    return {
      view: e.view,
      engines: e.engines,
      rng,
      nowMs: this.scenario.startTime + this.sim.now,
      lbState: e.lbState,
      appOf: (w: WorkloadInfo) => {
        let app = e.apps.get(w.uid);
        if (!app) {
          const override = this.overrides.get(`${w.namespace}/${w.workloadName}`) ?? this.overrides.get(`${w.namespace}/${w.name}`);
          app = appFor(w.pod, { podName: w.name, namespace: w.namespace, podIp: w.ip, labels: w.labels }, override);
          e.apps.set(w.uid, app);
        }
        return app;
      },
    };
  }
}
