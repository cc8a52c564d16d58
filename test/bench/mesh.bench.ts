/**
 * Mesh throughput: simulated requests per second through a 4-hop ambient path (client → ztunnel →
 * waypoint → ztunnel → app) with the latency model on (every proxy pass queued at its station,
 * every leg sampled), beside the kernel's M/M/1 events/s as the machine's baseline.
 * Budget (DESIGN.md): ≥ 250 k simulated requests/s.
 */
import { Simulation, Station, type Rng } from '../../sim';
import { World } from '../../src/run';
import { applyInitialResources } from '../../src/run/config-steps';
import { runRequestStep } from '../../src/run/request-step';
import type { RequestStep } from '../../src/scenario';
import { loadScenarioText } from '../../src/scenario';
import { curl, echo, namespace, service, waypoint, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';
import { throughput, type BenchRow, type BenchSuite } from './suite';

const REQUESTS = 20_000;
const CUSTOMERS = 100_000;
const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

function meshWorld(): { world: World; step: RequestStep } {
  const text = scenarioText({
    name: 'mesh-bench',
    manifests: yamlDocs([
      namespace('client', AMBIENT),
      namespace('server', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }),
      curl('client', 'curl', { node: 'node-1' }),
      echo('server', 'echo', 'ok', { node: 'node-2' }),
      service('server', 'echo'),
      waypoint('server'),
    ]),
    steps: [{ name: 'load', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: REQUESTS, rate: '2000/s' }, expect: { via: ['ztunnel', 'waypoint', 'ztunnel'] } }],
  });
  const loaded = loadScenarioText(text, 'mesh-bench.yaml');
  if (!loaded.scenario) throw new Error('bench scenario did not load');
  const world = new World(loaded.scenario, 1);
  applyInitialResources(world);
  return { world, step: loaded.scenario.steps[0] as RequestStep };
}

function meshRequests(m: { world: World; step: RequestStep }): number {
  const r = runRequestStep(m.world, m.step);
  if (!r.passed) throw new Error(`bench step failed: ${r.failures.join('; ')}`);
  return r.summary!.count;
}

const exp = (rng: Rng, mean: number): number => -mean * Math.log(1 - rng.next());

/** M/M/1 (λ 0.9, μ 1) on sim's Station with scheduleCall: the kernel's events/s on this machine. */
function mm1(): number {
  const sim = new Simulation({ seed: 1 });
  const station = new Station(sim, { name: 'q' });
  const rng = sim.stream('mm1');
  const state = { arrived: 0 };
  const done = (): void => {};
  const arrive = (s: typeof state): void => {
    station.requestCall(exp(rng, 1), done, undefined);
    if (++s.arrived < CUSTOMERS) sim.scheduleCall(exp(rng, 1 / 0.9), arrive, s);
  };
  sim.scheduleCall(exp(rng, 1 / 0.9), arrive, state);
  sim.run();
  return sim.eventsProcessed;
}

const suite: BenchSuite = {
  name: 'mesh',
  async run(): Promise<BenchRow[]> {
    const mesh = meshWorld();
    const ops = await throughput([
      { name: 'mesh', fn: () => meshRequests(mesh) },
      { name: 'mm1', fn: mm1 },
    ]);
    const rps = ops.get('mesh') ?? 0;
    return [
      {
        name: '4-hop requests/s, latency model on',
        value: rps,
        unit: 'requests/s',
        baseline: { name: 'kernel M/M/1 events/s (Station + scheduleCall)', value: ops.get('mm1') ?? 0 },
        target: '≥ 250 k/s',
        met: rps >= 250_000,
        note: `${REQUESTS} requests per iteration at 2000/s open loop; data-plane decisions, authz and routing at every hop, station queueing at 4 proxy passes`,
      },
    ];
  },
};

export default suite;
