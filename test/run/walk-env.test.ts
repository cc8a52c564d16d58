// The hop code of a walk calls the same functions in every run and step: V8 keeps what it optimised
// in a process's first run (or a sweep worker's first replication) only if later runs call the same
// functions on objects of the same shapes.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/run';
import { latencyRuntime } from '../../src/run/latency';
import { loadScenarioText } from '../../src/scenario';
import { curl, echo, namespace, service, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';

function world(seed: number): World {
  const text = scenarioText({
    name: 'walk-env',
    manifests: yamlDocs([namespace('a', { 'istio.io/dataplane-mode': 'ambient' }), curl('a'), echo('a', 'echo', 'ok'), service('a', 'echo')]),
    steps: [{ name: 'one', request: { from: 'a/curl', url: 'http://echo.a.svc.cluster.local/' } }],
  });
  const loaded = loadScenarioText(text, 'walk-env.yaml');
  if (!loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  return new World(loaded.scenario, seed);
}

describe('walk environment', () => {
  it('is one class across runs and steps, whose plan and appTime are the same functions in every run', () => {
    const first = latencyRuntime(world(1)).env('step/one/latency');
    const again = latencyRuntime(world(2)).env('step/two/latency');
    expect(Object.getPrototypeOf(first)).not.toBe(Object.prototype);
    expect(Object.getPrototypeOf(again)).toBe(Object.getPrototypeOf(first));
    expect(again.plan).toBe(first.plan);
    expect(again.appTime).toBe(first.appTime);
  });

  it("draws from the step's own streams", () => {
    const w = world(1);
    const a = latencyRuntime(w).env('step/a/latency');
    const b = latencyRuntime(w).env('step/b/latency');
    expect(a.net).not.toBe(b.net);
    expect(a.net).toBe(w.sim.stream('step/a/latency/network'));
    expect(a.cpu).toBe(w.sim.stream('step/a/latency/proxies'));
    expect(a.app).toBe(w.sim.stream('step/a/latency/apps'));
  });
});
