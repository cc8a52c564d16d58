// reference/routing.md §0 on the data path: routes apply at the Service's waypoint only, and
// their actions (split, match, redirect, rewrite, fault, timeout, retry) reach the client.
import { describe, expect, it } from 'vitest';
import { deployment, echo, service, waypoint } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { AMBIENT, type RequestRow, SVC_URL, base, requestTable } from './topology';

const WP_NS = { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' };

function httpRoute(name: string, rules: object[], parent = 'echo'): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'server' },
    spec: { parentRefs: [{ group: '', kind: 'Service', name: parent, port: 80 }], rules },
  };
}

/** httpbin (/delay/N, /status/N) as the echo Service's backend, behind the namespace's waypoint, with `extra`. */
const httpbinBehindWaypoint = (...extra: object[]) =>
  base({ serverNs: WP_NS, deploy: deployment('server', 'echo', { node: 'node-2', image: 'mccutchen/go-httpbin:v2.15.0', port: 8080 }), extra: [waypoint('server'), ...extra] });
const v1 = echo('server', 'echo-v1', 'v1', { node: 'node-2', labels: { app: 'echo-v1' } });
const v2 = echo('server', 'echo-v2', 'v2', { node: 'node-3', labels: { app: 'echo-v2' } });
const splitServices = [service('server', 'echo-v1'), service('server', 'echo-v2'), v1, v2];
const split = httpRoute('split', [{ backendRefs: [{ name: 'echo-v1', port: 80, weight: 90 }, { name: 'echo-v2', port: 80, weight: 10 }] }]);

const rows: RequestRow[] = [
  {
    id: 'a 90/10 backendRefs split at the waypoint',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), ...splitServices, split] }),
    request: { from: 'client/curl', url: SVC_URL, count: 2000 },
    expect: { statuses: { '200': '1' }, backends: { 'server/echo-v1': '0.9±0.02', 'server/echo-v2': '0.1±0.02' }, decision: [{ kind: 'route', policy: 'server/split' }] },
  },
  {
    id: '§1.4 the same route without a waypoint is not applied: straight to the Service',
    manifests: base({ extra: [...splitServices, split] }),
    request: { from: 'client/curl', url: SVC_URL, count: 50 },
    expect: { body: 'hello from echo', via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: '§2.7 routes exist but none matches: 404',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), httpRoute('only-api', [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'echo', port: 80 }] }])] }),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/web' },
    expect: { status: 404, via: ['ztunnel', 'waypoint'] },
  },
  {
    id: '§2.3 a header match picks its backend',
    manifests: base({
      serverNs: WP_NS,
      extra: [
        waypoint('server'),
        ...splitServices,
        httpRoute('by-header', [
          { matches: [{ headers: [{ name: 'x-version', value: 'v2' }] }], backendRefs: [{ name: 'echo-v2', port: 80 }] },
          { backendRefs: [{ name: 'echo-v1', port: 80 }] },
        ]),
      ],
    }),
    request: { from: 'client/curl', url: SVC_URL, headers: { 'X-Version': 'v2' } },
    expect: { status: 200, body: 'v2' },
  },
  {
    id: '§3.4 RequestRedirect answers 302 with the Location',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), httpRoute('redirect', [{ filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'example.com', statusCode: 302 } }] }])] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 302, via: ['ztunnel', 'waypoint'] },
  },
  {
    id: '§5.3 a VirtualService abort fault answers without reaching the backend',
    manifests: base({
      serverNs: WP_NS,
      extra: [
        waypoint('server'),
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'fault', namespace: 'server' },
          spec: { hosts: ['echo.server.svc.cluster.local'], http: [{ fault: { abort: { httpStatus: 418, percentage: { value: 100 } } }, route: [{ destination: { host: 'echo.server.svc.cluster.local' } }] }] },
        },
      ],
    }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 418, via: ['ztunnel', 'waypoint'] },
  },
  {
    id: '§3.8 a request timeout shorter than the backend: 504',
    manifests: httpbinBehindWaypoint(httpRoute('timeout', [{ timeouts: { request: '500ms' }, backendRefs: [{ name: 'echo', port: 80 }] }])),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/delay/1' },
    expect: { status: 504, body: 'upstream request timeout', latency: { max: '<700ms' } },
  },
  {
    // VirtualService perTryTimeout: each attempt gets 1s; under retryOn 5xx Envoy retries a timed-out
    // attempt (after its jittered backoff, 25ms base), so 1 + 2 attempts time out before the 504.
    id: 'per-try timeouts retried under 5xx: three attempts of 1s, then 504',
    manifests: httpbinBehindWaypoint(
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'per-try', namespace: 'server' },
        spec: { hosts: ['echo.server.svc.cluster.local'], http: [{ timeout: '5s', retries: { attempts: 2, perTryTimeout: '1s', retryOn: '5xx' }, route: [{ destination: { host: 'echo.server.svc.cluster.local' } }] }] },
      },
    ),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/delay/3' },
    expect: { status: 504, body: 'upstream request timeout', latency: { p50: '>3000ms', max: '<3150ms' } },
  },
  {
    // HTTPRoute backendRequest with a retry stanza becomes the per-try timeout; the retry's
    // conditions (connection errors and the listed codes) do not cover a timed-out attempt.
    id: 'HTTPRoute backendRequest with a retry: the attempt times out after 1s and is not retried',
    manifests: httpbinBehindWaypoint(httpRoute('per-try', [{ timeouts: { request: '5s', backendRequest: '1s' }, retry: { codes: [504], attempts: 2 }, backendRefs: [{ name: 'echo', port: 80 }] }])),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/delay/3' },
    expect: { status: 504, body: 'upstream request timeout', latency: { p50: '>1000ms', max: '<1100ms' } },
  },
  {
    // Each retry is a new upstream request after Envoy's jittered backoff (uniform below 100ms,
    // 300ms, 700ms for retries 1-3): four attempts and three backoffs, about 550ms on average.
    id: 'retried 500s take the failed attempts and the backoff between them',
    manifests: httpbinBehindWaypoint(httpRoute('retry', [{ retry: { codes: [500], attempts: 3, backoff: '100ms' }, backendRefs: [{ name: 'echo', port: 80 }] }])),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/status/500', count: 200, rate: '1/s' },
    expect: { statuses: { '500': '1' }, latency: { p50: '>400ms', p99: '<1150ms' }, decision: [{ kind: 'retry' }] },
  },
  {
    id: 'a per-try timeout the backend answers within changes nothing',
    manifests: httpbinBehindWaypoint(httpRoute('per-try', [{ timeouts: { backendRequest: '1s' }, retry: { attempts: 2 }, backendRefs: [{ name: 'echo', port: 80 }] }])),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/get', count: 20 },
    expect: { statuses: { '200': '1' }, latency: { max: '<50ms' } },
  },
  {
    // Envoy's fault filter runs before the router, which arms the route timeout only once the
    // request is through: a delay longer than the timeout does not time the request out.
    id: 'a fault delay does not count against the route timeout',
    manifests: base({
      serverNs: WP_NS,
      extra: [
        waypoint('server'),
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'slow', namespace: 'server' },
          spec: { hosts: ['echo.server.svc.cluster.local'], http: [{ fault: { delay: { fixedDelay: '2s', percentage: { value: 100 } } }, timeout: '1s', route: [{ destination: { host: 'echo.server.svc.cluster.local' } }] }] },
        },
      ],
    }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, latency: { p50: '>2000ms', max: '<2100ms' } },
  },
];

describe('reference/routing.md on the data path', () => {
  requestTable(rows);

  it('§3.3 RequestHeaderModifier: the backend app receives the modified headers', async () => {
    const result = await runParts({
      manifests: base({
        serverNs: WP_NS,
        extra: [waypoint('server'), httpRoute('headers', [{ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-env', value: 'canary' }], remove: ['x-drop'] } }], backendRefs: [{ name: 'echo', port: 80 }] }])],
      }),
      steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL, headers: { 'x-drop': 'yes' } } }],
    });
    const headers = result.steps[0]!.requests![0]!.requestHeaders!;
    expect(headers['x-env']).toBe('canary');
    expect(headers['x-drop']).toBeUndefined();
  });

  it('§3.9 the mesh default retry retries a connect failure on another endpoint', async () => {
    // Two endpoints; the uncaptured one listens on the wrong port, so the waypoint's plain TCP connect
    // is refused: a connect failure, retried elsewhere, so every request succeeds.
    const good = echo('server', 'echo-good', 'good', { node: 'node-2', labels: { app: 'echo' } });
    const bad = echo('server', 'echo-bad', 'bad', { node: 'node-3', labels: { app: 'echo' }, podLabels: { 'istio.io/dataplane-mode': 'none' }, port: 9090 });
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, deploy: good, extra: [bad, waypoint('server')] }),
      steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL, count: 40 }, expect: { status: 200, body: 'good' } }],
    });
    expect(failuresOf(result)).toEqual([]);
    expect(result.steps[0]!.requests!.some((r) => r.decisions.some((d) => d.kind === 'retry'))).toBe(true);
  });

  it('§3.9 when every retry fails too, Envoy\'s 503 says it retried', async () => {
    const bad = echo('server', 'echo', 'bad', { node: 'node-3', podLabels: { 'istio.io/dataplane-mode': 'none' }, port: 9090 });
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, deploy: bad, extra: [waypoint('server')] }),
      steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL }, expect: { status: 503, body: 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection termination' } }],
    });
    expect(failuresOf(result)).toEqual([]);
    expect(result.steps[0]!.requests![0]!.decisions.filter((d) => d.kind === 'retry').length).toBe(2);
  });

  it('§3.9 a tunnel the destination ztunnel refuses is a connection termination, which the mesh default retry does not cover', async () => {
    // The waypoint reaches captured pods through its internal connect_originate listener: the router's
    // connection is up when ztunnel answers the CONNECT with an error, so Envoy sees a reset after
    // connecting, retried only under reset, 5xx or gateway-error (the 503 body says so).
    const good = echo('server', 'echo-good', 'good', { node: 'node-2', labels: { app: 'echo' } });
    const bad = echo('server', 'echo-bad', 'bad', { node: 'node-3', labels: { app: 'echo' }, port: 9090 });
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, deploy: good, extra: [bad, waypoint('server')] }),
      steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL, count: 40 } }],
    });
    const requests = result.steps[0]!.requests!;
    expect(requests.some((r) => r.status === 503 && r.body === 'upstream connect error or disconnect/reset before headers. reset reason: connection termination')).toBe(true);
    expect(requests.some((r) => r.status === 200)).toBe(true);
    expect(requests.some((r) => r.decisions.some((d) => d.kind === 'retry'))).toBe(false);
  });
});

describe('reference/routing.md §5.8 outlier detection at the waypoint', () => {
  it('consecutive 5xx eject a host: after two 500s every request goes to the healthy one', async () => {
    const good = echo('server', 'echo-good', 'good', { node: 'node-2', labels: { app: 'echo' } });
    const bad = echo('server', 'echo-bad', 'bad', { node: 'node-3', labels: { app: 'echo' } });
    const dr = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'echo', namespace: 'server' },
      spec: { host: 'echo.server.svc.cluster.local', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 2, interval: '1s', baseEjectionTime: '5m', maxEjectionPercent: 100 } } },
    };
    const run = (withDr: boolean) =>
      runParts({
        manifests: base({ serverNs: WP_NS, deploy: good, extra: [bad, waypoint('server'), ...(withDr ? [dr] : [])] }),
        apps: [{ workload: 'server/echo-bad', status: 500 }],
        steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL, count: 200 } }],
      });
    const ejecting = (await run(true)).steps[0]!.summary!;
    expect(ejecting.statuses['500']).toBe(2);
    expect(ejecting.statuses['200']).toBe(198);
    const plain = (await run(false)).steps[0]!.summary!;
    expect(plain.statuses['500']).toBeGreaterThan(60);
  });
});

describe('reference/routing.md §3.6 RequestMirror', () => {
  it('a mirrored copy reaches the mirror backend, counted there, and the client still gets the primary answer', async () => {
    const mirrorRoute = httpRoute('mirror', [
      { filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'echo-v2', port: 80 } } }], backendRefs: [{ name: 'echo-v1', port: 80 }] },
    ]);
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), ...splitServices, mirrorRoute] }),
      steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL, count: 20 }, expect: { status: 200, body: 'v1', decision: [{ kind: 'route', result: 'mirror' }] } }],
    });
    expect(failuresOf(result)).toEqual([]);
    const summary = result.steps[0]!.summary!;
    expect(Object.keys(summary.mirrored ?? {})).toHaveLength(1);
    expect(Object.keys(summary.mirrored!)[0]).toMatch(/^server\/echo-v2-/);
    expect(Object.values(summary.mirrored!)[0]).toBe(20);
    expect(result.steps[0]!.requests![0]!.hops.map((h) => h.kind)).toEqual(['pod', 'ztunnel', 'waypoint', 'ztunnel', 'pod']);
  });
});

describe('reference/routing.md §5.7 connection-pool limits at the waypoint', () => {
  it('concurrent requests past maxConnections + http1MaxPendingRequests overflow with 503 (Envoy flag UO)', async () => {
    const slow = deployment('server', 'echo', { node: 'node-2', image: 'mccutchen/go-httpbin:v2.15.0', port: 8080 });
    const dr = (limits: object) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'echo', namespace: 'server' },
      spec: { host: 'echo.server.svc.cluster.local', trafficPolicy: { connectionPool: limits } },
    });
    const run = (limits: object | undefined) =>
      runParts({
        manifests: base({ serverNs: WP_NS, deploy: slow, extra: [waypoint('server'), ...(limits ? [dr(limits)] : [])] }),
        steps: [{ name: 'burst', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/delay/1', count: 40, concurrency: 8 } }],
      });
    const limited = (await run({ tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } })).steps[0]!;
    expect(limited.summary!.statuses['503']).toBeGreaterThan(0);
    expect(limited.summary!.statuses['200']).toBeGreaterThan(0);
    const overflow = limited.requests!.find((r) => r.status === 503)!;
    expect(overflow.body).toContain('reset reason: overflow');
    expect(overflow.decisions.some((d) => d.kind === 'route' && d.result === 'overflow')).toBe(true);
    expect(limited.summary!.connectionPool!.find((p) => p.result === 'overflow')!.count).toBe(limited.summary!.statuses['503']);
    const unlimited = (await run(undefined)).steps[0]!;
    expect(unlimited.summary!.statuses).toEqual({ '200': 40 });
  });

  // HTTP/1.1 carries one request per connection: past maxConnections a request waits in the
  // pending queue until a request on one of the connections ends (Envoy's pending request list).
  const slow = deployment('server', 'echo', { node: 'node-2', image: 'mccutchen/go-httpbin:v2.15.0', port: 8080 });
  const oneConnection = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'echo', namespace: 'server' },
    spec: { host: 'echo.server.svc.cluster.local', trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 10 } } } },
  };
  const DELAY_URL = 'http://echo.server.svc.cluster.local/delay/1';

  it('one connection: queued requests wait for it, served one after another', async () => {
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, deploy: slow, extra: [waypoint('server'), oneConnection] }),
      steps: [{ name: 'burst', request: { from: 'client/curl', url: DELAY_URL, count: 4, concurrency: 4 } }],
    });
    const step = result.steps[0]!;
    expect(step.summary!.statuses).toEqual({ '200': 4 });
    const byLatency = [...step.requests!].sort((a, b) => a.latencyMs - b.latencyMs);
    // Each waits for the one before it: about 1 s, 2 s, 3 s and 4 s.
    byLatency.forEach((r, k) => {
      expect(r.latencyMs).toBeGreaterThan(1000 * (k + 1));
      expect(r.latencyMs).toBeLessThan(1000 * (k + 1) + 200);
    });
    const queued = step.requests!.filter((r) => r.decisions.some((d) => d.kind === 'route' && d.result === 'queued'));
    expect(queued).toHaveLength(3);
    expect(queued[0]!.decisions.find((d) => d.result === 'queued')!.policy).toBe('server/echo');
    expect(step.summary!.connectionPool).toEqual([{ at: 'waypoint server/waypoint', policy: 'server/echo', result: 'queued', count: 3 }]);
  });

  it('an app calling the same limited Service twice gets its connection back after the first call', async () => {
    const backendPool = { ...oneConnection, metadata: { name: 'backend', namespace: 'server' }, spec: { ...oneConnection.spec, host: 'backend.server.svc.cluster.local' } };
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), deployment('server', 'backend', { node: 'node-3', image: 'example/backend:1', port: 9000 }), service('server', 'backend', { port: 9000, targetPort: 9000 }), backendPool] }),
      apps: [
        { workload: 'server/echo', body: 'front', calls: [{ url: 'http://backend.server:9000/a' }, { url: 'http://backend.server:9000/b' }] },
        { workload: 'server/backend', body: 'found' },
      ],
      steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL }, expect: { status: 200, body: 'front' } }],
    });
    expect(failuresOf(result)).toEqual([]);
    const calls = result.steps[0]!.requests![0]!.calls!;
    expect(calls.map((c) => c.status)).toEqual([200, 200]);
    // Both calls were decided with the request, so the second was queued behind the first.
    expect(calls.map((c) => c.decisions.some((d) => d.result === 'queued'))).toEqual([false, true]);
  });

  it('a call queued behind the request that made it never gets a connection: the client gives up (30 s without a timeout)', async () => {
    const echoPool = { ...oneConnection, spec: { ...oneConnection.spec } };
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), echoPool] }),
      apps: [{ workload: 'server/echo', calls: [{ url: SVC_URL }] }],
      steps: [
        { name: 'stuck', request: { from: 'client/curl', url: SVC_URL } },
        { name: 'with a timeout', request: { from: 'client/curl', url: SVC_URL, timeout: '2s' } },
      ],
    });
    const [stuck, timed] = result.steps.map((s) => s.requests![0]!);
    expect([stuck!.outcome, stuck!.latencyMs]).toEqual(['timeout', 30_000]);
    expect([timed!.outcome, timed!.latencyMs]).toEqual(['timeout', 2000]);
    expect(stuck!.calls![0]!.decisions.some((d) => d.result === 'queued')).toBe(true);
  });

  it('the route timeout counts the wait in the queue; requests that gave up leave it', async () => {
    const timeout = httpRoute('timeout', [{ timeouts: { request: '1500ms' }, backendRefs: [{ name: 'echo', port: 80 }] }]);
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, deploy: slow, extra: [waypoint('server'), oneConnection, timeout] }),
      steps: [
        { name: 'burst', request: { from: 'client/curl', url: DELAY_URL, count: 3, concurrency: 3 } },
        // The queue is empty again: the next request is served at once.
        { name: 'after', request: { from: 'client/curl', url: DELAY_URL }, expect: { status: 200, latency: { p99: '<1200ms' } } },
      ],
    });
    expect(failuresOf(result)).toEqual([]);
    const burst = result.steps[0]!;
    expect(burst.summary!.statuses).toEqual({ '200': 1, '504': 2 });
    for (const r of burst.requests!.filter((x) => x.status === 504)) expect(r.latencyMs).toBeLessThan(1600);
    expect(result.steps[1]!.requests![0]!.decisions.some((d) => d.result === 'queued')).toBe(false);
  });
});
