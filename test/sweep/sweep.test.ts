// Sweeps end to end: determinism whatever the number of threads, merging, --set errors.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario';
import { runScenario } from '../../src/run';
import { parseSet, renderSweepText, runSweep, type SetParam, type SweepResult } from '../../src/sweep';
import { curl, echo, echoBehindWaypoint, namespace, service, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

const TEXT = scenarioText({
  name: 'sweep-test',
  manifests: echoBehindWaypoint(),
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

  it('names the seeds a step failed in and why the first did, as single runs of those seeds say', async () => {
    const text = scenarioText({
      name: 'sweep-failures',
      manifests: yamlDocs([
        namespace('app', AMBIENT),
        curl('app'),
        ...['a', 'b', 'c'].map((v) => echo('app', `web-${v}`, v, { labels: { tier: 'web' } })),
        service('app', 'web', { selector: { tier: 'web' } }),
      ]),
      steps: [
        // A tight share: some seeds' 30 requests land outside it, some inside.
        { name: 'spread', request: { from: 'app/curl', url: 'http://web.app/', count: 30 }, expect: { backends: { 'app/web-a': '0.33±0.06' } } },
        { name: 'script', run: 'exit 3' },
      ],
    });
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const r = await runSweep({ file: 'sweep-failures.yaml', text, seeds, params: [], workers: 2 });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const [spread, script] = r.result.combinations[0]!.steps;
    const loaded = loadScenarioText(text, 'sweep-failures.yaml');
    const single = await Promise.all(seeds.map((seed) => runScenario(loaded.scenario!, { seed })));
    const failing = seeds.filter((_, i) => !single[i]!.steps[0]!.passed);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.length).toBeLessThan(seeds.length);
    expect(spread!.failedSeeds).toEqual(failing);
    expect(spread!.firstFailure).toEqual({ seed: failing[0], message: single[seeds.indexOf(failing[0]!)]!.steps[0]!.failures[0] });
    expect(script!.failedSeeds).toEqual(seeds);
    expect(script!.firstFailure!.message).toMatch(/^exit code 3, expected 0/);
    expect(renderSweepText(r.result)).toContain(`    failed   seeds ${failing.join(', ')}; seed ${failing[0]}: backends `);
  });

  describe('run: steps', () => {
    // The waypoint exists only once the script has applied it: the request step after it goes
    // through it when the script ran, and misses it (failing its expectation) when it did not.
    const SCRIPTED = scenarioText({
      name: 'sweep-run-steps',
      manifests: yamlDocs([namespace('app', AMBIENT), curl('app'), echo('app', 'web', 'hi'), service('app', 'web')]),
      steps: [
        { name: 'enroll', run: 'istioctl waypoint apply -n app --enroll-namespace --wait', expect: { stdoutContains: ['waypoint app/waypoint applied'] } },
        { name: 'through it', request: { from: 'app/curl', url: 'http://web.app/', count: 40, rate: '400/s' }, expect: { via: ['ztunnel', 'waypoint', 'ztunnel'] } },
        { name: 'curl in a script', run: 'for i in 1 2 3; do kubectl exec -n app deploy/curl -- curl -s -o /dev/null -w "%{http_code}\\n" http://web.app/; done', expect: { stdout: '200\n200\n200' } },
      ],
    });
    const scripted = async (workers: number, exec?: boolean): Promise<SweepResult> => {
      const r = await runSweep({ file: 'sweep-run-steps.yaml', text: SCRIPTED, seeds: [1, 2, 3], params: [], workers, exec });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      return r.result;
    };

    it('are executed in every replication, as run executes them, the same on 1 and 2 workers', async () => {
      const [one, two] = [await scripted(1), await scripted(2)];
      expect(JSON.stringify(two)).toBe(JSON.stringify(one));
      expect(one.passed).toBe(true);
      const [enroll, through, script] = one.combinations[0]!.steps;
      expect(enroll).toMatchObject({ type: 'run', runs: 3, passed: 3 });
      expect(enroll!.skipped).toBeUndefined();
      expect(through).toMatchObject({ runs: 3, passed: 3, requests: 120 });
      // The requests a script's curl sent merge like a request step's.
      expect(script).toMatchObject({ type: 'run', passed: 3, requests: 9, statuses: { '200': 9 } });
      expect(script!.latencyMs!.p50.n).toBe(3);
      expect(renderSweepText(one)).toContain('  curl in a script [run]: 3/3 passed, 9 requests\n    status   200 100% ± 0%');
    });

    // A script that creates the client of a later request step: each thread's warm-up run skips
    // scripts, so it meets a request from a workload with no pod, which must stop nothing.
    const CLIENT_BY_SCRIPT = scenarioText({
      name: 'sweep-client-by-script',
      manifests: yamlDocs([namespace('app', AMBIENT), echo('app', 'web', 'hi'), service('app', 'web')]),
      steps: [
        { name: 'client', run: `kubectl apply -f - <<'YAML'\n${yamlDocs([curl('app')])}YAML\nkubectl rollout status deploy/curl -n app\n` },
        { name: 'call', request: { from: 'app/curl', url: 'http://web.app/', count: 20 }, expect: { status: 200 } },
      ],
    });

    it('run when they create a later request step’s client, which the threads’ warm-up runs lack', async () => {
      const r = await runSweep({ file: 'client-by-script.yaml', text: CLIENT_BY_SCRIPT, seeds: [1, 2, 3], params: [], workers: 2 });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.result.passed).toBe(true);
      expect(r.result.combinations[0]!.steps[1]).toMatchObject({ name: 'call', passed: 3, requests: 60 });
    });

    it('left out, give the request step’s problem at its line, as meshsim run --no-exec does, not an internal error', async () => {
      const r = await runSweep({ file: 'client-by-script.yaml', text: CLIENT_BY_SCRIPT, seeds: [1, 2, 3], params: params('latency.proxies.ztunnel.workers=1,2'), workers: 2, exec: false });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors).toHaveLength(2);
        for (const [i, e] of r.errors.entries()) {
          expect(e).toMatch(new RegExp(`^--set latency\\.proxies\\.ztunnel\\.workers=${i + 1}: client-by-script\\.yaml:\\d+:\\d+: request from "app/curl": no Deployment, StatefulSet, DaemonSet or Pod of that name has a running pod`));
        }
      }
    });

    it('are skipped with exec off, and the steps after them miss what they change', async () => {
      const r = await scripted(2, false);
      expect(r.passed).toBe(false);
      const [enroll, through] = r.combinations[0]!.steps;
      expect(enroll).toMatchObject({ skipped: true, passed: 3 });
      expect(through).toMatchObject({ passed: 0 });
      expect(renderSweepText(r)).toContain('  enroll [run]: skipped (--no-exec) — what the script changes is missing from the steps after it');
    });
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
