// reference/ambient.md §2.6 and §3.3 P10: traffic entering through an ingress Gateway (class
// istio) reaches the backend pods directly over HBONE, and goes through the Service's waypoint only
// with istio.io/ingress-use-waypoint (Istio's TestIngressToWaypoint).
import { describe, expect, it } from 'vitest';
import { service, waypoint } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { AMBIENT, type RequestRow, base, requestTable, waypointScaledToZero } from './topology';

const WP_NS = { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' };

const gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'web', namespace: 'server' },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
};

const route = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'server' },
  spec: { parentRefs: [{ name: 'web' }], hostnames: ['shop.example.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/shop' } }], backendRefs: [{ name: 'echo', port: 80 }] }] },
};

// Istio's TestIngressToWaypoint denies everything at the waypoint to show whether ingress traffic crosses it.
const denyAllAtWaypoint = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'deny-all', namespace: 'server' },
  spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }], action: 'DENY', rules: [{}] },
};

const URL = 'http://shop.example.com/shop/cart';

const rows: RequestRow[] = [
  {
    id: 'P10 ingress → Service without waypoint: HBONE straight to the pod',
    manifests: base({ extra: [gateway, route] }),
    request: { from: 'external', url: URL },
    expect: { status: 200, body: 'hello from echo', via: ['ingress-gateway', 'ztunnel'] },
  },
  {
    id: 'P10 ingress → Service with a waypoint but no ingress-use-waypoint: the waypoint (and its deny-all) is bypassed',
    manifests: base({ serverNs: WP_NS, extra: [gateway, route, waypoint('server'), denyAllAtWaypoint] }),
    request: { from: 'external', url: URL },
    expect: { status: 200, via: ['ingress-gateway', 'ztunnel'] },
  },
  {
    id: 'P10 ingress-use-waypoint on the Service: through the waypoint, whose deny-all answers 403',
    manifests: base({ serverNs: WP_NS, svc: service('server', 'echo', { labels: { 'istio.io/ingress-use-waypoint': 'true' } }), extra: [gateway, route, waypoint('server'), denyAllAtWaypoint] }),
    request: { from: 'external', url: URL },
    expect: { status: 403, via: ['ingress-gateway', 'waypoint'] },
  },
  {
    id: 'P10 ingress-use-waypoint on the namespace works like the Service label',
    manifests: base({ serverNs: { ...WP_NS, 'istio.io/ingress-use-waypoint': 'true' }, extra: [gateway, route, waypoint('server')] }),
    request: { from: 'external', url: URL },
    expect: { status: 200, via: ['ingress-gateway', 'waypoint', 'ztunnel'] },
  },
  {
    id: 'a Service label false overrides a namespace true',
    manifests: base({ serverNs: { ...WP_NS, 'istio.io/ingress-use-waypoint': 'true' }, svc: service('server', 'echo', { labels: { 'istio.io/ingress-use-waypoint': 'false' } }), extra: [gateway, route, waypoint('server')] }),
    request: { from: 'external', url: URL },
    expect: { status: 200, via: ['ingress-gateway', 'ztunnel'] },
  },
  {
    // waypoints.go fetchWaypointForInstance: a pod of any Gateway with status addresses is its instance.
    id: "the ingress gateway's pods never inherit the namespace's workload waypoint: pod-IP traffic to one skips the waypoint",
    manifests: base({ serverNs: WP_NS, extra: [gateway, route, waypoint('server', 'waypoint', { for: 'all' })] }),
    request: { from: 'client/curl', pod: 'server/web-istio', port: 80, path: '/shop/cart', headers: { Host: 'shop.example.com' } },
    expect: { status: 200, via: ['ztunnel', 'ingress-gateway', 'ztunnel'] },
  },
  {
    id: 'no route for that host or path at the gateway: 404',
    manifests: base({ extra: [gateway, route] }),
    request: { from: 'external', url: 'http://shop.example.com/admin' },
    expect: { status: 404, via: ['ingress-gateway'] },
  },
  {
    id: 'a pod calling the gateway\'s Service: ztunnel sends plaintext to the uncaptured gateway pod, whose routes apply as for outside traffic',
    manifests: base({ extra: [gateway, route] }),
    request: { from: 'client/curl', url: 'http://web-istio.server/shop/cart', headers: { Host: 'shop.example.com' } },
    expect: { status: 200, body: 'hello from echo', via: ['ztunnel', 'ingress-gateway', 'ztunnel'] },
  },
  {
    id: 'a pod calling the gateway\'s Service without the route\'s host: the gateway answers 404',
    manifests: base({ extra: [gateway, route] }),
    request: { from: 'client/curl', url: 'http://web-istio.server/shop/cart' },
    expect: { status: 404, via: ['ztunnel', 'ingress-gateway'] },
  },
  {
    id: 'a pod calling the gateway\'s Service bound to a waypoint: the waypoint first, then the gateway',
    manifests: base({ serverNs: WP_NS, extra: [gateway, route, waypoint('server')] }),
    request: { from: 'client/curl', url: 'http://web-istio.server/shop/cart', headers: { Host: 'shop.example.com' } },
    expect: { status: 200, via: ['ztunnel', 'waypoint', 'ingress-gateway', 'ztunnel'] },
  },
  {
    id: 'a port the gateway does not listen on: connection refused',
    manifests: base({ extra: [gateway, route] }),
    request: { from: 'external', url: 'http://shop.example.com:8443/shop' },
    expect: { outcome: 'refused' },
  },
  {
    id: 'the destination ztunnel sees the gateway identity',
    manifests: base({
      extra: [
        gateway,
        route,
        { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'only-gateway', namespace: 'server' }, spec: { rules: [{ from: [{ source: { principals: ['cluster.local/ns/server/sa/web-istio'] } }] }] } },
      ],
    }),
    request: { from: 'external', url: URL },
    expect: { status: 200, decision: [{ kind: 'authz', result: 'ALLOW', policy: 'server/only-gateway' }] },
  },
];

describe('ingress gateways (reference/ambient.md §2.6, P10)', () => {
  requestTable(rows);

  it('ingress-use-waypoint to a waypoint with no ready pod: the gateway (Envoy) answers 503 no healthy upstream, no reset', async () => {
    // endpoint_builder.go findServiceWaypoint: the cluster's endpoints become the waypoint's, even when there are none.
    const result = await runParts({
      manifests: base({ serverNs: { ...WP_NS, 'istio.io/ingress-use-waypoint': 'true' }, extra: [gateway, route, waypoint('server')] }),
      steps: [
        { name: 'scale the waypoint to zero', apply: { inline: waypointScaledToZero('server') } },
        { name: 'now', request: { from: 'external', url: URL }, expect: { status: 503, body: 'no healthy upstream', via: ['ingress-gateway'] } },
      ],
    });
    expect(failuresOf(result)).toEqual([]);
  });
});
