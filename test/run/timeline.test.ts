// Steps on one clock: parallel groups overlap, config changes reach the proxies after the
// propagation delay, HBONE connections are pooled, and a run is a function of its seed.
import { describe, expect, it } from 'vitest';
import type { RequestRecord, RunResult } from '../../src/result/types';
import { curl, echo, namespace, service, yamlDocs } from '../helpers/manifests';
import { failuresOf } from '../helpers/run-scenario';
import { CLUSTERS, COMMON, side, URL as MC_URL } from '../multicluster/topology';
import { runWithLatency, type LatencyParts } from './support';

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };
const URL = 'http://echo.server.svc.cluster.local/';
const MANIFESTS = yamlDocs([namespace('client', AMBIENT), namespace('server', AMBIENT), curl('client', 'curl', { node: 'node-1' }), echo('server', 'echo', 'hello', { node: 'node-2' }), service('server', 'echo')]);
const ALLOW_NOTHING = yamlDocs([{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'server' }, spec: {} }]);

function run(steps: object[], more: Partial<LatencyParts> = {}): Promise<RunResult> {
  return runWithLatency({ manifests: MANIFESTS, steps, ...more });
}

/** A load step and, 300 ms into it, an allow-nothing policy for the server. */
function denyUnderLoad(count: number, propagation?: string): Promise<RunResult> {
  return run(
    [
      {
        name: 'deny under load',
        parallel: [
          { name: 'load', request: { from: 'client/curl', url: URL, count, rate: '1000/s', arrival: 'constant' }, expect: { status: 200 } },
          { name: 'settle', wait: '300ms' },
          { name: 'deny', apply: { inline: ALLOW_NOTHING } },
        ],
      },
    ],
    propagation === undefined ? {} : { latency: { propagation } },
  );
}

function firstChange(records: RequestRecord[]): number {
  return records.find((r) => r.outcome !== 'response')!.startMs;
}

describe('parallel steps share the clock', () => {
  it('two request steps in a parallel group overlap and the group ends when both have', async () => {
    const result = await run([
      {
        name: 'both',
        parallel: [
          { name: 'load', request: { from: 'client/curl', url: URL, count: 200, rate: '100/s' } },
          { name: 'probe', request: { from: 'client/curl', url: URL, count: 20, rate: '10/s' } },
        ],
      },
      { name: 'after', request: { from: 'client/curl', url: URL } },
    ]);
    expect(failuresOf(result)).toEqual([]);
    const [load, probe] = result.steps[0]!.steps!;
    expect(load!.startMs).toBe(0);
    expect(probe!.startMs).toBe(0);
    expect(probe!.requests!.at(-1)!.startMs).toBeGreaterThan(load!.requests![0]!.startMs);
    expect(probe!.requests!.at(-1)!.startMs).toBeLessThan(load!.requests!.at(-1)!.startMs);
    expect(result.steps[0]!.endMs).toBe(Math.max(load!.endMs!, probe!.endMs!));
    expect(result.steps[1]!.startMs).toBe(result.steps[0]!.endMs);
  });

  it('wait steps advance the clock', async () => {
    const result = await run([{ name: 'wait', wait: '2s' }, { name: 'r', request: { from: 'client/curl', url: URL } }]);
    expect(result.steps[1]!.requests![0]!.startMs).toBe(2000);
  });
});

describe('config changes in flight', () => {
  const rows: { propagation?: string; switchAt: number }[] = [
    { switchAt: 400 }, // applied at 300 ms; istiod's default push delay 100 ms
    { propagation: '250ms', switchAt: 550 },
    { propagation: '0', switchAt: 301 }, // the arrival at exactly 300 ms ran before the apply in that instant
  ];
  it.each(rows)('requests started before the change reaches the proxies see the old view (propagation $propagation)', async ({ propagation, switchAt }) => {
    const result = await denyUnderLoad(1000, propagation);
    const load = result.steps[0]!.steps![0]!;
    expect(firstChange(load.requests!)).toBe(switchAt);
    expect(load.failures[0]).toMatch(/^status: expected 200 for every request; \d+\/1000 differ/);
    for (const r of load.requests!) expect(r.outcome === 'response').toBe(r.startMs < switchAt);
  });

  it('expectations hold over every request, not only the records kept', async () => {
    const result = await run([
      {
        name: 'late deny',
        parallel: [
          { name: 'load', request: { from: 'client/curl', url: URL, count: 2000, rate: '1000/s', arrival: 'constant' }, expect: { status: 200 } },
          { name: 'settle', wait: '1500ms' },
          { name: 'deny', apply: { inline: ALLOW_NOTHING } },
        ],
      },
    ]);
    const load = result.steps[0]!.steps![0]!;
    expect(load.sampled).toBe(true);
    expect(load.requests!.every((r) => r.status === 200)).toBe(true);
    expect(load.failures.join('\n')).toMatch(/^status: expected 200 for every request; 400\/2000 differ, e.g. request 1601 got reset/);
  });
});

describe('HBONE connection pooling', () => {
  const hbone = (idleTimeout: string) => ({ latency: { hbone: { setup: { p50: '5ms', p99: '5ms' }, idleTimeout } } });
  it('the first request between two identities pays the handshake; the next reuses the connection', async () => {
    const result = await run([{ name: 'two', request: { from: 'client/curl', url: URL, count: 2 } }], hbone('5m'));
    const [first, second] = result.steps[0]!.requests!;
    expect(first!.latencyMs).toBeGreaterThan(5);
    expect(second!.latencyMs).toBeLessThan(5);
  });

  it('a connection idle longer than the idle timeout is opened again', async () => {
    const result = await run(
      [
        { name: 'one', request: { from: 'client/curl', url: URL } },
        { name: 'idle', wait: '2s' },
        { name: 'again', request: { from: 'client/curl', url: URL } },
      ],
      hbone('1s'),
    );
    expect(result.steps[2]!.requests![0]!.latencyMs).toBeGreaterThan(5);
  });
});

describe('double HBONE through an east-west gateway', () => {
  // ztunnel outbound.rs proxy_to_double_hbone: the outer tunnel to the gateway is pooled, the inner
  // one is opened per client connection (outer stream and the gateway's connect on, inner TLS,
  // inner CONNECT): three round trips of the whole path the first time, none once it is open.
  it("the first cross-network request opens the inner tunnel, three round trips of the path; the next reuses it", async () => {
    const result = await runWithLatency({
      clusters: CLUSTERS,
      manifests: COMMON,
      resources: [side('cluster1', 'network1', { replicas: 0 }), side('cluster2', 'network2')],
      latency: { regions: { 'us-east1/us-west1': { p50: '40ms', p99: '40ms' } }, hbone: { setup: { p50: '0.1ms', p99: '0.1ms' } } },
      steps: [{ name: 'calls', request: { from: 'finance/curl', url: MC_URL, count: 3 }, expect: { body: 'accounts-cluster2' } }],
    });
    expect(failuresOf(result)).toEqual([]);
    const [first, second, third] = result.steps[0]!.requests!.map((r) => r.latencyMs!);
    // A call crosses the regions once each way (40 ms); the first also opens the inner tunnel (3 × 40 ms).
    expect(second).toBeGreaterThan(40);
    expect(second).toBeLessThan(50);
    expect(third).toBeCloseTo(second!, 0);
    expect(first! - second!).toBeGreaterThan(115);
    expect(first! - second!).toBeLessThan(135);
  });
});

describe('determinism', () => {
  const load = [{ name: 'load', request: { from: 'client/curl', url: URL, count: 300, rate: '500/s' } }];
  it('the same seed gives identical JSON; another seed does not', async () => {
    const a = JSON.stringify(await run(load, { seed: 7 }));
    const b = JSON.stringify(await run(load, { seed: 7 }));
    const c = JSON.stringify(await run(load, { seed: 8 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});
