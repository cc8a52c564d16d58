// Sweeps end to end on worker threads: determinism whatever the worker count, merging, --set errors.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario';
import { runScenario } from '../../src/run';
import { parseSet, runSweep, type SetParam, type SweepResult } from '../../src/sweep';
import { curl, echo, namespace, service, waypoint, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

const TEXT = scenarioText({
  name: 'sweep-test',
  manifests: yamlDocs([
    namespace('client', AMBIENT),
    namespace('server', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }),
    curl('client'),
    echo('server', 'echo', 'ok'),
    service('server', 'echo'),
    waypoint('server'),
  ]),
  steps: [
    { name: 'load', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: 300, rate: '3000/s' }, expect: { status: 200 } },
    { name: 'missing', request: { from: 'client/curl', url: 'http://nothing.server.svc.cluster.local/', count: 3 } },
  ],
});

function params(...texts: string[]): SetParam[] {
  return texts.map((t) => {
    const p = parseSet(t);
    if (!p.ok) throw new Error(p.message);
    return p.value;
  });
}

async function sweep(workers: number, set: SetParam[], seeds = [1, 2, 3, 4, 5, 6], onProgress?: (done: number, total: number) => void): Promise<SweepResult> {
  const r = await runSweep({ file: 'sweep-test.yaml', text: TEXT, seeds, params: set, workers, onProgress });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.result;
}

describe('runSweep', () => {
  it('gives identical merged JSON on 1, 2 and 3 workers', async () => {
    const set = params('latency.proxies.waypoint.workers=1,4');
    const [one, two, three] = [await sweep(1, set), await sweep(2, set), await sweep(3, set)];
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(JSON.stringify(three)).toBe(JSON.stringify(one));
    expect(one.combinations.map((c) => c.label)).toEqual([['latency.proxies.waypoint.workers=1'], ['latency.proxies.waypoint.workers=4']]);
  });

  it('reports progress once per replication, ending at the total', async () => {
    const calls: [number, number][] = [];
    await sweep(2, params('latency.proxies.waypoint.workers=1,4'), [1, 2, 3], (done, total) => calls.push([done, total]));
    expect(calls).toEqual([1, 2, 3, 4, 5, 6].map((done) => [done, 6]));
  });

  it('merges each step over the seeds, in agreement with single runs', async () => {
    const seeds = [3, 9];
    const r = await sweep(2, [], seeds);
    const [load, missing] = r.combinations[0]!.steps;
    expect(load).toMatchObject({ name: 'load', runs: 2, passed: 2, requests: 600, statuses: { '200': 600 } });
    expect(load!.statusFractions!['200']).toEqual({ mean: 1, ci95: 0, n: 2 });
    expect(missing).toMatchObject({ requests: 6, outcomes: { 'dns-error': 6 } });
    const loaded = loadScenarioText(TEXT, 'sweep-test.yaml');
    const single = await Promise.all(seeds.map((seed) => runScenario(loaded.scenario!, { seed })));
    const p50s = single.map((s) => s.steps[0]!.summary!.latencyMs.p50);
    // Per-run p50s averaged: the sweep's mean of p50 is their mean (summaries round to µs).
    expect(load!.latencyMs!.p50.mean).toBeCloseTo((p50s[0]! + p50s[1]!) / 2, 2);
    expect(load!.pooledLatencyMs!.max).toBe(Math.max(...single.map((s) => s.steps[0]!.summary!.latencyMs.max)));
  });

  it('changes the result with the --set value (one waypoint worker queues more)', async () => {
    const r = await sweep(2, params('latency.proxies.waypoint.workers=1,8', 'steps.0.request.rate=9000/s'), [1, 2]);
    const [w1, w8] = r.combinations.map((c) => c.steps[0]!.latencyMs!.p99.mean);
    expect(w1!).toBeGreaterThan(w8!);
  });

  it.each([
    ['latency.proxies.waypoint.workers=abc', /^--set latency\.proxies\.waypoint\.workers=abc: sweep-test\.yaml:\d+:\d+: /],
    ['nope=1', /^--set nope=1: sweep-test\.yaml:\d+:\d+: unknown field "nope"/],
    ['seed.x=1', /^--set seed\.x=1: spec\.seed is a scalar/],
  ])('reports --set %s as an input error', async (set, message) => {
    const r = await runSweep({ file: 'sweep-test.yaml', text: TEXT, seeds: [1], params: params(set), workers: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(message);
  });
});
