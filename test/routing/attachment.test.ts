// Attachment (§1): which routes a waypoint applies, and the status Istio writes for them,
// including invalid routes (hard errors drop the whole route; soft ones keep it).
import { describe, expect, it } from 'vitest';
import type { Condition, HTTPRouteRule } from '../../src/k8s/types';
import { compileRoutes, routeStatuses, WAYPOINT_MISSING_LABEL, type RouteInput } from '../../src/routing';
import { CONSUMER, httpRoute, meshIndex, meshServices, MESH, namespace, outcome, send, service, svcParent } from './fixtures';

const toV1: HTTPRouteRule = { backendRefs: [{ name: 'echo-v1', port: 8080 }] };

function conds(input: Partial<RouteInput>, key: string): Record<string, string> {
  const st = routeStatuses(meshIndex(input)).get(key);
  const out: Record<string, string> = {};
  for (const c of (st?.parents?.[0]?.conditions ?? []) as Condition[]) out[c.type] = `${c.status} ${c.reason}: ${c.message}`;
  return out;
}

describe('status conditions as Istio writes them', () => {
  it.each<[string, HTTPRouteRule[], Record<string, string>]>([
    [
      'valid route',
      [toV1],
      { Accepted: 'True Accepted: Route was valid', ResolvedRefs: 'True ResolvedRefs: All references resolved', ResolvedWaypoints: 'True ResolvedWaypoints: All waypoints resolved' },
    ],
    ['backend not found', [{ backendRefs: [{ name: 'nope', port: 80 }] }], { ResolvedRefs: `False BackendNotFound: backend(nope.${MESH}.svc.cluster.local) not found` }],
    ['unsupported backend kind', [{ backendRefs: [{ group: 'example.com', kind: 'Thing', name: 'x', port: 80 }] }], { ResolvedRefs: 'False InvalidKind: referencing unsupported backendRef: group "example.com" kind "Thing"' }],
    ['backendRef without port', [{ backendRefs: [{ name: 'echo-v1' }] }], { Accepted: 'True Accepted: Route was valid', ResolvedRefs: 'False InvalidDestination: port is required in backendRef' }],
    ['hostname instead of a Service name', [{ backendRefs: [{ name: 'echo-v1.other', port: 80 }] }], { ResolvedRefs: 'False InvalidDestination: service name invalid; the name of the Service must be used, not the hostname.' }],
    ['unknown filter', [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x', kind: 'y', name: 'z' } }], ...toV1 }], { ResolvedRefs: 'False InvalidFilter: unsupported filter type "ExtensionRef"' }],
    ['bad mirror backend (HTTPRoute: soft)', [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'gone', port: 80 } } }], ...toV1 }], { ResolvedRefs: `False BackendNotFound: backend(gone.${MESH}.svc.cluster.local) not found` }],
    // Istio does not validate user regexes (istio/istio#49993); Envoy would reject the match.
    ['invalid regex', [{ matches: [{ path: { type: 'RegularExpression', value: '(' } }], ...toV1 }], { Accepted: 'True Accepted: Route was valid', ResolvedRefs: 'True ResolvedRefs: All references resolved' }],
  ])('%s', (_n, rules, want) => {
    expect(conds({ httpRoutes: [httpRoute('r', [svcParent('echo', 80)], rules)] }, `HTTPRoute/${MESH}/r`)).toMatchObject(want);
  });

  it('parent service not found', () => {
    expect(conds({ httpRoutes: [httpRoute('r', [svcParent('missing')], [toV1])] }, `HTTPRoute/${MESH}/r`)).toEqual({
      Accepted: 'False NoMatchingParent: parent service: "missing" not found',
      ResolvedRefs: 'True ResolvedRefs: All references resolved',
      ResolvedWaypoints: 'True ResolvedWaypoints: parent not found',
    });
  });

  it('no use-waypoint label on the service or its namespace: accepted, but "will not be respected"', () => {
    const input = { httpRoutes: [httpRoute('r', [svcParent('echo')], [toV1])], namespaces: [namespace(MESH)] };
    expect(conds(input, `HTTPRoute/${MESH}/r`).ResolvedWaypoints).toBe(`True ResolvedWaypoints: ${WAYPOINT_MISSING_LABEL}`);
  });

  it('the label on the Service itself is enough', () => {
    const input = { httpRoutes: [httpRoute('r', [svcParent('labelled')], [toV1])], namespaces: [namespace(MESH)], services: [...meshServices(), service(MESH, 'labelled', [80], { 'istio.io/use-waypoint': 'wp' })] };
    expect(conds(input, `HTTPRoute/${MESH}/r`).ResolvedWaypoints).toBe('True ResolvedWaypoints: All waypoints resolved');
  });

  it('a Gateway parent (e.g. the waypoint itself) gets no status entry and no config', () => {
    const index = meshIndex({ httpRoutes: [httpRoute('r', [{ name: 'waypoint' }], [toV1])] });
    expect(routeStatuses(index).has(`HTTPRoute/${MESH}/r`)).toBe(false);
    expect(outcome(send(index, 'echo', 80))).toBe('echo');
  });
});

describe('runtime behaviour of invalid routes', () => {
  it.each<[string, HTTPRouteRule[], string]>([
    ['hard error (missing backend port): whole route dropped ⇒ default to the service', [toV1, { matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [{ name: 'echo-v2' }] }], 'echo'],
    ['hard error (unknown filter): whole route dropped', [{ filters: [{ type: 'ExtensionRef' }], ...toV1 }], 'echo'],
    ['soft error (unknown backend): route kept, 500', [{ backendRefs: [{ name: 'nope', port: 80 }] }], '500'],
    ['invalid regex: that match is left out, the rest of the route applies', [{ matches: [{ path: { type: 'RegularExpression', value: '(' } }], backendRefs: [{ name: 'echo-v2', port: 8080 }] }, { matches: [{ path: { type: 'PathPrefix', value: '/x' } }], ...toV1 }], '404'],
  ])('%s', (_n, rules, want) => {
    expect(outcome(send(meshIndex({ httpRoutes: [httpRoute('r', [svcParent('echo', 80)], rules)] }), 'echo', 80, { path: '/' }))).toBe(want);
  });
});

describe('which routes the waypoint applies', () => {
  const base = (over: Partial<RouteInput>): RouteInput => ({
    httpRoutes: [], grpcRoutes: [], tcpRoutes: [], tlsRoutes: [], virtualServices: [], destinationRules: [], services: meshServices(), hasWaypoint: () => true, rootNamespace: 'istio-system', domain: 'cluster.local', ...over,
  });
  it('producer route (route namespace = service namespace) applies', () => {
    expect(outcome(send(compileRoutes(base({ httpRoutes: [httpRoute('r', [svcParent('echo')], [toV1])] })), 'echo', 80))).toBe('echo-v1');
  });
  it('no waypoint for the service: routes are not applied', () => {
    const index = compileRoutes(base({ httpRoutes: [httpRoute('r', [svcParent('echo')], [toV1])], hasWaypoint: () => false }));
    expect(outcome(send(index, 'echo', 80))).toBe('echo');
    expect(routeStatuses(index).get(`HTTPRoute/${MESH}/r`)?.parents?.[0]?.conditions?.[0]?.status).toBe('True');
  });
  it('consumer route from another namespace is ignored', () => {
    const index = compileRoutes(base({ httpRoutes: [httpRoute('r', [svcParent('echo', undefined, MESH)], [{ backendRefs: [{ name: 'echo-v1', namespace: MESH, port: 8080 }] }], { ns: CONSUMER })] }));
    expect(outcome(send(index, 'echo', 80))).toBe('echo');
  });
  it("a route in the waypoint's own namespace applies to every client", () => {
    const index = compileRoutes(base({ httpRoutes: [httpRoute('r', [svcParent('echo', undefined, MESH)], [{ backendRefs: [{ name: 'echo-v1', namespace: MESH, port: 8080 }] }], { ns: CONSUMER })], waypointNamespace: () => CONSUMER }));
    expect(outcome(send(index, 'echo', 80))).toBe('echo-v1');
  });
  it('port-specific routes only apply to that port; port-less routes to all ports', () => {
    const index = compileRoutes(base({ httpRoutes: [httpRoute('p', [svcParent('echo', 8080)], [toV1])] }));
    expect([outcome(send(index, 'echo', 80)), outcome(send(index, 'echo', 8080))]).toEqual(['echo', 'echo-v1']);
  });
  it('port-specific and port-less routes are not precedence-sorted together: older generated VirtualService first', () => {
    const older = httpRoute('any-port', [svcParent('echo')], [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'echo-v2', port: 8080 }] }], { created: '2026-01-01T00:00:00Z' });
    const newer = httpRoute('port-80', [svcParent('echo', 80)], [{ matches: [{ path: { type: 'Exact', value: '/x' } }], ...toV1 }], { created: '2026-01-02T00:00:00Z' });
    expect(outcome(send(compileRoutes(base({ httpRoutes: [older, newer] })), 'echo', 80, { path: '/x' }))).toBe('echo-v2');
  });
  it('HTTPRoute and GRPCRoute on the same service port are merged and sorted together', async () => {
    const { grpcRoute } = await import('./fixtures');
    const index = compileRoutes(base({
      httpRoutes: [httpRoute('h', [svcParent('echo', 7070)], [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], ...toV1 }])],
      grpcRoutes: [grpcRoute('g', [svcParent('echo', 7070)], [{ matches: [{ method: { service: 'pkg.Svc', method: 'Get' } }], backendRefs: [{ name: 'echo-v2', port: 7070 }] }])],
    }));
    expect([outcome(send(index, 'echo', 7070, { path: '/pkg.Svc/Get' })), outcome(send(index, 'echo', 7070, { path: '/pkg.Svc/List' }))]).toEqual(['echo-v2', 'echo-v1']);
  });
});

describe('GRPCRoute method matching on /<service>/<method>', () => {
  it.each<[{ type?: 'Exact' | 'RegularExpression'; service?: string; method?: string }, string, boolean]>([
    [{ service: 'pkg.Svc', method: 'Get' }, '/pkg.Svc/Get', true],
    [{ service: 'pkg.Svc', method: 'Get' }, '/pkg.Svc/GetX', false],
    [{ service: 'pkg.Svc' }, '/pkg.Svc/Anything', true],
    [{ service: 'pkg.Svc' }, '/pkg.Other/Get', false],
    [{ method: 'Get' }, '/any.Svc/Get', true],
    [{ type: 'RegularExpression', service: 'pkg\\..*', method: 'G.t' }, '/pkg.A/Get', true],
    [{ type: 'RegularExpression', service: 'pkg\\..*' }, '/pkg.A/', false],
  ])('%j %s', async (method, path, want) => {
    const { grpcRoute } = await import('./fixtures');
    const index = meshIndex({ grpcRoutes: [grpcRoute('g', [svcParent('echo', 7070)], [{ matches: [{ method }], backendRefs: [{ name: 'echo-v1', port: 7070 }] }])] });
    expect(outcome(send(index, 'echo', 7070, { method: 'POST', path }))).toBe(want ? 'echo-v1' : '404');
  });
});
