// The per-hop walkthrough names the proxy, the identity it saw, the policy and rule, why a rule or
// route did not match, and what would change the outcome (DESIGN "Explain, don't just answer").
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainRequest, explainStep, meshStateOf, playScenario, sendFlow, type ExplainedHop } from '../../src/explain';
import { renderExplainText } from '../../src/report/explain-text';
import type { RequestRecord } from '../../src/result/types';
import type { World } from '../../src/run/world';
import { loadScenario, loadScenarioText, type Scenario } from '../../src/scenario';
import { waypoint } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';
import { AMBIENT, base, SVC_URL } from '../dataplane/topology';

const LAB = resolve(__dirname, '../../scenarios/accounts-finance/scenario.yaml');
const ACCOUNTS = 'http://accounts.accounts.svc.cluster.local:8080/';

function lab(): Scenario {
  const s = loadScenario(LAB).scenario;
  if (!s) throw new Error('the lab did not load');
  return s;
}

function parts(manifests: string): Scenario {
  const loaded = loadScenarioText(scenarioText({ manifests, steps: [] }), 'explain-test.yaml');
  if (!loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.scenario;
}

function send(world: World, from: string, url: string, method = 'GET', cluster = 'cluster1'): RequestRecord {
  const r = sendFlow(world, { cluster, from, url, method, headers: {} }, 7);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

const hop = (hops: ExplainedHop[], role: ExplainedHop['role']) => hops.find((h) => h.role === role)!;

describe('the accounts/finance waypoint-identity trap', async () => {
  const { world } = await playScenario(lab(), { after: '4. enroll the namespace' });
  const record = send(world, 'finance/curl', ACCOUNTS);
  const hops = explainRequest(record, meshStateOf(world));
  const inbound = hop(hops, 'inbound');

  it('the request fails with the waypoint answering 503', () => {
    expect(record.status).toBe(503);
  });

  it('names the destination ztunnel and the identity it saw: the waypoint’s', () => {
    expect(inbound.name).toMatch(/^ztunnel-c[12]-node-[ab] \(inbound\)$/);
    expect(inbound.observed?.sourceIdentity).toBe('spiffe://cluster.local/ns/accounts/sa/waypoint');
    // In cluster1 the waypoint connects itself; in cluster2 the connection comes out of the east-west gateway.
    const local = inbound.name.startsWith('ztunnel-c1-');
    const sender = local ? world.view('cluster1').workloadsByOwner.get('accounts/waypoint')![0]! : world.view('cluster2').workloadsByOwner.get('istio-system/istio-eastwestgateway')![0]!;
    expect(inbound.observed?.sourceIp).toBe(sender.ip);
    expect(inbound.observed?.port).toBe(8080);
  });

  it('names the policy, why its rule did not match, and the fix', () => {
    const p = inbound.policies!.find((x) => x.policy === 'accounts/allow-from-finance')!;
    expect(p.matched).toBe(false);
    expect(p.rules[0]!.conditions.map((c) => c.text)).toEqual(['source.principals [cluster.local/ns/finance/sa/curl] does not contain cluster.local/ns/accounts/sa/waypoint']);
    expect(inbound.fixes).toEqual(['allow principal cluster.local/ns/accounts/sa/waypoint in accounts/allow-from-finance']);
  });

  it('says all of it in the text output', () => {
    const text = renderExplainText(record, hops, { color: false });
    expect(text).toContain(`${inbound.name}`);
    expect(text).toContain('saw: source spiffe://cluster.local/ns/accounts/sa/waypoint');
    expect(text).toContain('ALLOW accounts/allow-from-finance: no rule matched');
    expect(text).toContain('what would change this: allow principal cluster.local/ns/accounts/sa/waypoint in accounts/allow-from-finance');
  });

  it('the waypoint itself saw the client’s identity, and does not retry the refused tunnel (a connection termination)', () => {
    const wp = hop(hops, 'waypoint');
    expect(wp.name).toBe('waypoint accounts/waypoint');
    expect(wp.observed?.sourceIdentity).toBe('spiffe://cluster.local/ns/finance/sa/curl');
    expect(wp.attempts ?? []).toEqual([]);
  });

  it('with the fix applied, the same hop allows by rule 0 and proposes nothing', async () => {
    const fixed = (await playScenario(lab(), { after: '5. the fix — allow the waypoint\'s principal at L4' })).world;
    const r = send(fixed, 'finance/curl', ACCOUNTS);
    const h = hop(explainRequest(r, meshStateOf(fixed)), 'inbound');
    expect(r.status).toBe(200);
    expect(h.policies!.find((x) => x.policy === 'accounts/allow-from-finance')).toMatchObject({ matched: true, rule: 0 });
    expect(h.fixes).toBeUndefined();
  });
});

describe('an L7 deny at the waypoint', async () => {
  const { world } = await playScenario(lab(), { after: '6. allow only GET, at the waypoint' });
  const record = send(world, 'finance/curl', ACCOUNTS, 'POST');
  const wp = hop(explainRequest(record, meshStateOf(world)), 'waypoint');

  it('names the waypoint, the policy, the rule and the condition that failed', () => {
    expect(record.status).toBe(403);
    expect(wp.name).toBe('waypoint accounts/waypoint');
    const p = wp.policies!.find((x) => x.policy === 'accounts/allow-get-only')!;
    expect(p.rules[0]!.conditions.map((c) => [c.text, c.holds])).toEqual([
      ['source.principals [cluster.local/ns/finance/sa/curl] contains cluster.local/ns/finance/sa/curl', true],
      ['operation.methods [GET] does not contain POST', false],
    ]);
    expect(wp.fixes).toEqual(['add a rule allowing method POST to accounts/allow-get-only']);
  });
});

function httpRoute(name: string, rules: object[]): object {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'server' }, spec: { parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 80 }], rules } };
}

describe('a pod calling an ingress gateway\'s Service', async () => {
  const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'server' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
  const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'server' }, spec: { parentRefs: [{ name: 'web' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] } };
  const { world } = await playScenario(parts(base({ extra: [gateway, route] })));
  const record = send(world, 'client/curl', 'http://web-istio.server/', 'GET', 'cluster-1');
  const hops = explainRequest(record, meshStateOf(world));
  const gw = hops.find((h) => h.kind === 'ingress-gateway')!;

  it('the gateway, outside ztunnel\'s capture, sees plaintext on its listener port and no identity', () => {
    expect(record.status).toBe(200);
    expect(gw.observed).toMatchObject({ sourceIdentity: null, port: 80 });
    expect(gw.verdict).toContain('routed the request from inside the mesh');
    // Its own load-balancing saw no client identity either.
    expect(gw.decisions.filter((d) => d.kind === 'load-balance').map((d) => d.sourceIdentity)).toEqual([null]);
  });

  it('the destination ztunnel sees the gateway\'s identity, not the client\'s', () => {
    expect(hop(hops, 'inbound').observed?.sourceIdentity).toBe('spiffe://cluster.local/ns/server/sa/web-istio');
    // The route's backend, echo:80, has target port 8080: that is where the destination ztunnel receives.
    expect(hop(hops, 'inbound').observed?.port).toBe(8080);
  });
});

describe('a 404 at the waypoint', async () => {
  const manifests = base({
    serverNs: { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' },
    extra: [
      waypoint('server'),
      httpRoute('by-path', [
        { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'echo', port: 80 }] },
        { matches: [{ path: { type: 'Exact', value: '/health' } }], backendRefs: [{ name: 'echo', port: 80 }] },
      ]),
    ],
  });
  const { world } = await playScenario(parts(manifests));
  const record = send(world, 'client/curl', `${SVC_URL}other`, 'GET', 'cluster-1');
  const wp = hop(explainRequest(record, meshStateOf(world)), 'waypoint');

  it('lists every route, in order, with why it did not match', () => {
    expect(record.status).toBe(404);
    const misses = wp.routes!.filter((r) => !r.matched);
    expect(misses.length).toBe(2);
    for (const m of misses) {
      expect(m.route).toContain('server/by-path');
      expect(m.why).toMatch(/^request did not match /);
    }
    expect(misses.map((m) => m.why).join(' ')).toMatch(/\/api[\s\S]*\/health|\/health[\s\S]*\/api/);
    expect(wp.fixes).toContain('add a route rule matching GET /other for server/echo:80, or widen an existing match');
  });
});

describe('a targetRef policy enforced nowhere', () => {
  const allowNobody = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'only-admins', namespace: 'server' },
    spec: { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], rules: [{ from: [{ source: { principals: ['cluster.local/ns/admin/sa/admin'] } }] }] },
  };
  const rows = [
    { id: 'no waypoint in the namespace', extra: [allowNobody], fix: 'istioctl waypoint apply -n server, then label Service server/echo istio.io/use-waypoint=waypoint' },
    { id: 'a waypoint exists but the Service is not bound to it', extra: [allowNobody, waypoint('server', 'wp')], fix: 'label Service server/echo istio.io/use-waypoint=wp' },
  ];
  it.each(rows)('$id: the outbound ztunnel hop says so and how to bind it', async ({ extra, fix }) => {
    const { world } = await playScenario(parts(base({ extra })));
    const record = send(world, 'client/curl', SVC_URL, 'GET', 'cluster-1');
    const out = hop(explainRequest(record, meshStateOf(world)), 'outbound');
    expect(record.status).toBe(200);
    expect(out.notes?.[0]).toContain('server/only-admins targets Service server/echo, which is not bound to a waypoint: enforced nowhere');
    expect(out.fixes).toEqual([fix]);
  });
});

describe('explainStep (request steps with explain: true)', () => {
  it('explains the first failing request of a step in the world it ran in', async () => {
    const { world } = await playScenario(lab(), { after: '4. enroll the namespace' });
    const ok = send(world, 'finance/curl', ACCOUNTS, 'GET');
    const bad = { ...send(world, 'finance/curl', ACCOUNTS), id: 2 };
    const e = explainStep(world, { name: 's', type: 'request', passed: false, failures: [], requests: [{ ...ok, status: 200 }, bad] });
    expect(e?.request.id).toBe(2);
    expect(e?.explain.some((h) => h.fixes?.length)).toBe(true);
  });
});
