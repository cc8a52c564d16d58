/**
 * Data-path decisions: one endpoint choice, and one whole request decided hop by hop (ztunnel →
 * waypoint with authz and routes → ztunnel with authz → app), in a mesh of 100 namespaces with
 * 10-pod services, half of them behind a waypoint. Baseline: one kernel event (M/M/1), the
 * smallest unit of simulated work, measured in the same run.
 */
import { Simulation } from '../../sim';
import { pickEndpoint } from '../../src/dataplane/load-balance';
import { sendRequest } from '../../src/dataplane/request';
import { World } from '../../src/run';
import { applyInitialResources } from '../../src/run/config-steps';
import { loadScenarioText } from '../../src/scenario';
import { curl, echo, namespace, service, waypoint, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';
import { throughput, type BenchSuite } from './suite';

const NAMESPACES = 100;

function mesh(): World {
  const objects: object[] = [namespace('client', { 'istio.io/dataplane-mode': 'ambient' }), curl('client')];
  for (let i = 0; i < NAMESPACES; i++) {
    const ns = `ns-${i}`;
    const bound = i % 2 === 0;
    objects.push(
      namespace(ns, { 'istio.io/dataplane-mode': 'ambient', ...(bound ? { 'istio.io/use-waypoint': 'waypoint' } : {}) }),
      echo(ns, 'web', `web-${i}`, { replicas: 10 }),
      service(ns, 'web'),
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow', namespace: ns }, spec: { rules: [{ from: [{ source: { namespaces: ['client', ns] } }] }, { from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/waypoint`] } }] }] } },
    );
    if (bound) {
      objects.push(waypoint(ns), {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'web', namespace: ns },
        spec: { parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'web', port: 80 }] }, { backendRefs: [{ name: 'web', port: 80 }] }] },
      });
    }
  }
  const text = scenarioText({ manifests: yamlDocs(objects), clusters: [{ name: 'c1', nodes: Array.from({ length: 20 }, (_, i) => ({ name: `n-${i}`, region: 'r', zone: `z-${i % 3}` })) }], steps: [] });
  const loaded = loadScenarioText(text, 'bench.yaml');
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return new World(loaded.scenario, 1);
}

function mm1Events(n: number): number {
  const sim = new Simulation({ seed: 1 });
  const rng = sim.stream('a');
  let busy = false;
  let queue = 0;
  let left = n;
  const depart = (): void => {
    if (queue > 0) {
      queue--;
      sim.scheduleCall(-Math.log(1 - rng.next()), depart, null);
    } else busy = false;
  };
  const arrive = (): void => {
    if (busy) queue++;
    else {
      busy = true;
      sim.scheduleCall(-Math.log(1 - rng.next()), depart, null);
    }
    if (--left > 0) sim.scheduleCall(-Math.log(1 - rng.next()) / 0.9, arrive, null);
  };
  sim.scheduleCall(0, arrive, null);
  sim.run();
  return sim.eventsProcessed;
}

const suite: BenchSuite = {
  name: 'dataplane',
  async run() {
    const world = mesh();
    applyInitialResources(world);
    const view = world.view('c1');
    const rng = world.sim.stream('bench').random;
    const client = view.workloadsByOwner.get('client/curl')![0]!;
    const svc = view.serviceByHost.get('web.ns-1.svc.cluster.local')!;
    const ctx = world.dataplane('c1', rng);
    const N = 2000;
    const check = sendRequest(ctx, { client, dialHost: 'web.ns-0', port: 80, method: 'GET', path: '/api/x', headers: {} });
    if (check.status !== 200 || check.hops.length !== 5) throw new Error(`bench request did not go through the waypoint: ${check.outcome} ${check.status} ${check.error}`);
    const ops = await throughput([
      { name: 'kernel event', fn: () => mm1Events(20_000) },
      {
        name: 'endpoint choice',
        fn: () => {
          for (let i = 0; i < N; i++) pickEndpoint(svc, 80, client, rng);
          return N;
        },
      },
      {
        name: 'request via waypoint',
        fn: () => {
          for (let i = 0; i < N; i++) sendRequest(ctx, { client, dialHost: `web.ns-${(i % 50) * 2}`, port: 80, method: 'GET', path: '/api/x', headers: {} });
          return N;
        },
      },
      {
        name: 'request direct',
        fn: () => {
          for (let i = 0; i < N; i++) sendRequest(ctx, { client, dialHost: `web.ns-${(i % 50) * 2 + 1}`, port: 80, method: 'GET', path: '/', headers: {} });
          return N;
        },
      },
    ]);
    const ns = (name: string) => 1e9 / ops.get(name)!;
    const kernel = { name: 'kernel event (M/M/1)', value: ns('kernel event') };
    return [
      { name: 'endpoint choice (10 endpoints)', value: ns('endpoint choice'), unit: 'ns/op', baseline: kernel },
      { name: 'request decided hop by hop, 4 hops via waypoint', value: ns('request via waypoint'), unit: 'ns/request', baseline: kernel, note: 'authz at waypoint and ztunnel, route, 2 LB picks' },
      { name: 'request decided hop by hop, direct', value: ns('request direct'), unit: 'ns/request', baseline: kernel },
    ];
  },
};

export default suite;
