// reference/ambient.md §3.4: ztunnel's endpoint selection — uniform by default, locality
// preference with trafficDistribution, node-local with internalTrafficPolicy: Local.
import { describe, expect, it } from 'vitest';
import { curl, echo, namespace, service, yamlDocs } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { AMBIENT } from './topology';

const clusters = [
  {
    name: 'cluster-1',
    network: 'network-1',
    nodes: [
      { name: 'node-a1', region: 'r1', zone: 'zone-a' },
      { name: 'node-a2', region: 'r1', zone: 'zone-a' },
      { name: 'node-b1', region: 'r1', zone: 'zone-b' },
    ],
  },
];

function topology(svcOpts: Parameters<typeof service>[2] = {}): string {
  return yamlDocs([
    namespace('client', AMBIENT),
    namespace('server', AMBIENT),
    curl('client', 'curl', { node: 'node-a1' }),
    echo('server', 'echo-a2', 'zone-a', { node: 'node-a2', labels: { app: 'echo' } }),
    echo('server', 'echo-b1', 'zone-b', { node: 'node-b1', labels: { app: 'echo' } }),
    service('server', 'echo', { selector: { app: 'echo' }, ...svcOpts }),
  ]);
}

const URL = 'http://echo.server.svc.cluster.local/';

describe('reference/ambient.md §3.4 endpoint selection', () => {
  it('default: uniform random over healthy endpoints', async () => {
    const result = await runParts({ clusters, manifests: topology(), steps: [{ name: 'spread', request: { from: 'client/curl', url: URL, count: 2000 } }] });
    const bodies = result.steps[0]!.summary!.backends;
    const counts = Object.values(bodies);
    expect(counts).toHaveLength(2);
    for (const c of counts) expect(c / 2000).toBeGreaterThan(0.45);
  });

  it('trafficDistribution PreferClose keeps traffic in the client zone while it has endpoints', async () => {
    const result = await runParts({
      clusters,
      manifests: topology({ trafficDistribution: 'PreferClose' }),
      steps: [{ name: 'close', request: { from: 'client/curl', url: URL, count: 200 }, expect: { status: 200, body: 'zone-a' } }],
    });
    expect(failuresOf(result)).toEqual([]);
  });

  it('the networking.istio.io/traffic-distribution annotation works like the field', async () => {
    const result = await runParts({
      clusters,
      manifests: topology({ annotations: { 'networking.istio.io/traffic-distribution': 'PreferClose' } }),
      steps: [{ name: 'close', request: { from: 'client/curl', url: URL, count: 100 }, expect: { body: 'zone-a' } }],
    });
    expect(failuresOf(result)).toEqual([]);
  });

  it('internalTrafficPolicy Local: only endpoints on the client node; none there → reset', async () => {
    const result = await runParts({
      clusters,
      manifests: topology({ internalTrafficPolicy: 'Local' }),
      steps: [{ name: 'local', request: { from: 'client/curl', url: URL }, expect: { outcome: 'reset' } }],
    });
    expect(failuresOf(result)).toEqual([]);
  });

  it('the same seed picks the same backends; another seed differs', async () => {
    const run = (seed: number) => runParts({ seed, clusters, manifests: topology(), steps: [{ name: 's', request: { from: 'client/curl', url: URL, count: 50 } }] });
    const seq = async (seed: number) => (await run(seed)).steps[0]!.requests!.map((r) => r.backend?.pod).join();
    expect(await seq(3)).toBe(await seq(3));
    expect(await seq(3)).not.toBe(await seq(4));
  });
});
