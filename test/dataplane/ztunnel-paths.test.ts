// reference/ambient.md §3.3, P1–P11: which hops a request takes, by client kind, addressing and bindings.
import { describe, expect, it } from 'vitest';
import { deployment, echo, service, waypoint } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { AMBIENT, type RequestRow, SVC_URL, base, requestTable } from './topology';

const WP_NS = { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' };
const ONLY_CURL = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'only-curl', namespace: 'server' }, spec: { action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/client/sa/default'] } }] }] } };
const STRICT_SERVER = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'strict', namespace: 'server' }, spec: { mtls: { mode: 'STRICT' } } };
/** An app on node-2's own network: its pod IP is the node's. */
const HOST_ECHO = echo('server', 'agent', 'from the node', { node: 'node-2', port: 9100, hostNetwork: true });
/** A Service without a selector, whose hand-written EndpointSlice names a bare pod by targetRef. */
const SELECTORLESS = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tgt', namespace: 'server', labels: { app: 'tgt' } }, spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'hashicorp/http-echo:1.0', args: ['-text=tgt', '-listen=:8080'], ports: [{ containerPort: 8080 }] }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'server' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'manual-1', namespace: 'server', labels: { 'kubernetes.io/service-name': 'manual' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.9.9'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'tgt', namespace: 'server' } }],
  },
];

const rows: RequestRow[] = [
  {
    id: 'P1 captured → Service, no waypoint, backend on another node: HBONE between the two ztunnels',
    manifests: base(),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, body: 'hello from echo', via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: 'P2 same node: still both ztunnel sides (no fast path)',
    manifests: base({ serverNode: 'node-1' }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: 'P3 backend not captured: plain TCP from the client ztunnel only',
    manifests: base({ serverNs: {} }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['ztunnel'] },
  },
  {
    id: 'P4 Service bound to a waypoint: client ztunnel → waypoint → destination ztunnel',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server')] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['ztunnel', 'waypoint', 'ztunnel'], decision: [{ kind: 'waypoint-binding', result: 'server/waypoint' }] },
  },
  {
    id: 'P5 pod IP of a workload bound to a workload waypoint goes through it',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server', 'waypoint', { for: 'workload' })] }),
    request: { from: 'client/curl', pod: 'server/echo', port: 8080 },
    expect: { status: 200, via: ['ztunnel', 'waypoint', 'ztunnel'] },
  },
  {
    id: 'P6 pod IP while only the Service has a waypoint: waypoint bypassed',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server')] }),
    request: { from: 'client/curl', pod: 'server/echo', port: 8080 },
    expect: { status: 200, via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: 'P7 Service without waypoint, pod with a workload waypoint: service-addressed traffic bypasses it',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server', 'waypoint', { for: 'workload' })] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: 'P8 uncaptured client → Service with a waypoint: kube-proxy straight to the pod, destination ztunnel plaintext',
    manifests: base({ clientNs: {}, serverNs: WP_NS, extra: [waypoint('server')] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['ztunnel'] },
  },
  {
    id: 'P9 sidecar client → Service with a waypoint: HBONE straight to the pod, no waypoint',
    manifests: base({ clientNs: { 'istio-injection': 'enabled' }, serverNs: WP_NS, extra: [waypoint('server')] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['sidecar', 'ztunnel'] },
  },
  {
    // cluster_builder.go buildDefaultPassthroughCluster: a pod IP matches no Service's cluster, so
    // the sidecar's Envoy sends it through PassthroughCluster, which has no transport socket.
    id: "sidecar client → an ambient pod's IP: PassthroughCluster, plaintext to the destination ztunnel, which sees no identity",
    manifests: base({ clientNs: { 'istio-injection': 'enabled' } }),
    request: { from: 'client/curl', pod: 'server/echo', port: 8080 },
    expect: {
      status: 200,
      via: ['sidecar', 'ztunnel'],
      decision: [{ kind: 'route', result: 'PassthroughCluster' }, { kind: 'authz', result: 'ALLOW' }],
    },
  },
  {
    // The destination ztunnel resets the connection; the client's Envoy answers curl with a 503.
    id: "sidecar client → an ambient pod's IP under STRICT: the destination ztunnel refuses the plaintext connection",
    manifests: base({ clientNs: { 'istio-injection': 'enabled' }, extra: [STRICT_SERVER] }),
    request: { from: 'client/curl', pod: 'server/echo', port: 8080 },
    expect: { status: 503, bodyContains: 'reset', via: ['sidecar', 'ztunnel'], decision: [{ kind: 'peer-authn', result: 'DENY' }] },
  },
  {
    id: "sidecar client → an ambient pod's IP, allowed only for the client's principal: no identity arrives, so ztunnel denies it",
    manifests: base({ clientNs: { 'istio-injection': 'enabled' }, extra: [ONLY_CURL] }),
    request: { from: 'client/curl', pod: 'server/echo', port: 8080 },
    expect: { status: 503, via: ['sidecar', 'ztunnel'], decision: [{ kind: 'authz', result: 'DENY' }] },
  },
  {
    id: 'sidecar client → the same pod through its Service, allowed only for its principal: HBONE carries the identity',
    manifests: base({ clientNs: { 'istio-injection': 'enabled' }, extra: [ONLY_CURL] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['sidecar', 'ztunnel'], decision: [{ kind: 'authz', result: 'ALLOW', policy: 'server/only-curl' }] },
  },
  {
    id: 'sidecar client → the same pod through its Service under STRICT: HBONE with the sidecar identity',
    manifests: base({ clientNs: { 'istio-injection': 'enabled' }, extra: [STRICT_SERVER] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['sidecar', 'ztunnel'] },
  },
  {
    id: 'P11 headless Service name resolves to pod IPs: the service waypoint is not used',
    manifests: base({ serverNs: WP_NS, svc: service('server', 'echo', { headless: true, port: 8080, targetPort: 8080 }), extra: [waypoint('server')] }),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local:8080/' },
    expect: { status: 200, via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: 'sidecar destination: the client ztunnel sends HBONE to the sidecar, which terminates it',
    manifests: base({ serverNs: { 'istio-injection': 'enabled' } }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['ztunnel', 'sidecar'] },
  },
  {
    // ztunnel build_request_host_network: a node address is passed through as TCP, not matched to a pod.
    id: "captured client → a node's address: ztunnel passes it through as plain TCP and the host-network app answers",
    manifests: base({ extra: [HOST_ECHO] }),
    request: { from: 'client/curl', pod: 'server/agent', port: 9100 },
    expect: { status: 200, body: 'from the node', via: ['ztunnel'] },
  },
  {
    id: "uncaptured client → a node's address: no proxy, the host-network app answers",
    manifests: base({ clientNs: {}, extra: [HOST_ECHO] }),
    request: { from: 'client/curl', pod: 'server/agent', port: 9100 },
    expect: { status: 200, body: 'from the node', via: [] },
  },
  {
    // workloads.go matchingServicesWithoutSelectors: pods an EndpointSlice names by targetRef join the Service.
    id: 'a Service without a selector reaches the pods its EndpointSlices name, on the slice port of the same name',
    manifests: base({ extra: SELECTORLESS }),
    request: { from: 'client/curl', url: 'http://manual.server.svc.cluster.local/' },
    expect: { status: 200, body: 'tgt', via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: 'uncaptured → uncaptured: plain Kubernetes, no proxy',
    manifests: base({ clientNs: {}, serverNs: {} }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: [] },
  },
];

describe('reference/ambient.md §3.3 hop-by-hop scenarios', () => {
  requestTable(rows);

  it('§3.2 the app sees the client IP when direct (P1) and the waypoint IP when a waypoint is in the path (P4)', async () => {
    const echoApp = deployment('server', 'echo', { node: 'node-2', image: 'gcr.io/istio-testing/app:latest', port: 8080 });
    const ipSeen = async (manifests: string) => {
      const r = (await runParts({ manifests, steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL } }] })).steps[0]!.requests![0]!;
      return { client: r.from.ip, seen: /^IP=(.*)$/m.exec(r.body ?? '')?.[1] };
    };
    const direct = await ipSeen(base({ deploy: echoApp }));
    expect(direct.seen).toBe(direct.client);
    const viaWaypoint = await ipSeen(base({ deploy: echoApp, serverNs: WP_NS, extra: [waypoint('server')] }));
    expect(viaWaypoint.seen).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(viaWaypoint.seen).not.toBe(viaWaypoint.client);
  });

  it("the client ztunnel's hop says TCP when it sends plain TCP (ztunnel's OutboundProtocol follows the destination), HBONE when it tunnels", async () => {
    const clientHop = async (manifests: string) => {
      const r = (await runParts({ manifests, steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL } }] })).steps[0]!.requests![0]!;
      return r.hops[1]!;
    };
    expect(await clientHop(base({ serverNs: {} }))).toMatchObject({ kind: 'ztunnel', protocol: 'TCP' });
    expect(await clientHop(base())).toMatchObject({ kind: 'ztunnel', protocol: 'HBONE' });
    expect(await clientHop(base({ serverNs: WP_NS, extra: [waypoint('server')] }))).toMatchObject({ kind: 'ztunnel', protocol: 'HBONE' });
  });

  it("Istio's echo app reports its --version flag as ServiceVersion, else the pod's version label", async () => {
    const versionOf = async (o: { args?: string[]; podLabels?: Record<string, string> }) => {
      const deploy = deployment('server', 'echo', { node: 'node-2', image: 'gcr.io/istio-testing/app:latest', port: 8080, ...o });
      const r = (await runParts({ manifests: base({ deploy }), steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL } }] })).steps[0]!.requests![0]!;
      return /^ServiceVersion=(.*)$/m.exec(r.body ?? '')?.[1];
    };
    expect(await versionOf({ args: ['--version', 'v7', '--port', '8080'], podLabels: { version: 'v1' } })).toBe('v7');
    expect(await versionOf({ args: ['--version=v8'] })).toBe('v8');
    expect(await versionOf({ podLabels: { version: 'v2' } })).toBe('v2');
  });

  it("Istio's echo app writes its handler's lines: no empty Cluster or IstioVersion, Go's canonical header names, Host only as Host=", async () => {
    const deploy = deployment('server', 'echo', { node: 'node-2', image: 'gcr.io/istio-testing/app:latest', port: 8080 });
    const steps = [{ name: 'r', request: { from: 'client/curl', url: `${SVC_URL}p?q=1`, headers: { 'x-request-id': 'abc', accept: '*/*' } } }];
    const body = (await runParts({ manifests: base({ deploy }), steps })).steps[0]!.requests![0]!.body!;
    const lines = body.trimEnd().split('\n');
    expect(lines.slice(0, 7).map((l) => l.split('=')[0])).toEqual(['ServiceVersion', 'ServicePort', 'Host', 'URL', 'Method', 'Proto', 'IP']);
    expect(lines).toContain('URL=/p?q=1');
    expect(lines.filter((l) => l.startsWith('RequestHeader='))).toEqual(['RequestHeader=Accept:*/*', 'RequestHeader=X-Request-Id:abc']);
    expect(lines.at(-1)).toMatch(/^Hostname=echo-/);
  });
});


describe('spec.apps overrides', () => {
  it('an app override answers with its status and body and makes its calls through the mesh first', async () => {
    const result = await runParts({
      manifests: base({ extra: [deployment('server', 'backend', { node: 'node-3', image: 'example/backend:1', port: 9000 }), service('server', 'backend', { port: 9000, targetPort: 9000 })] }),
      apps: [
        { workload: 'server/echo', status: 201, body: 'created', calls: [{ url: 'http://backend.server:9000/lookup' }] },
        { workload: 'server/backend', body: 'found' },
      ],
      steps: [{ name: 'r', request: { from: 'client/curl', url: SVC_URL }, expect: { status: 201, body: 'created' } }],
    });
    expect(failuresOf(result)).toEqual([]);
    const call = result.steps[0]!.requests![0]!.calls![0]!;
    expect(call).toMatchObject({ status: 200, body: 'found', outcome: 'response' });
    expect(call.hops.map((h) => h.kind)).toEqual(['pod', 'ztunnel', 'ztunnel', 'pod']);
  });
});
