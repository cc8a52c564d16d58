// Locality failover at the waypoint (endpoint_builder.go, loadbalancer.go ApplyLocalityLoadBalancer):
// the mesh's default localityLbSetting is enabled, and with a DestinationRule's outlierDetection
// the waypoint's Envoy sends to the endpoints in its own region, zone and subzone first, and on to
// the next locality as the closest one's healthy share drops below ~71% (Envoy's priority load, with
// its 140% overprovisioning). Without outlier detection, or with the DR's
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

/** The requests of one step (40 by default), with `apps` overrides. */
async function play(extra: object[], apps?: object[], svc?: object, count = 40, echoes?: object[]): Promise<RequestRecord[]> {
  const result = await runParts({
    clusters: CLUSTERS,
    manifests: echoes ? manifestsWith(echoes, extra) : manifests(extra, svc),
    ...(apps ? { apps } : {}),
    steps: [{ name: 'r', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count, rate: '100/s' } }],
  });
  expect(failuresOf(result)).toEqual([]);
  return (result.steps[0] as { requests: RequestRecord[] }).requests;
}

/** Two echo Deployments per zone behind one Service: two hosts in each locality priority. */
const TWO_PER_ZONE = ['a', 'b'].flatMap((z) => [1, 2].map((i) => echo('server', `echo-${z}${i}`, `${z}${i}`, { node: `n-${z}`, podLabels: { tier: 'echo' } })));

function manifestsWith(echoes: object[], extra: object[]): string {
  return yamlDocs([
    namespace('client', { 'istio.io/dataplane-mode': 'ambient' }),
    namespace('server', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' }),
    curl('client', 'curl', { node: 'n-a' }),
    ...echoes,
    service('server', 'echo', { selector: { tier: 'echo' } }),
    waypoint('server'),
    ...extra,
  ]);
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

  it('with half its hosts ejected, the closest priority keeps 70% of the requests and spills 30% to the next', async () => {
    const local = waypointZone(await play([dr(OUTLIERS)], undefined, undefined, 40, TWO_PER_ZONE));
    const other = local === 'a' ? 'b' : 'a';
    const rs = await play([dr(OUTLIERS)], [{ workload: `server/echo-${local}1`, status: 503, body: 'down' }], undefined, 400, TWO_PER_ZONE);
    // Once the failing host is ejected, one healthy host of two scores 70: P=0 takes 70%, P=1 30%.
    const after = rs.slice(20);
    const share = (body: string) => after.filter((r) => r.body?.trim() === body).length / after.length;
    expect(after.every((r) => r.status === 200)).toBe(true);
    expect(share(`${local}2`)).toBeGreaterThan(0.6);
    expect(share(`${local}2`)).toBeLessThan(0.8);
    expect(share(`${other}1`) + share(`${other}2`)).toBeCloseTo(1 - share(`${local}2`), 10);
    const lb = after[0]!.decisions.find((d) => d.kind === 'load-balance')!;
    expect(lb.reason).toMatch(/in locality priority [01] \(priority load 70\/30%\)$/);
  });

  it("with outlierDetection.minHealthPercent, a priority below it panics and sends to its ejected hosts too", async () => {
    const local = waypointZone(await play([dr(OUTLIERS)], undefined, undefined, 40, TWO_PER_ZONE));
    const other = local === 'a' ? 'b' : 'a';
    // Both local hosts and one remote host fail and get ejected: scores 0 and 70, a normalized total under 100.
    const failing = [`${local}1`, `${local}2`, `${other}1`].map((n) => ({ workload: `server/echo-${n}`, status: 503, body: 'down' }));
    const panicking = dr({ outlierDetection: { ...OUTLIERS.outlierDetection, minHealthPercent: 60 } });
    const bodies = (rs: RequestRecord[]) => new Set(rs.slice(40).map((r) => r.body?.trim()));
    // Without a threshold P=1's healthy host takes every request; at 60% both levels panic and every host is used.
    expect(bodies(await play([dr(OUTLIERS)], failing, undefined, 200, TWO_PER_ZONE))).toEqual(new Set([`${other}2`]));
    expect(bodies(await play([panicking], failing, undefined, 200, TWO_PER_ZONE))).toEqual(new Set(['down', `${other}2`]));
  });

  it('distribute weighs the localities from the first rule whose from matches the waypoint, and drops the ones no to names', async () => {
    const distribute = (to: Record<string, number>) => dr({ loadBalancer: { localityLbSetting: { distribute: [{ from: 'r2/*', to: { 'r1/a': 100 } }, { from: 'r1/*', to }] } } });
    const rs = await play([distribute({ 'r1/a': 20, 'r1/b': 80 })], undefined, undefined, 400);
    const share = rs.filter((r) => r.body?.trim() === 'zone b').length / rs.length;
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.88);
    expect(rs.every((r) => r.status === 200)).toBe(true);
    const lb = rs.find((r) => r.body?.trim() === 'zone b')!.decisions.find((d) => d.kind === 'load-balance')!;
    expect(lb.reason).toBe('1 candidate endpoint(s) of server/echo in locality r1/b (80% of the locality weight)');
    expect(answers(await play([distribute({ 'r1/b': 100 })]))).toEqual(new Set(['zone b']));
  });

  it("a failover rule from the waypoint's region sends to its `to` region before any other region", async () => {
    const clusters = [{ name: 'c1', nodes: ['a', 'x', 'y'].map((r) => ({ name: `n-${r}`, region: `r-${r}`, zone: 'z' })) }];
    const echoes = ['a', 'x', 'y'].map((r) => echo('server', `echo-${r}`, `region ${r}`, { node: `n-${r}`, podLabels: { tier: 'echo' } }));
    const play3 = async (policy: object, apps: object[] = []) => {
      const result = await runParts({ clusters, manifests: manifestsWith(echoes, [dr(policy)]), apps, steps: [{ name: 'r', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: 200, rate: '100/s' } }] });
      return (result.steps[0] as { requests: RequestRecord[] }).requests;
    };
    const first = await play3(OUTLIERS);
    const local = first[0]!.hops.find((h) => h.kind === 'waypoint')!.node!.slice(2);
    const [to, third] = ['a', 'x', 'y'].filter((r) => r !== local);
    const down = [{ workload: `server/echo-${local}`, status: 503, body: 'down' }];
    const bodies = (rs: RequestRecord[]) => new Set(rs.slice(5).map((r) => r.body?.trim()));
    // Without a rule both other regions are the next priority; with one, the third region waits behind `to`.
    expect(bodies(await play3(OUTLIERS, down))).toEqual(new Set([`region ${to}`, `region ${third}`]));
    const rule = { ...OUTLIERS, loadBalancer: { localityLbSetting: { failover: [{ from: `r-${local}`, to: `r-${to}` }] } } };
    expect(bodies(await play3(rule, down))).toEqual(new Set([`region ${to}`]));
  });

  // cluster_traffic_policy.go applyLocalityLoadBalancer sets LocalityWeightedLbConfig once failover
  // or failoverPriority is written out; Envoy then weighs a priority's localities by availability.
  it('with failoverPriority written out, a priority weighs its localities by availability (Envoy locality-weighted)', async () => {
    const regions = ['a', 'x', 'y'];
    const clusters = [{ name: 'c1', nodes: regions.map((r) => ({ name: `n-${r}`, region: `r-${r}`, zone: 'z' })) }];
    const probe = regions.map((r) => echo('server', `echo-${r}1`, `${r}1`, { node: `n-${r}`, podLabels: { tier: 'echo' } }));
    const play3 = async (policy: object, echoes: object[], apps: object[]) => {
      const result = await runParts({ clusters, manifests: manifestsWith(echoes, [dr(policy)]), apps, steps: [{ name: 'r', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: 1000, rate: '500/s' } }] });
      return (result.steps[0] as { requests: RequestRecord[] }).requests;
    };
    const local = (await play3(OUTLIERS, probe, []))[0]!.hops.find((h) => h.kind === 'waypoint')!.node!.slice(2);
    const [half, whole] = regions.filter((r) => r !== local);
    // The waypoint's region has one failing host; `half` has one failing host of two; `whole` two healthy hosts.
    const echoes = [`${local}1`, `${half}1`, `${half}2`, `${whole}1`, `${whole}2`].map((n) => echo('server', `echo-${n}`, n, { node: `n-${n[0]}`, podLabels: { tier: 'echo' } }));
    const down = [`${local}1`, `${half}1`].map((n) => ({ workload: `server/echo-${n}`, status: 503, body: 'down' }));
    const shareOfHalf = (rs: RequestRecord[]) => {
      const after = rs.slice(20);
      return after.filter((r) => r.body?.trim() === `${half}2`).length / after.length;
    };
    // 2 hosts × min(1, 1.4 × 1/2) = 1.4 against 2: `half`'s healthy host takes 1.4/3.4 ≈ 41%, not a third.
    const weighted = { ...OUTLIERS, loadBalancer: { localityLbSetting: { failoverPriority: ['topology.kubernetes.io/region'] } } };
    expect(shareOfHalf(await play3(weighted, echoes, down))).toBeGreaterThan(0.37);
    expect(shareOfHalf(await play3(weighted, echoes, down))).toBeLessThan(0.46);
    expect(shareOfHalf(await play3(OUTLIERS, echoes, down))).toBeLessThan(0.37);
  });

  it('distribute under outlierDetection.minHealthPercent: below it, every kept host takes requests, ejected ones too', async () => {
    const echoes = ['a', 'b'].flatMap((z) => [1, 2].map((i) => echo('server', `echo-${z}${i}`, `${z}${i}`, { node: `n-${z}`, podLabels: { tier: 'echo' } })));
    const failing = ['a1', 'a2', 'b1'].map((n) => ({ workload: `server/echo-${n}`, status: 503, body: 'down' }));
    const policy = (minHealthPercent?: number) =>
      dr({ outlierDetection: { ...OUTLIERS.outlierDetection, ...(minHealthPercent ? { minHealthPercent } : {}) }, loadBalancer: { localityLbSetting: { distribute: [{ from: 'r1/*', to: { 'r1/a': 50, 'r1/b': 50 } }] } } });
    const bodies = (rs: RequestRecord[]) => new Set(rs.slice(40).map((r) => r.body?.trim()));
    // One healthy host of four (health 35, under 100): without a threshold only b2 answers; at 60% the priority panics.
    expect(bodies(await play([policy()], failing, undefined, 200, echoes))).toEqual(new Set(['b2']));
    expect(bodies(await play([policy(60)], failing, undefined, 200, echoes))).toEqual(new Set(['down', 'b2']));
  });

  it("a retry sees the ejection its first attempt caused: the priority load has already moved", async () => {
    const local = waypointZone(await play([dr(OUTLIERS)], undefined, undefined, 40, TWO_PER_ZONE));
    const retry503 = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'echo', namespace: 'server' },
      spec: { parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 80 }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }], retry: { codes: [503], attempts: 2 } }] },
    };
    const rs = await play([dr(OUTLIERS), retry503], [{ workload: `server/echo-${local}1`, status: 503, body: 'down' }], undefined, 40, TWO_PER_ZONE);
    const first = rs.find((r) => r.decisions.some((d) => d.kind === 'retry'))!;
    const picks = first.decisions.filter((d) => d.kind === 'load-balance');
    expect(picks[0]!.result).toMatch(new RegExp(`^server/echo-${local}1-`));
    expect(picks[1]!.reason).toMatch(/\(priority load 70\/30%\)$/);
    expect(first.status).toBe(200);
  });
});
