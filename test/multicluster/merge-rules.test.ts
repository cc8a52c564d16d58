// reference/ambient.md §5: multi-network ambient — which remote endpoints a client sees, how
// they are weighted, and the double-HBONE path through the remote east-west gateway.
import { describe, expect, it } from 'vitest';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { CLUSTERS, COMMON, eastWestGateway, side, URL, type Side } from './topology';

function run(c1: Side, c2: Side, steps: object[]) {
  return runParts({ clusters: CLUSTERS, manifests: COMMON, resources: [side('cluster1', 'network1', c1), side('cluster2', 'network2', c2)], steps });
}

const many = (expect: object, count = 2000) => [{ name: 'traffic', request: { from: 'finance/curl', url: URL, count }, expect }];

describe('reference/ambient.md §5 merge rules', () => {
  it('global in both clusters: endpoints of both are used, the remote one through its east-west gateway', async () => {
    const r = await run({}, {}, many({ status: 200, backends: { 'cluster:cluster1': '0.5±0.04', 'cluster:cluster2': '0.5±0.04' } }));
    expect(failuresOf(r)).toEqual([]);
    const remote = r.steps[0]!.requests!.find((x) => x.backend?.cluster === 'cluster2')!;
    expect(remote.hops.map((h) => h.kind)).toEqual(['pod', 'ztunnel', 'eastwest-gateway', 'ztunnel', 'pod']);
    expect(remote.body).toBe('accounts-cluster2\n');
  });

  it('a remote copy that is not global is dropped', async () => {
    const r = await run({}, { global: false }, many({ backends: { 'cluster:cluster1': '1' } }, 200));
    expect(failuresOf(r)).toEqual([]);
  });

  it('the local copy must be global: otherwise nothing is merged', async () => {
    const r = await run({ global: false }, {}, many({ backends: { 'cluster:cluster1': '1' } }, 200));
    expect(failuresOf(r)).toEqual([]);
  });

  it('a remote network without an east-west gateway contributes nothing', async () => {
    const r = await run({}, { eastWest: false }, many({ backends: { 'cluster:cluster1': '1' } }, 200));
    expect(failuresOf(r)).toEqual([]);
  });

  // networks.go remoteK8sGatewayToNetworkGateways: the network label names the network, and the
  // HBONE listener must terminate TLS; otherwise istiod has no gateway for that network.
  it.each([
    { why: 'no topology.istio.io/network label', gw: { ...eastWestGateway('network2'), metadata: { name: 'istio-eastwestgateway', namespace: 'istio-system' } } },
    { why: 'the label names another network', gw: eastWestGateway('network9') },
    { why: 'its HBONE listener does not terminate TLS', gw: { ...eastWestGateway('network2'), spec: { gatewayClassName: 'istio-east-west', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] } } },
  ])('an east-west gateway istiod does not accept ($why): the remote network contributes nothing', async ({ gw }) => {
    const r = await run({}, { eastWest: false, extra: [gw] }, many({ backends: { 'cluster:cluster1': '1' } }, 200));
    expect(failuresOf(r)).toEqual([]);
  });

  it('split-horizon weight: 1 local + 3 remote endpoints sends about 75% remote', async () => {
    const r = await run({}, { replicas: 3 }, many({ backends: { 'cluster:cluster2': '0.75±0.03' } }));
    expect(failuresOf(r)).toEqual([]);
  });

  it('PreferClose: the local healthy endpoint always wins (0% remote)', async () => {
    const r = await run({ trafficDistribution: 'PreferClose' }, { replicas: 3, trafficDistribution: 'PreferClose' }, many({ backends: { 'cluster:cluster1': '1' } }, 500));
    expect(failuresOf(r)).toEqual([]);
  });

  it('failover: when the local endpoints go away, PreferClose sends everything remote', async () => {
    const r = await runParts({
      clusters: CLUSTERS,
      manifests: COMMON,
      resources: [side('cluster1', 'network1', { trafficDistribution: 'PreferClose' }), side('cluster2', 'network2', { replicas: 3, trafficDistribution: 'PreferClose' })],
      steps: [
        { name: 'local first', request: { from: 'finance/curl', url: URL, count: 100 }, expect: { backends: { 'cluster:cluster1': '1' } } },
        { name: 'local gone', delete: { cluster: 'cluster1', kind: 'Deployment', namespace: 'accounts', name: 'accounts' } },
        { name: 'failover', request: { from: 'finance/curl', url: URL, count: 100 }, expect: { status: 200, backends: { 'cluster:cluster2': '1' }, via: ['ztunnel', 'eastwest-gateway', 'ztunnel'] } },
      ],
    });
    expect(failuresOf(r)).toEqual([]);
  });
});
