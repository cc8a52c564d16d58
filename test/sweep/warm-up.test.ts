// A sweep thread plays a short warm-up run of its scenario before its first replication, so V8
// optimizes the request path with feedback from the branches a World takes once. The warm-up is
// cut short, never runs scripts, stays away from large meshes and leaves no trace in the results.
import { describe, expect, it } from 'vitest';
import { loadScenarioText, type RequestStep, type Scenario, type Step } from '../../src/scenario';
import { runSweep } from '../../src/sweep';
import { replicate } from '../../src/sweep/replicate';
import { WARM_UP_MAX_OBJECTS, WARM_UP_REQUESTS, warmUp, warmUpScenario, worldObjects } from '../../src/sweep/warm-up';
import { curl, echoBehindWaypoint, namespace, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';

const URL = 'http://echo.server.svc.cluster.local/';

function load(text: string): Scenario {
  const loaded = loadScenarioText(text, 'warm-up.yaml');
  if (!loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.scenario;
}

const TEXT = scenarioText({
  name: 'warm-up',
  manifests: echoBehindWaypoint(),
  steps: [
    { name: 'many', request: { from: 'client/curl', url: URL, count: 5_000, rate: '2000/s' } },
    { name: 'one', request: { from: 'client/curl', url: URL } },
    { name: 'wait', wait: '2s' },
    { name: 'timed', request: { from: 'client/curl', url: URL, rate: '100/s', duration: '30s' } },
    { name: 'both', parallel: [{ name: 'few', request: { from: 'client/curl', url: URL, count: 20 } }, { name: 'more', request: { from: 'client/curl', url: URL, count: 900 } }] },
    { name: 'script', run: 'touch should-not-exist' },
  ],
});

const counts = (steps: readonly Step[]): unknown[] =>
  steps.map((s) => (s.type === 'parallel' ? counts(s.steps) : s.type === 'request' ? (s as RequestStep).count : s.type));

describe('the warm-up run', () => {
  it(`cuts every request step to ${WARM_UP_REQUESTS} requests, a duration-only step too, and leaves the other steps as they are`, () => {
    const s = load(TEXT);
    expect(counts(warmUpScenario(s).steps)).toEqual([WARM_UP_REQUESTS, 1, 'wait', WARM_UP_REQUESTS, [20, WARM_UP_REQUESTS], 'run']);
    // The scenario itself is not touched.
    expect(counts(s.steps)).toEqual([5_000, 1, 'wait', undefined, [20, 900], 'run']);
  });

  it('keeps where each shortened step came from, so a problem it meets points at the user’s file', () => {
    const s = load(TEXT);
    const short = warmUpScenario(s).steps;
    for (const i of [0, 3]) {
      expect(short[i]!.pos).toEqual(s.steps[i]!.pos);
      expect(short[i]!.at(['request', 'url'])).toEqual(s.steps[i]!.at(['request', 'url']));
    }
    const group = short[4]!;
    if (group.type !== 'parallel') throw new Error('not the parallel step');
    expect(group.steps[1]!.at(['request', 'count'])).toEqual((s.steps[4] as typeof group).steps[1]!.at(['request', 'count']));
    expect(group.at(['parallel'])).toEqual(s.steps[4]!.at(['parallel']));
  });

  it('counts a World as its resources in every cluster they go to plus the pods their replicas ask for', () => {
    const replicated = (n: number): string => yamlDocs([namespace('client', { 'istio.io/dataplane-mode': 'ambient' }), curl('client', 'curl', { replicas: n })]);
    const small = load(scenarioText({ manifests: replicated(1), steps: [] }));
    expect(worldObjects(small)).toBe(small.resources.length + 1);
    const large = load(scenarioText({ manifests: replicated(WARM_UP_MAX_OBJECTS), steps: [] }));
    expect(worldObjects(large)).toBeGreaterThan(WARM_UP_MAX_OBJECTS);
  });

  it('changes nothing a replication reports, in the same thread', async () => {
    const s = load(TEXT);
    const before = await replicate(s, 0, 7, false);
    await warmUp(s);
    expect(await replicate(s, 0, 7, false)).toEqual(before);
  });

  it('leaves a sweep’s merged results byte for byte as they are without it', async () => {
    const text = scenarioText({ name: 'warm-up-sweep', manifests: echoBehindWaypoint(), steps: [{ name: 'load', request: { from: 'client/curl', url: URL, count: 400, rate: '2000/s' } }] });
    const sweep = async (warm: boolean): Promise<string> => {
      const r = await runSweep({ file: 'warm-up-sweep.yaml', text, seeds: [1, 2, 3, 4], params: [], workers: 2, warmUp: warm });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      return JSON.stringify(r.result);
    };
    expect(await sweep(true)).toBe(await sweep(false));
  });
});
