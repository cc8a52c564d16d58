// ServiceEntries in ambient (istiod's ambient index, ztunnel's DNS proxy and outbound path): one
// service per host with the auto-allocated VIP (240.240.0.0/16) when spec.addresses is empty,
// answered by ztunnel's DNS proxy to ambient pods only; endpoints are the pods of its
// workloadSelector in its own namespace or its inline endpoints; resolution NONE passes the
// connection through; an istio.io/use-waypoint label sends it through the waypoint, where
// policies and routes attached to the ServiceEntry apply.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { curl, echo, namespace, waypoint, yamlDocs } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { AMBIENT, requestTable } from './topology';

const UW = 'istio.io/use-waypoint';

function serviceEntry(spec: Record<string, unknown>, labels: Record<string, string> = {}, name = 'echo-se'): object {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: 'server', labels }, spec };
}

const SELECTING = { hosts: ['echo.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }], resolution: 'STATIC', location: 'MESH_INTERNAL', workloadSelector: { labels: { app: 'echo' } } };

function mesh(o: { clientNs?: Record<string, string>; se?: object; extra?: object[] } = {}): string {
  return yamlDocs([
    namespace('client', o.clientNs ?? AMBIENT),
    namespace('server', AMBIENT),
    curl('client', 'curl', { node: 'node-1' }),
    echo('server', 'echo', 'hello from echo', { node: 'node-2' }),
    o.se ?? serviceEntry(SELECTING),
    ...(o.extra ?? []),
  ]);
}

const URL = 'http://echo.internal/';

/** The ServiceEntry bound to server's waypoint, with more objects beside it. */
function bound(spec: Record<string, unknown>, ...extra: object[]): string {
  return mesh({ se: serviceEntry(spec, { [UW]: 'waypoint' }), extra: [waypoint('server'), ...extra] });
}

describe('ServiceEntry on the ambient data path', () => {
  requestTable([
    {
      id: 'a workloadSelector ServiceEntry: ztunnel DNS answers its auto-allocated VIP and ztunnel load-balances to the selected pod',
      manifests: mesh(),
      request: { from: 'client/curl', url: URL },
      expect: { status: 200, body: 'hello from echo', via: ['ztunnel', 'ztunnel'] },
    },
    {
      id: 'a client outside ambient has no ztunnel DNS: the ServiceEntry host does not resolve',
      manifests: mesh({ clientNs: {} }),
      request: { from: 'client/curl', url: URL },
      expect: { outcome: 'dns-error' },
    },
    {
      id: 'spec.addresses is the VIP: dialling it reaches the selected pod',
      manifests: mesh({ se: serviceEntry({ ...SELECTING, addresses: ['10.200.0.9'] }) }),
      request: { from: 'client/curl', url: 'http://10.200.0.9/' },
      expect: { status: 200, via: ['ztunnel', 'ztunnel'] },
    },
    {
      id: 'a ServiceEntry labelled istio.io/use-waypoint sends its traffic through the waypoint',
      manifests: bound(SELECTING),
      request: { from: 'client/curl', url: URL },
      expect: { status: 200, body: 'hello from echo', via: ['ztunnel', 'waypoint', 'ztunnel'] },
    },
    {
      id: 'an AuthorizationPolicy targeting the ServiceEntry is enforced at its waypoint',
      manifests: bound(
        SELECTING,
        { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'get-only', namespace: 'server' }, spec: { targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'echo-se' }], action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] } },
      ),
      request: { from: 'client/curl', url: URL, method: 'DELETE' },
      expect: { status: 403, body: 'RBAC: access denied', via: ['ztunnel', 'waypoint'] },
    },
    {
      id: 'an HTTPRoute with the ServiceEntry as parent applies at its waypoint',
      manifests: bound(
        SELECTING,
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'server' }, spec: { parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'echo-se' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/blocked' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 302, hostname: 'elsewhere.example' } }] }, { backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'echo.internal', port: 80 }] }] } },
      ),
      request: { from: 'client/curl', url: 'http://echo.internal/blocked' },
      expect: { status: 302, via: ['ztunnel', 'waypoint'] },
    },
    {
      id: 'a route rule forwarding to the ServiceEntry host (backendRef kind Hostname) reaches its endpoints',
      manifests: bound(
        SELECTING,
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'server' }, spec: { parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'echo-se' }], rules: [{ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'echo.internal', port: 80 }] }] } },
      ),
      request: { from: 'client/curl', url: URL },
      expect: {
        status: 200,
        body: 'hello from echo',
        via: ['ztunnel', 'waypoint', 'ztunnel'],
        decision: [
          { kind: 'waypoint-binding', reason: 'ServiceEntry server/echo-se (host echo.internal) is bound to this waypoint' },
          { kind: 'route', result: 'forward', policy: 'server/r' },
        ],
      },
    },
    {
      id: 'resolution NONE: ztunnel passes the connection through to the address dialled, not to the selected pods',
      manifests: mesh({ se: serviceEntry({ ...SELECTING, hosts: ['legacy.internal'], addresses: ['10.200.0.7'], resolution: 'NONE' }) }),
      request: { from: 'client/curl', url: 'http://10.200.0.7/', timeout: '2s' },
      expect: { outcome: 'timeout', via: ['ztunnel'] },
    },
    {
      id: 'an address range wider than one IP: istiod builds no service for the whole entry, and its host does not resolve',
      manifests: mesh({ se: serviceEntry({ ...SELECTING, addresses: ['10.200.0.0/24'] }) }),
      request: { from: 'client/curl', url: URL },
      expect: { outcome: 'dns-error' },
    },
    {
      id: 'a selector picks pods of its own namespace only',
      manifests: mesh({ se: { ...(serviceEntry(SELECTING) as Record<string, unknown>), metadata: { name: 'echo-se', namespace: 'client' } } }),
      request: { from: 'client/curl', url: URL },
      expect: { outcome: 'reset', via: ['ztunnel'] },
    },
  ]);
});

const EXTERNAL = { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' };
const CURL_NO_DNS_CAPTURE = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'curl-nodns', namespace: 'client', annotations: { 'ambient.istio.io/dns-capture': 'false' } },
  spec: { containers: [{ name: 'curl', image: 'curlimages/curl', command: ['sleep', 'infinity'] }] },
};

describe('ServiceEntry for a host outside the cluster', () => {
  requestTable([
    {
      id: 'resolution DNS: the host is its own endpoint, which ztunnel reaches over plain TCP',
      manifests: mesh({ se: serviceEntry(EXTERNAL) }),
      request: { from: 'client/curl', url: 'http://httpbin.org/get' },
      expect: { status: 200, body: 'httpbin.org', via: ['ztunnel'] },
    },
    {
      id: 'an egress waypoint: the ServiceEntry bound to a waypoint sends the traffic out through it',
      manifests: bound(EXTERNAL),
      request: { from: 'client/curl', url: 'http://httpbin.org/get' },
      expect: { status: 200, via: ['ztunnel', 'waypoint'] },
    },
    {
      id: 'a VirtualService for the ServiceEntry host applies at its egress waypoint',
      manifests: bound(
        EXTERNAL,
        { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'faults', namespace: 'server' }, spec: { hosts: ['httpbin.org'], http: [{ fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }, route: [{ destination: { host: 'httpbin.org' } }] }] } },
      ),
      request: { from: 'client/curl', url: 'http://httpbin.org/get' },
      expect: { status: 503, body: 'fault filter abort', via: ['ztunnel', 'waypoint'], decision: [{ kind: 'fault', policy: 'server/faults' }] },
    },
    {
      id: 'a client outside ambient resolves the host through the cluster DNS and connects directly',
      manifests: mesh({ clientNs: {}, se: serviceEntry(EXTERNAL, { [UW]: 'waypoint' }), extra: [waypoint('server')] }),
      request: { from: 'client/curl', url: 'http://httpbin.org/get' },
      expect: { status: 200, via: [] },
    },
    {
      id: 'an ambient pod with dns-capture off gets the real address: ztunnel passes it through, bypassing the waypoint',
      manifests: mesh({ se: serviceEntry(EXTERNAL, { [UW]: 'waypoint' }), extra: [waypoint('server'), CURL_NO_DNS_CAPTURE] }),
      request: { from: 'client/curl-nodns', url: 'http://httpbin.org/get' },
      expect: { status: 200, via: ['ztunnel'] },
    },
    {
      id: 'static endpoints outside the cluster are load-balanced like pods',
      manifests: mesh({ se: serviceEntry({ hosts: ['api.partner'], ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }], resolution: 'STATIC', endpoints: [{ address: '203.0.113.10' }] }) }),
      request: { from: 'client/curl', url: 'http://api.partner/' },
      expect: { status: 200, body: '203.0.113.10', via: ['ztunnel'] },
    },
    {
      id: 'resolution STATIC with no endpoint: NoHealthyUpstream',
      manifests: mesh({ se: serviceEntry({ hosts: ['api.partner'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC' }) }),
      request: { from: 'client/curl', url: 'http://api.partner/' },
      expect: { outcome: 'reset', via: ['ztunnel'] },
    },
  ]);

  const WILDCARD = { hosts: ['*.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS' };
  requestTable([
    {
      id: 'a wildcard ServiceEntry (DYNAMIC_DNS) bound to a waypoint: ztunnel DNS answers the wildcard VIP, the waypoint forwards to the host asked for',
      manifests: bound(WILDCARD),
      request: { from: 'client/curl', url: 'http://api.example.com/v1' },
      expect: { status: 200, body: 'api.example.com', via: ['ztunnel', 'waypoint'], decision: [{ kind: 'load-balance', result: 'api.example.com' }] },
    },
    {
      id: 'a wildcard ServiceEntry with no waypoint: its VIP has no endpoint, and ztunnel resets',
      manifests: mesh({ se: serviceEntry(WILDCARD) }),
      request: { from: 'client/curl', url: 'http://api.example.com/v1' },
      expect: { outcome: 'reset', via: ['ztunnel'] },
    },
  ]);

  it('spec.apps overrides what a server outside the cluster answers, as NAMESPACE/ADDRESS of its ServiceEntry', async () => {
    const result = await runParts({
      manifests: mesh({ se: serviceEntry(EXTERNAL) }),
      apps: [{ workload: 'server/httpbin.org', status: 418, body: 'teapot' }],
      steps: [{ name: 'r', request: { from: 'client/curl', url: 'http://httpbin.org/get' }, expect: { status: 418, body: 'teapot' } }],
    });
    expect(failuresOf(result)).toEqual([]);
  });

  it('the last hop is the server outside the cluster, named by its address', async () => {
    const result = await runParts({ manifests: mesh({ se: serviceEntry(EXTERNAL) }), steps: [{ name: 'r', request: { from: 'client/curl', url: 'http://httpbin.org/get' } }] });
    const r = (result.steps[0] as { requests: { hops: object[]; to: { service?: string } }[] }).requests[0]!;
    const { atMs: _, ...last } = r.hops.at(-1) as { atMs?: number };
    expect(last).toEqual({ kind: 'external', name: 'httpbin.org' });
    expect(r.to.service).toBe('server/echo-se');
  });
});

describe('ServiceEntry auto-allocated addresses', () => {
  it('each host gets the next free 240.240.0.0/16 and 2001:2::/48 address, written to status.addresses', async () => {
    const two = serviceEntry({ ...SELECTING, hosts: ['a.internal', 'b.internal'] }, {}, 'two');
    const none = serviceEntry({ ...SELECTING, hosts: ['c.internal'], resolution: 'NONE' }, {}, 'none');
    const result = await runParts({
      manifests: mesh({ extra: [two, none] }),
      steps: [{ name: 'show', run: 'kubectl get serviceentry -n server -o yaml', expect: { exitCode: 0 } }],
    });
    expect(failuresOf(result)).toEqual([]);
    const list = parse((result.steps[0] as { stdout: string }).stdout) as { items: { metadata: { name: string }; status?: { addresses?: unknown[] } }[] };
    const addresses = (name: string) => list.items.find((i) => i.metadata.name === name)?.status?.addresses;
    expect(addresses('echo-se')).toEqual([{ host: 'echo.internal', value: '240.240.0.1' }, { host: 'echo.internal', value: '2001:2::1' }]);
    expect(addresses('two')).toEqual([
      { host: 'a.internal', value: '240.240.0.2' },
      { host: 'a.internal', value: '2001:2::2' },
      { host: 'b.internal', value: '240.240.0.3' },
      { host: 'b.internal', value: '2001:2::3' },
    ]);
    // resolution NONE gets no address.
    expect(addresses('none')).toBeUndefined();
  });
});
