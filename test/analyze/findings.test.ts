// Every check as a table row: manifests that trigger it (the finding, on which resource, with which
// key words) and the corrected manifests on which it is absent.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../../src/control/config';
import { curl, deployment, echo, namespace, service, waypoint } from '../helpers/manifests';
import { AMBIENT, ENROLLED, analyze, app, appWithWaypoint, httpRoute, policy, selectorPolicy, svcParent } from './fixtures';

interface Row {
  id: string;
  code: string;
  resource: string;
  bad: object[];
  good: object[];
  says?: string[];
}

const WP_PRINCIPAL = 'cluster.local/ns/app/sa/waypoint';
const clientOnly = (extra: string[] = []) => selectorPolicy('allow-client', 'ALLOW', [{ from: [{ source: { principals: ['cluster.local/ns/client/sa/curl', ...extra] } }] }]);
const peerAuthn = (port: string) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'pa', namespace: 'app' },
  spec: { selector: { matchLabels: { app: 'echo' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { [port]: { mode: 'PERMISSIVE' } } },
});
const meshStrict = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } };
const wlPermissiveStrictPort = {
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'wl', namespace: 'app' },
  spec: { selector: { matchLabels: { app: 'echo' } }, mtls: { mode: 'PERMISSIVE' }, portLevelMtls: { '8080': { mode: 'STRICT' } } },
};
const echoRule = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'echo', namespace: 'app' }, spec: { host: 'echo', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } } };
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });

const rows: Row[] = [
  {
    id: 'use-waypoint on a namespace not enrolled in ambient',
    code: 'MSH0001',
    resource: 'Namespace app',
    bad: [...app({ 'istio.io/use-waypoint': 'waypoint' }), waypoint('app')],
    good: appWithWaypoint(),
    says: ['not enrolled in ambient', 'istio.io/dataplane-mode=ambient'],
  },
  {
    id: 'Service label naming a missing waypoint: no fallback to the namespace label',
    code: 'MSH0002',
    resource: 'Service app/echo',
    bad: [...app(ENROLLED, { 'istio.io/use-waypoint': 'missing' }), waypoint('app')],
    good: [...app(ENROLLED, { 'istio.io/use-waypoint': 'waypoint' }), waypoint('app')],
    says: ['"app/missing", which does not exist', 'does not fall back', 'istio.io/use-waypoint=waypoint'],
  },
  {
    id: 'namespace label naming a missing waypoint',
    code: 'MSH0002',
    resource: 'Namespace app',
    bad: app(ENROLLED),
    good: appWithWaypoint(),
    says: ['does not exist', 'L4 policy only'],
  },
  {
    id: 'Service bound (through its namespace) to a workload-only waypoint',
    code: 'MSH0003',
    resource: 'Namespace app',
    bad: [...app(ENROLLED), waypoint('app', 'waypoint', { for: 'workload' })],
    good: [...app(ENROLLED), waypoint('app', 'waypoint', { for: 'all' })],
    says: ['traffic type "workload"', 'needs "service"'],
  },
  {
    id: 'pod labelled with a service-only waypoint',
    code: 'MSH0003',
    resource: 'Deployment app/echo',
    bad: [namespace('app', AMBIENT), echo('app', 'echo', 'hi', { podLabels: { 'istio.io/use-waypoint': 'waypoint' } }), service('app', 'echo', { labels: { 'istio.io/use-waypoint': 'waypoint' } }), waypoint('app')],
    good: [namespace('app', AMBIENT), echo('app', 'echo', 'hi', { podLabels: { 'istio.io/use-waypoint': 'waypoint' } }), service('app', 'echo', { labels: { 'istio.io/use-waypoint': 'waypoint' } }), waypoint('app', 'waypoint', { for: 'all' })],
    says: ['needs "workload"'],
  },
  {
    id: 'cross-namespace waypoint without allowedRoutes',
    code: 'MSH0004',
    resource: 'Service app/echo',
    bad: [...app(AMBIENT, { 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'infra' }), namespace('infra', AMBIENT), waypoint('infra')],
    good: [...app(AMBIENT, { 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'infra' }), namespace('infra', AMBIENT), waypoint('infra', 'waypoint', { allowedRoutes: { from: 'All' } })],
    says: ['no allowedRoutes.namespaces, which means Same', 'from: All'],
  },
  {
    id: 'targetRef policy on a Service without a waypoint is enforced nowhere',
    code: 'MSH0005',
    resource: 'AuthorizationPolicy app/deny-post',
    bad: [...app(), waypoint('app'), policy('deny-post', { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] })],
    good: [...appWithWaypoint(), policy('deny-post', { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] })],
    says: ['enforced nowhere', 'Service app/echo is not bound to a waypoint', 'never sent to ztunnel'],
  },
  {
    id: 'targetRef naming a Service that does not exist',
    code: 'MSH0005',
    resource: 'AuthorizationPolicy app/p',
    bad: [...appWithWaypoint(), policy('p', { targetRefs: [{ kind: 'Service', group: '', name: 'nope' }], rules: [{}] })],
    good: [...appWithWaypoint(), policy('p', { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], rules: [{}] })],
    says: ['Service app/nope does not exist'],
  },
  {
    id: 'selector ALLOW with HTTP attributes: ztunnel drops the rule',
    code: 'MSH0006',
    resource: 'AuthorizationPolicy app/get-only',
    bad: [...app(), selectorPolicy('get-only', 'ALLOW', [{ to: [{ operation: { methods: ['GET'] } }] }])],
    good: [...appWithWaypoint(), policy('get-only', { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })],
    says: ['HTTP attributes (methods)', 'never matches', 'allows nothing', 'targetRefs'],
  },
  {
    id: 'selector DENY whose HTTP-only operation makes it a no-op',
    code: 'MSH0007',
    resource: 'AuthorizationPolicy app/deny',
    bad: [...app(), selectorPolicy('deny', 'DENY', [{ from: [{ source: { namespaces: ['other'] } }], to: [{ operation: { paths: ['/admin'] } }] }]), namespace('other', AMBIENT)],
    good: [...app(), selectorPolicy('deny', 'DENY', [{ from: [{ source: { namespaces: ['other'] } }] }]), namespace('other', AMBIENT)],
    says: ['HTTP attributes (paths)', 'denies nothing'],
  },
  {
    id: 'selector DENY with ports and methods in one operation: enforced without the methods',
    code: 'MSH0008',
    resource: 'AuthorizationPolicy app/deny',
    bad: [...app(), selectorPolicy('deny', 'DENY', [{ to: [{ operation: { ports: ['8080'], methods: ['DELETE'] } }] }])],
    good: [...app(), selectorPolicy('deny', 'DENY', [{ to: [{ operation: { ports: ['9090'] } }] }])],
    says: ['without them', 'more than written'],
  },
  {
    id: 'the waypoint-identity trap: an L4 ALLOW that admits only the client',
    code: 'MSH0009',
    resource: 'AuthorizationPolicy app/allow-client',
    bad: [...appWithWaypoint(), clientOnly()],
    good: [...appWithWaypoint(), clientOnly([WP_PRINCIPAL])],
    says: [`principal "${WP_PRINCIPAL}"`, `Add "${WP_PRINCIPAL}" to from.source.principals`, '503'],
  },
  {
    id: 'an L4 DENY that matches the waypoint identity',
    code: 'MSH0009',
    resource: 'AuthorizationPolicy app/deny-same-ns',
    bad: [...appWithWaypoint(), selectorPolicy('deny-same-ns', 'DENY', [{ from: [{ source: { namespaces: ['app'] } }] }])],
    good: [...appWithWaypoint(), selectorPolicy('deny-same-ns', 'DENY', [{ from: [{ source: { namespaces: ['other'] } }] }]), namespace('other')],
    says: ['this DENY policy matches the waypoint\'s identity'],
  },
  {
    id: 'HTTPRoute on a Service without a waypoint',
    code: 'MSH0010',
    resource: 'HTTPRoute app/r',
    bad: [...app(), httpRoute('r', {})],
    good: [...appWithWaypoint(), httpRoute('r', {})],
    says: ['has an istio.io/use-waypoint label', 'not respected', 'istioctl waypoint apply -n app --enroll-namespace'],
  },
  {
    id: 'consumer route in a third namespace',
    code: 'MSH0011',
    resource: 'HTTPRoute client/r',
    bad: [...appWithWaypoint(), namespace('client', AMBIENT), curl('client'), httpRoute('r', { parentRefs: [svcParent('echo', { namespace: 'app' })], rules: [{ backendRefs: [{ name: 'echo', namespace: 'app', port: 80 }] }] }, 'client')],
    good: [...appWithWaypoint(), namespace('client', AMBIENT), curl('client'), httpRoute('r', {})],
    says: ['consumer route', 'ignored for every client'],
  },
  {
    id: 'backendRef to a Service that does not exist',
    code: 'MSH0012',
    resource: 'HTTPRoute app/r',
    bad: [...appWithWaypoint(), httpRoute('r', { rules: [{ backendRefs: [{ name: 'echo-v2', port: 80 }] }] })],
    good: [...appWithWaypoint(), service('app', 'echo-v2', { selector: { app: 'echo' } }), httpRoute('r', { rules: [{ backendRefs: [{ name: 'echo-v2', port: 80 }] }] })],
    says: ['app/echo-v2 does not exist', '500'],
  },
  {
    id: 'backendRef to a port the Service does not declare (the container port)',
    code: 'MSH0013',
    resource: 'HTTPRoute app/r',
    bad: [...appWithWaypoint(), httpRoute('r', { rules: [{ backendRefs: [{ name: 'echo', port: 8080 }] }] })],
    good: [...appWithWaypoint(), httpRoute('r', { rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] })],
    says: ['no port 8080 (it declares 80)'],
  },
  {
    id: 'a waypoint nothing uses',
    code: 'MSH0014',
    resource: 'Gateway app/waypoint',
    bad: [...app(), waypoint('app')],
    good: appWithWaypoint(),
    says: ['no Service or workload uses waypoint app/waypoint', 'kubectl label namespace app istio.io/use-waypoint=waypoint'],
  },
  {
    id: 'PeerAuthentication portLevelMtls keyed by the Service port',
    code: 'MSH0015',
    resource: 'PeerAuthentication app/pa',
    bad: [...app(), peerAuthn('80')],
    good: [...app(), peerAuthn('8080')],
    says: ['maps 80 to target port 8080', 'Use 8080'],
  },
  {
    id: 'two routes with the same match on one Service',
    code: 'MSH0016',
    resource: 'HTTPRoute app/r2',
    bad: [...appWithWaypoint(), httpRoute('r1', { rules: [{ matches: [prefix('/api')], backendRefs: [{ name: 'echo', port: 80 }] }] }), httpRoute('r2', { rules: [{ matches: [prefix('/api')], backendRefs: [{ name: 'echo', port: 80 }] }] })],
    good: [...appWithWaypoint(), httpRoute('r1', { rules: [{ matches: [prefix('/api')], backendRefs: [{ name: 'echo', port: 80 }] }] }), httpRoute('r2', { rules: [{ matches: [prefix('/web')], backendRefs: [{ name: 'echo', port: 80 }] }] })],
    says: ['overlaps PathPrefix /api of HTTPRoute app/r1', 'identical'],
  },
  {
    id: 'a port-specific and a port-less route that overlap sit in separate tables',
    code: 'MSH0016',
    resource: 'HTTPRoute app/r2',
    bad: [...appWithWaypoint(), httpRoute('r1', { rules: [{ matches: [prefix('/')], backendRefs: [{ name: 'echo', port: 80 }] }] }), httpRoute('r2', { parentRefs: [svcParent('echo', { port: 80 })], rules: [{ matches: [prefix('/api')], backendRefs: [{ name: 'echo', port: 80 }] }] })],
    good: [...appWithWaypoint(), httpRoute('r1', { rules: [{ matches: [prefix('/')], backendRefs: [{ name: 'echo', port: 80 }] }] }), httpRoute('r2', { rules: [{ matches: [prefix('/api')], backendRefs: [{ name: 'echo', port: 80 }] }] })],
    says: ['separate route tables', 'creation'],
  },
  {
    id: 'HTTPRoute whose parent is the waypoint Gateway',
    code: 'MSH0017',
    resource: 'HTTPRoute app/r',
    bad: [...appWithWaypoint(), httpRoute('r', { parentRefs: [{ name: 'waypoint' }] })],
    good: [...appWithWaypoint(), httpRoute('r', {})],
    says: ['waypoint Gateway app/waypoint'],
  },
  {
    id: 'an object the API server refuses',
    code: 'MSH0018',
    resource: 'Service app/other',
    bad: [...app(), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other', namespace: 'app' }, spec: { clusterIP: '1.2.3.4', selector: { app: 'x' }, ports: [{ port: 80 }] } }],
    good: app(),
    says: ['not in the valid range'],
  },
  {
    id: 'IST0101: a policy source namespace that does not exist',
    code: 'IST0101',
    resource: 'AuthorizationPolicy app/from-ns',
    bad: [...app(), selectorPolicy('from-ns', 'ALLOW', [{ from: [{ source: { namespaces: ['nope'] } }] }])],
    good: [...app(), selectorPolicy('from-ns', 'ALLOW', [{ from: [{ source: { namespaces: ['app*'] } }] }])],
    says: ['Referenced namespace not found: "nope"'],
  },
  {
    // istiod's convertPeerAuthentication skips a STRICT port under an inherited mesh-wide STRICT,
    // whatever the workload's own mode: on a PERMISSIVE workload nothing enforces it.
    id: 'a STRICT port on a PERMISSIVE workload under mesh-wide STRICT is not enforced',
    code: 'MSH0019',
    resource: 'PeerAuthentication app/wl',
    bad: [...app(), meshStrict, wlPermissiveStrictPort],
    good: [...app(), meshStrict, wlPermissiveStrictPort, { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'ns', namespace: 'app' }, spec: { mtls: { mode: 'PERMISSIVE' } } }],
    says: ['port 8080 is STRICT on a PERMISSIVE workload policy', 'istio-system/default', 'plaintext to it is allowed'],
  },
  {
    // ztunnel reads no DestinationRule: only a waypoint, a sidecar or a gateway applies one.
    id: 'a DestinationRule for an ambient Service without a waypoint',
    code: 'MSH0020',
    resource: 'DestinationRule app/echo',
    bad: [...app(), echoRule],
    good: [...appWithWaypoint(), echoRule],
    says: ['app/echo has no waypoint', 'reads no DestinationRule', 'istioctl waypoint apply -n app --enroll-namespace'],
  },
  {
    id: 'IST0102: a namespace neither injected nor ambient',
    code: 'IST0102',
    resource: 'Namespace app',
    bad: app({}),
    good: app(),
    says: ["Run 'kubectl label namespace app istio-injection=enabled'"],
  },
  {
    id: 'IST0123: ambient and sidecar injection labels together',
    code: 'IST0123',
    resource: 'Namespace app',
    bad: app({ ...AMBIENT, 'istio-injection': 'enabled' }),
    good: app(),
    says: ['[istio-injection=enabled istio.io/dataplane-mode=ambient]'],
  },
  {
    id: 'IST0127: a selector that matches no workload in the mesh',
    code: 'IST0127',
    resource: 'AuthorizationPolicy app/p',
    bad: [...app(), policy('p', { selector: { matchLabels: { app: 'nothing', tier: 'x' } }, rules: [{}] })],
    good: [...app(), policy('p', { selector: { matchLabels: { app: 'echo' } }, rules: [{}] })],
    says: ['with the following labels: app=nothing,tier=x'],
  },
  {
    id: 'IST0171: a route whose parent Service does not exist (Accepted=False)',
    code: 'IST0171',
    resource: 'HTTPRoute app/r',
    bad: [...appWithWaypoint(), httpRoute('r', { parentRefs: [svcParent('nope')] })],
    good: [...appWithWaypoint(), httpRoute('r', {})],
    says: ['type=Accepted, reason=NoMatchingParent'],
  },
];

describe('analyze: each check triggers on its manifests and is absent once they are corrected', () => {
  it.each(rows)('$code $id', (row) => {
    const bad = analyze(row.bad).findings.filter((f) => f.code === row.code);
    expect(bad.map((f) => f.resource)).toContain(row.resource);
    const f = bad.find((x) => x.resource === row.resource)!;
    for (const s of row.says ?? []) expect(f.message).toContain(s);
    expect(f.pos?.file).toBe('manifests.yaml');
    expect(f.docs).toMatch(row.code.startsWith('IST') ? /^https:\/\/istio\.io\/v1\.28\/docs\/reference\/config\/analysis\/ist\d{4}\/$/ : new RegExp(`#${row.code}$`));
    const good = analyze(row.good).findings.filter((x) => x.code === row.code && x.resource === row.resource);
    expect(good).toEqual([]);
  });
});

describe('PILOT_AUTO_ALLOW_WAYPOINT_POLICY', () => {
  it('admits the waypoint itself, so the identity trap does not apply', () => {
    const config = { ...DEFAULT_MESH_CONFIG, features: { autoAllowWaypointPolicy: true, multiNetwork: false } };
    const objects = [...appWithWaypoint(), clientOnly()];
    expect(analyze(objects).findings.map((f) => f.code)).toContain('MSH0009');
    expect(analyze(objects, { config }).findings.map((f) => f.code)).not.toContain('MSH0009');
  });
});

describe('a correct ambient setup', () => {
  it('has no finding at Warning or Error level', () => {
    const { findings } = analyze([
      ...appWithWaypoint(),
      namespace('client', AMBIENT),
      curl('client'),
      clientOnly([WP_PRINCIPAL]),
      policy('waypoint-get', { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], rules: [{ from: [{ source: { principals: ['cluster.local/ns/client/sa/curl'] } }], to: [{ operation: { methods: ['GET'] } }] }] }),
      httpRoute('r', { rules: [{ matches: [prefix('/api')], backendRefs: [{ name: 'echo', port: 80 }] }] }),
      deployment('app', 'v2', { image: 'hashicorp/http-echo:1.0', port: 8080 }),
    ]);
    expect(findings.filter((f) => f.level !== 'Info')).toEqual([]);
  });
});

describe("namespaces istioctl analyze never reads (the injector's ignored namespaces)", () => {
  it('reports nothing on kube-system, kube-public, kube-node-lease or local-path-storage, nor on the objects in them', () => {
    const ignored = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'];
    const unmatched = (ns: string) => policy('p', { selector: { matchLabels: { app: 'nothing' } }, rules: [{}] }, ns);
    const objects = [...ignored.map((ns) => namespace(ns)), ...app({}), unmatched('app'), unmatched('kube-system')];
    const resources = analyze(objects).findings.map((f) => f.resource);
    expect(resources).toContain('Namespace app');
    expect(resources).toContain('AuthorizationPolicy app/p');
    for (const ns of ignored) {
      expect(resources).not.toContain(`Namespace ${ns}`);
      expect(resources.filter((r) => r.includes(`${ns}/`))).toEqual([]);
    }
  });
});
