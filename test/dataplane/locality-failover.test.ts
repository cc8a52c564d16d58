// Locality failover at the waypoint (endpoint_builder.go, loadbalancer.go ApplyLocalityLoadBalancer):
// the mesh's default localityLbSetting is enabled, and with a DestinationRule's outlierDetection
// the waypoint's Envoy sends to the endpoints in its own region, zone and subzone first, and on to
// the next locality only when none there is healthy. Without outlier detection, or with the DR's
// `localityLbSetting.enabled: false`, every endpoint takes its share.
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/result/types';
import { curl, echo, namespace, service, waypoint, yamlDocs } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';

const CLUSTERS = [{ name: 'c1', nodes: [{ name: 'n-a', region: 'r1', zone: 'a' }, { name: 'n-b', region: 'r1', zone: 'b' }] }];

function dr(trafficPolicy: object): object {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'echo', namespace: 'server' }, spec: { host: 'echo.server.svc.cluster.local', trafficPolicy } };
}

const OUTLIERS = { outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '1m', maxEjectionPercent: 100 } };

function manifests(extra: object[], svc: object = service('server', 'echo', { selector: { tier: 'echo' } })): string {
  return yamlDocs([
    namespace('client', { 'istio.io/dataplane-mode': 'ambient' }),
    namespace('server', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' }),
    curl('client', 'curl', { node: 'n-a' }),
    echo('server', 'echo-a', 'zone a', { node: 'n-a', podLabels: { tier: 'echo' } }),
    echo('server', 'echo-b', 'zone b', { node: 'n-b', podLabels: { tier: 'echo' } }),
    svc,
    waypoint('server'),
    ...extra,
  ]);
}

/** The requests of one 40-request step, with `apps` overrides. */
async function play(extra: object[], apps?: object[], svc?: object): Promise<RequestRecord[]> {
  const result = await runParts({ clusters: CLUSTERS, manifests: manifests(extra, svc), ...(apps ? { apps } : {}), steps: [{ name: 'r', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: 40, rate: '100/s' } }] });
  expect(failuresOf(result)).toEqual([]);
  return (result.steps[0] as { requests: RequestRecord[] }).requests;
}

const zoneOf = (node: string | undefined) => (node === 'n-a' ? 'a' : 'b');
const waypointZone = (rs: RequestRecord[]) => zoneOf(rs[0]!.hops.find((h) => h.kind === 'waypoint')!.node);
const answers = (rs: RequestRecord[]) => new Set(rs.map((r) => r.body?.trim()));

describe('locality failover at the waypoint', () => {
  it('with outlier detection, the waypoint sends every request to the endpoint in its own zone', async () => {
    const rs = await play([dr(OUTLIERS)]);
    expect(answers(rs)).toEqual(new Set([`zone ${waypointZone(rs)}`]));
  });

  it('without outlier detection, both zones answer', async () => {
    expect(answers(await play([]))).toEqual(new Set(['zone a', 'zone b']));
    expect(answers(await play([dr({ loadBalancer: { simple: 'ROUND_ROBIN' } })]))).toEqual(new Set(['zone a', 'zone b']));
  });

  it('localityLbSetting enabled: false turns it off', async () => {
    expect(answers(await play([dr({ ...OUTLIERS, loadBalancer: { localityLbSetting: { enabled: false } } })]))).toEqual(new Set(['zone a', 'zone b']));
  });

  it("a DR's localityLbSetting enabled: false also turns off the Service's trafficDistribution at the waypoint", async () => {
    const preferClose = service('server', 'echo', { selector: { tier: 'echo' }, trafficDistribution: 'PreferClose' });
    const near = await play([], undefined, preferClose);
    expect(answers(near)).toEqual(new Set([`zone ${waypointZone(near)}`]));
    expect(answers(await play([dr({ loadBalancer: { localityLbSetting: { enabled: false } } })], undefined, preferClose))).toEqual(new Set(['zone a', 'zone b']));
  });

  it('once the local endpoint is ejected, traffic fails over to the other zone', async () => {
    const local = waypointZone(await play([dr(OUTLIERS)]));
    const other = local === 'a' ? 'b' : 'a';
    const rs = await play([dr(OUTLIERS)], [{ workload: `server/echo-${local}`, status: 503, body: 'down' }]);
    // The first request meets the failing local endpoint (and the mesh default retry goes elsewhere or fails);
    // after its ejection every request is answered by the other zone.
    expect(rs.slice(5).every((r) => r.status === 200 && r.body?.trim() === `zone ${other}`)).toBe(true);
  });
});
