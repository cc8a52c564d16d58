// Gateway API mesh conformance (conformance/tests/mesh) restated as request → expected tables
// against the waypoint routing engine. Each describe is named after the test it mirrors.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { HTTPRouteFilter, HTTPRouteRule } from '../../src/k8s/types';
import { applyResponseHeaderOps, type ForwardDecision, type RouteDecision } from '../../src/routing';
import { CONSUMER, grpcRoute, httpRoute, meshIndex, MESH, outcome, send, svcParent, type Req } from './fixtures';

const toV1 = [{ name: 'echo-v1', port: 8080 }];
const toV2 = [{ name: 'echo-v2', port: 8080 }];
const prefix = (value: string) => ({ path: { type: 'PathPrefix' as const, value } });

function asForward(d: RouteDecision): ForwardDecision {
  if (d.type !== 'forward') throw new Error(`expected forward, got ${d.type} ${JSON.stringify(d)}`);
  return d;
}

function runTable(rules: HTTPRouteRule[], cases: [Req, string][], port = 80) {
  const index = meshIndex({ httpRoutes: [httpRoute('r', [svcParent('echo', 80)], rules)] });
  it.each(cases)('%j → %s', (req, want) => {
    expect(outcome(send(index, 'echo', port, req))).toBe(want);
  });
}

describe('MeshBasic', () => {
  it('with no route, a request to the service reaches the service', () => {
    const d = asForward(send(meshIndex(), 'echo', 80));
    expect(d.route).toBeNull();
    expect(d.backend).toMatchObject({ namespace: MESH, name: 'echo', port: 80 });
  });
});

describe('MeshHTTPRouteSimpleSameNamespace', () => {
  runTable([{ backendRefs: toV1 }], [[{}, 'echo-v1']]);
});

describe('MeshHTTPRouteMatching', () => {
  runTable(
    [
      { matches: [prefix('/'), { headers: [{ name: 'version', value: 'one' }] }], backendRefs: toV1 },
      { matches: [prefix('/v2'), { headers: [{ name: 'version', value: 'two' }] }], backendRefs: toV2 },
    ],
    [
      [{ path: '/' }, 'echo-v1'],
      [{ path: '/example' }, 'echo-v1'],
      [{ path: '/', headers: { Version: 'one' } }, 'echo-v1'],
      [{ path: '/v2' }, 'echo-v2'],
      [{ path: '/v2/example' }, 'echo-v2'],
      [{ path: '/', headers: { Version: 'two' } }, 'echo-v2'],
      [{ path: '/v2/' }, 'echo-v2'],
      [{ path: '/v2example' }, 'echo-v1'],
      [{ path: '/foo/v2/example' }, 'echo-v1'],
    ],
  );
});

describe('MeshHTTPRouteQueryParamMatching', () => {
  const q = (name: string, value: string) => ({ name, value });
  runTable(
    [
      { matches: [{ queryParams: [q('animal', 'whale')] }], backendRefs: toV1 },
      { matches: [{ queryParams: [q('animal', 'dolphin')] }], backendRefs: toV2 },
      { matches: [{ ...prefix('/path1'), queryParams: [q('animal', 'whale')] }], backendRefs: toV1 },
      { matches: [{ headers: [q('version', 'one')], queryParams: [q('animal', 'whale')] }], backendRefs: toV2 },
      {
        matches: [
          { ...prefix('/path3'), queryParams: [q('animal', 'shark')] },
          { ...prefix('/path4'), headers: [q('version', 'three')], queryParams: [q('animal', 'kraken')] },
        ],
        backendRefs: toV1,
      },
      { matches: [prefix('/path5')], backendRefs: toV1 },
      { matches: [{ queryParams: [q('animal', 'hydra')] }], backendRefs: toV2 },
    ],
    [
      [{ path: '/?animal=whale' }, 'echo-v1'],
      [{ path: '/?animal=dolphin' }, 'echo-v2'],
      [{ path: '/?animal=whale&otherparam=irrelevant' }, 'echo-v1'],
      [{ path: '/?animal=dolphin&color=yellow' }, 'echo-v2'],
      [{ path: '/?color=blue' }, '404'],
      [{ path: '/?animal=dog' }, '404'],
      [{ path: '/?animal=whaledolphin' }, '404'],
      [{ path: '/' }, '404'],
      [{ path: '/path1?animal=whale' }, 'echo-v1'],
      [{ path: '/?animal=whale', headers: { version: 'one' } }, 'echo-v2'],
      [{ path: '/path3?animal=shark' }, 'echo-v1'],
      [{ path: '/path4?animal=kraken', headers: { version: 'three' } }, 'echo-v1'],
      [{ path: '/?animal=shark' }, '404'],
      [{ path: '/path4?animal=kraken' }, '404'],
      [{ path: '/path5?animal=hydra' }, 'echo-v1'],
    ],
  );
});

const redirect = (r: NonNullable<HTTPRouteFilter['requestRedirect']>): HTTPRouteFilter[] => [{ type: 'RequestRedirect', requestRedirect: r }];

describe('MeshHTTPRoute303Redirect / 307 / 308', () => {
  runTable(
    [
      { matches: [prefix('/redirect')], filters: redirect({ statusCode: 303 }) },
      { matches: [prefix('/temporary')], filters: redirect({ statusCode: 307 }) },
      { matches: [prefix('/permanent')], filters: redirect({ statusCode: 308 }) },
    ],
    [
      [{ path: '/redirect' }, '303 http://echo/redirect'],
      [{ path: '/temporary' }, '307 http://echo/temporary'],
      [{ path: '/permanent' }, '308 http://echo/permanent'],
    ],
  );
});

describe('MeshHTTPRouteRedirectHostAndStatus', () => {
  runTable(
    [
      { matches: [prefix('/hostname-redirect')], filters: redirect({ hostname: 'example.org' }) },
      { matches: [prefix('/host-and-status')], filters: redirect({ statusCode: 301, hostname: 'example.org' }) },
    ],
    [
      [{ path: '/hostname-redirect' }, '302 http://example.org/hostname-redirect'],
      [{ path: '/host-and-status' }, '301 http://example.org/host-and-status'],
    ],
  );
});

describe('MeshHTTPRouteRedirectPath', () => {
  const rp = (v: string) => ({ type: 'ReplacePrefixMatch' as const, replacePrefixMatch: v });
  const fp = (v: string) => ({ type: 'ReplaceFullPath' as const, replaceFullPath: v });
  runTable(
    [
      { matches: [prefix('/original-prefix')], filters: redirect({ path: rp('/replacement-prefix') }) },
      { matches: [prefix('/full')], filters: redirect({ path: fp('/full-path-replacement') }) },
      { matches: [prefix('/path-and-host')], filters: redirect({ hostname: 'example.org', path: rp('/replacement-prefix') }) },
      { matches: [prefix('/path-and-status')], filters: redirect({ path: rp('/replacement-prefix'), statusCode: 301 }) },
      { matches: [prefix('/full-path-and-host')], filters: redirect({ hostname: 'example.org', path: fp('/replacement-full') }) },
      { matches: [prefix('/full-path-and-status')], filters: redirect({ path: fp('/replacement-full'), statusCode: 301 }) },
    ],
    [
      [{ path: '/original-prefix/lemon' }, '302 http://echo/replacement-prefix/lemon'],
      [{ path: '/full/path/original' }, '302 http://echo/full-path-replacement'],
      [{ path: '/path-and-host' }, '302 http://example.org/replacement-prefix'],
      [{ path: '/path-and-status' }, '301 http://echo/replacement-prefix'],
      [{ path: '/full-path-and-host' }, '302 http://example.org/replacement-full'],
      [{ path: '/full-path-and-status' }, '301 http://echo/replacement-full'],
    ],
  );
});

describe('MeshHTTPRouteRedirectPort', () => {
  runTable(
    [
      { matches: [prefix('/port')], filters: redirect({ port: 8083 }) },
      { matches: [prefix('/port-and-host')], filters: redirect({ hostname: 'example.org', port: 8083 }) },
      { matches: [prefix('/port-and-status')], filters: redirect({ port: 8083, statusCode: 301 }) },
      { matches: [prefix('/port-and-host-and-status')], filters: redirect({ port: 8083, hostname: 'example.org', statusCode: 302 }) },
    ],
    [
      [{ path: '/port' }, '302 http://echo:8083/port'],
      [{ path: '/port-and-host' }, '302 http://example.org:8083/port-and-host'],
      [{ path: '/port-and-status' }, '301 http://echo:8083/port-and-status'],
      [{ path: '/port-and-host-and-status' }, '302 http://example.org:8083/port-and-host-and-status'],
    ],
  );
});

describe('MeshHTTPRouteSchemeRedirect', () => {
  runTable(
    [
      { matches: [prefix('/scheme')], filters: redirect({ scheme: 'https' }) },
      { matches: [prefix('/scheme-and-host')], filters: redirect({ hostname: 'example.org', scheme: 'https' }) },
      { matches: [prefix('/scheme-and-status')], filters: redirect({ scheme: 'https', statusCode: 301 }) },
      { matches: [prefix('/scheme-and-host-and-status')], filters: redirect({ scheme: 'https', statusCode: 302, hostname: 'example.org' }) },
    ],
    [
      [{ path: '/scheme' }, '302 https://echo/scheme'],
      [{ path: '/scheme-and-host' }, '302 https://example.org/scheme-and-host'],
      [{ path: '/scheme-and-status' }, '301 https://echo/scheme-and-status'],
      [{ path: '/scheme-and-host-and-status' }, '302 https://example.org/scheme-and-host-and-status'],
    ],
  );
});

const modifyHeaders: HTTPRouteFilter = {
  type: 'RequestHeaderModifier',
  requestHeaderModifier: {
    set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }],
    add: [
      { name: 'X-Header-Add', value: 'header-val-1' },
      { name: 'X-Header-Add-Append', value: 'header-val-2' },
    ],
    remove: ['X-Header-Remove'],
  },
};

describe('MeshHTTPRouteRewritePath', () => {
  const rw = (path: HTTPRouteFilter['urlRewrite']): HTTPRouteFilter => ({ type: 'URLRewrite', urlRewrite: path! });
  const index = meshIndex({
    httpRoutes: [
      httpRoute(
        'rewrite',
        [svcParent('echo', 80)],
        [
          { matches: [prefix('/prefix/one')], filters: [rw({ path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/one' } })], backendRefs: [{ name: 'echo-v1', port: 80 }] },
          { matches: [prefix('/strip-prefix')], filters: [rw({ path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } })], backendRefs: [{ name: 'echo-v1', port: 80 }] },
          { matches: [prefix('/full/one')], filters: [rw({ path: { type: 'ReplaceFullPath', replaceFullPath: '/one' } })], backendRefs: [{ name: 'echo-v1', port: 80 }] },
          {
            matches: [prefix('/full/rewrite-path-and-modify-headers')],
            filters: [rw({ path: { type: 'ReplaceFullPath', replaceFullPath: '/test' } }), modifyHeaders],
            backendRefs: [{ name: 'echo-v1', port: 80 }],
          },
          {
            matches: [prefix('/prefix/rewrite-path-and-modify-headers')],
            filters: [rw({ path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/prefix' } }), modifyHeaders],
            backendRefs: [{ name: 'echo-v1', port: 80 }],
          },
        ],
      ),
    ],
  });
  const sent = { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1', 'X-Header-Set': 'set-val' };
  const expectedHeaders = { 'x-header-add': 'header-val-1', 'x-header-add-append': 'append-val-1,header-val-2', 'x-header-set': 'set-overwrites-values' };
  it.each<[string, Record<string, string> | undefined, string, Record<string, string> | undefined]>([
    ['/prefix/one/two', undefined, '/one/two', undefined],
    ['/strip-prefix/three', undefined, '/three', undefined],
    ['/strip-prefix', undefined, '/', undefined],
    ['/full/one/two', undefined, '/one', undefined],
    ['/full/rewrite-path-and-modify-headers/test', sent, '/test', expectedHeaders],
    ['/prefix/rewrite-path-and-modify-headers/one', sent, '/prefix/one', expectedHeaders],
  ])('%s → %s', (path, headers, wantPath, wantHeaders) => {
    const d = asForward(send(index, 'echo', 80, { path, host: 'echo', ...(headers ? { headers } : {}) }));
    expect(d.backend.name).toBe('echo-v1');
    expect(d.path).toBe(wantPath);
    if (wantHeaders) {
      expect(d.requestHeaders).toEqual(wantHeaders);
      expect(d.requestHeaders).not.toHaveProperty('x-header-remove');
    }
  });
});

type HeaderCase = [string, Record<string, string>, Record<string, string>, string[]];
const headerCases: HeaderCase[] = [
  ['/set', { 'Some-Other-Header': 'val' }, { 'some-other-header': 'val', 'x-header-set': 'set-overwrites-values' }, []],
  ['/set', { 'Some-Other-Header': 'val', 'X-Header-Set': 'some-other-value' }, { 'some-other-header': 'val', 'x-header-set': 'set-overwrites-values' }, []],
  ['/add', { 'Some-Other-Header': 'val' }, { 'some-other-header': 'val', 'x-header-add': 'add-appends-values' }, []],
  ['/add', { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value' }, { 'some-other-header': 'val', 'x-header-add': 'some-other-value,add-appends-values' }, []],
  ['/remove', { 'X-Header-Remove': 'val' }, {}, ['x-header-remove']],
  [
    '/multiple',
    { 'X-Header-Set-2': 'set-val-2', 'X-Header-Add-2': 'add-val-2', 'X-Header-Remove-2': 'remove-val-2', 'Another-Header': 'another-header-val' },
    { 'x-header-set-1': 'header-set-1', 'x-header-set-2': 'header-set-2', 'x-header-add-1': 'header-add-1', 'x-header-add-2': 'add-val-2,header-add-2', 'x-header-add-3': 'header-add-3', 'another-header': 'another-header-val' },
    ['x-header-remove-1', 'x-header-remove-2'],
  ],
  [
    '/case-insensitivity',
    { 'x-header-set': 'original-val-set', 'x-header-add': 'original-val-add', 'x-header-remove': 'original-val-remove', 'Another-Header': 'another-header-val' },
    { 'x-header-set': 'header-set', 'x-header-add': 'original-val-add,header-add', 'another-header': 'another-header-val' },
    ['x-header-remove'],
  ],
];

function headerModifierRules(onBackend: boolean): HTTPRouteRule[] {
  const mod = (m: NonNullable<HTTPRouteFilter['requestHeaderModifier']>): HTTPRouteFilter[] => [{ type: 'RequestHeaderModifier', requestHeaderModifier: m }];
  const rule = (path: string, m: NonNullable<HTTPRouteFilter['requestHeaderModifier']>): HTTPRouteRule =>
    onBackend ? { matches: [prefix(path)], backendRefs: [{ name: 'echo-v1', port: 8080, filters: mod(m) }] } : { matches: [prefix(path)], filters: mod(m), backendRefs: toV1 };
  return [
    rule('/set', { set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }] }),
    rule('/add', { add: [{ name: 'X-Header-Add', value: 'add-appends-values' }] }),
    rule('/remove', { remove: ['X-Header-Remove'] }),
    rule('/multiple', {
      set: [
        { name: 'X-Header-Set-1', value: 'header-set-1' },
        { name: 'X-Header-Set-2', value: 'header-set-2' },
      ],
      add: [
        { name: 'X-Header-Add-1', value: 'header-add-1' },
        { name: 'X-Header-Add-2', value: 'header-add-2' },
        { name: 'X-Header-Add-3', value: 'header-add-3' },
      ],
      remove: ['X-Header-Remove-1', 'X-Header-Remove-2'],
    }),
    rule('/case-insensitivity', { set: [{ name: 'X-Header-Set', value: 'header-set' }], add: [{ name: 'X-Header-Add', value: 'header-add' }], remove: ['X-Header-Remove'] }),
  ];
}

for (const [name, onBackend] of [
  ['MeshHTTPRouteRequestHeaderModifier', false],
  ['MeshHTTPRouteBackendRequestHeaderModifier', true],
] as const) {
  describe(name, () => {
    const index = meshIndex({ httpRoutes: [httpRoute('hm', [svcParent('echo', 80)], headerModifierRules(onBackend))] });
    it.each(headerCases)('%s %j', (path, headers, want, absent) => {
      const d = asForward(send(index, 'echo', 80, { path, headers }));
      expect(d.backend.name).toBe('echo-v1');
      expect(d.requestHeaders).toEqual(want);
      for (const h of absent) expect(d.requestHeaders).not.toHaveProperty(h);
    });
  });
}

function distribution(decide: (rng: () => number) => RouteDecision, n = 10_000): Record<string, number> {
  const rng = seedrandom('mesh-weight');
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const o = outcome(decide(rng));
    counts[o] = (counts[o] ?? 0) + 1 / n;
  }
  return counts;
}

describe('MeshHTTPRouteWeight', () => {
  it('splits 70/30 within 1% over 10,000 requests', () => {
    const index = meshIndex({
      httpRoutes: [httpRoute('w', [svcParent('echo', 80)], [{ backendRefs: [{ name: 'echo-v1', port: 8080, weight: 70 }, { name: 'echo-v2', port: 8080, weight: 30 }] }])],
    });
    const d = distribution((rng) => send(index, 'echo', 80, {}, rng));
    expect(d['echo-v1']).toBeCloseTo(0.7, 1);
    expect(Math.abs(d['echo-v1']! - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(d['echo-v2']! - 0.3)).toBeLessThan(0.01);
  });
});

describe('MeshHTTPRouteNamedRule', () => {
  const index = meshIndex({
    httpRoutes: [
      httpRoute('named', [svcParent('echo', 80)], [
        { name: 'named-rule', matches: [prefix('/named')], backendRefs: toV1 },
        { matches: [prefix('/unnamed')], backendRefs: toV2 },
      ]),
    ],
  });
  it.each([
    ['/named', 'echo-v1', 'named-rule'],
    ['/unnamed', 'echo-v2', 1],
  ])('%s → %s (rule %s)', (path, backend, rule) => {
    const d = asForward(send(index, 'echo', 80, { path }));
    expect(d.backend.name).toBe(backend);
    expect(d.rule).toBe(rule);
  });
});

const setResponse = (value: string): HTTPRouteFilter[] => [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'X-Header-Set', value }] } }];
const responseHeader = (d: RouteDecision): string | undefined => (d.type === 'forward' ? applyResponseHeaderOps({}, d.responseHeaderOps)['x-header-set'] : undefined);

describe('MeshPorts', () => {
  const index = meshIndex({
    httpRoutes: [
      httpRoute('mesh-split-v1', [svcParent('echo-v1', 80)], [{ filters: setResponse('v1'), backendRefs: [{ name: 'echo-v1', port: 80 }] }]),
      httpRoute('mesh-split-v2', [svcParent('echo-v2')], [{ filters: setResponse('v2'), backendRefs: [{ name: 'echo-v2', port: 80 }] }]),
    ],
  });
  it.each<[string, string, number, string | undefined]>([
    ['Explicit port set, send to that port', 'echo-v1', 80, 'v1'],
    ['Explicit port, send to an excluded port', 'echo-v1', 8080, undefined],
    ['No port set', 'echo-v2', 80, 'v2'],
    ['No port set (other port)', 'echo-v2', 8080, 'v2'],
  ])('%s', (_name, svc, port, header) => {
    const d = send(index, svc, port, { host: svc });
    expect(outcome(d)).toBe(svc);
    expect(responseHeader(d)).toBe(header);
  });
});

describe('MeshFrontend / MeshFrontendHostname', () => {
  const index = meshIndex({ httpRoutes: [httpRoute('mesh-split-v1', [svcParent('echo-v2')], [{ filters: setResponse('set'), backendRefs: [{ name: 'echo-v2', port: 80 }] }])] });
  it('Send to service: the route applies', () => {
    expect(responseHeader(send(index, 'echo-v2', 80))).toBe('set');
  });
  it('Send to service with wrong hostname: routing follows the dialed service, not Host', () => {
    const d = send(index, 'echo-v2', 80, { host: 'echo-v1' });
    expect(outcome(d)).toBe('echo-v2');
    expect(responseHeader(d)).toBe('set');
  });
  it('Send to other service with matching hostname: no route', () => {
    const d = send(index, 'echo-v1', 80, { host: 'echo-v2' });
    expect(outcome(d)).toBe('echo-v1');
    expect(responseHeader(d)).toBeUndefined();
  });
  // "Send to pod IP" never reaches routeHttp: pod-addressed traffic takes the waypoint's direct chain.
});

describe('MeshConsumerRoute (Istio ambient: the waypoint ignores consumer routes)', () => {
  const index = meshIndex({
    httpRoutes: [
      httpRoute('mesh-echo-add-header', [svcParent('echo-v1', undefined, MESH)], [{ filters: setResponse('set'), backendRefs: [{ name: 'echo-v1', namespace: MESH, port: 80 }] }], { ns: CONSUMER }),
    ],
  });
  it('requests from any namespace see the producer behaviour (no header)', () => {
    const d = send(index, 'echo-v1', 80, { host: `echo-v1.${MESH}` });
    expect(outcome(d)).toBe('echo-v1');
    expect((d as ForwardDecision).route).toBeNull();
    expect(responseHeader(d)).toBeUndefined();
  });
});

describe('MeshTrafficSplit', () => {
  const index = meshIndex({
    httpRoutes: [
      httpRoute('mesh-split', [svcParent('echo')], [
        { matches: [{ path: { type: 'Exact', value: '/v1' } }], backendRefs: [{ name: 'echo-v1', port: 80 }] },
        { matches: [{ path: { type: 'Exact', value: '/v2' } }], backendRefs: [{ name: 'echo-v2', port: 80 }] },
      ]),
    ],
  });
  it.each([
    ['/v1', 'echo-v1'],
    ['/v2', 'echo-v2'],
    ['/v3', '404'],
  ])('%s → %s', (path, want) => expect(outcome(send(index, 'echo', 80, { path }))).toBe(want));
});

describe('MeshGRPCRouteWeight', () => {
  it('splits 70/30 and ignores the weight-0 nonexistent echo-v3', () => {
    const index = meshIndex({
      grpcRoutes: [
        grpcRoute('w', [svcParent('echo', 7070)], [
          { backendRefs: [{ name: 'echo-v1', port: 7070, weight: 70 }, { name: 'echo-v2', port: 7070, weight: 30 }, { name: 'echo-v3', port: 7070, weight: 0 }] },
        ]),
      ],
    });
    const d = distribution((rng) => send(index, 'echo', 7070, { method: 'POST', path: '/grpc.testing.TestService/UnaryCall' }, rng));
    expect(Math.abs(d['echo-v1']! - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(d['echo-v2']! - 0.3)).toBeLessThan(0.01);
    expect(Object.keys(d).sort()).toEqual(['echo-v1', 'echo-v2']);
  });
});

describe('MeshGRPCRouteRequestHeaderModifier', () => {
  const rule = (value: string, m: NonNullable<HTTPRouteFilter['requestHeaderModifier']>, backend: string) => ({
    matches: [{ headers: [{ name: 'x-test-case', value }] }],
    filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: m }],
    backendRefs: [{ name: backend, port: 7070 }],
  });
  const index = meshIndex({
    grpcRoutes: [
      grpcRoute('hm', [svcParent('echo', 7070)], [
        rule('set', { set: [{ name: 'x-header-set', value: 'set-overwrites-values' }] }, 'echo-v1'),
        rule('add', { add: [{ name: 'x-header-add', value: 'add-appends-values' }] }, 'echo-v1'),
        rule('remove', { remove: ['x-header-remove'] }, 'echo-v1'),
        rule(
          'multi',
          {
            set: [{ name: 'x-header-set-1', value: 'header-set-1' }, { name: 'x-header-set-2', value: 'header-set-2' }],
            add: [{ name: 'x-header-add-1', value: 'header-add-1' }, { name: 'x-header-add-2', value: 'header-add-2' }],
            remove: ['x-header-remove-1', 'x-header-remove-2'],
          },
          'echo-v2',
        ),
      ]),
    ],
  });
  it.each<[string, Record<string, string>, Record<string, string>, string]>([
    ['set', { 'some-other-header': 'this-header-should-be-set', 'x-header-set': 'this-value-should-be-overwritten' }, { 'x-test-case': 'set', 'some-other-header': 'this-header-should-be-set', 'x-header-set': 'set-overwrites-values' }, 'echo-v1'],
    ['add', { 'x-header-add': 'this-value-should-be-appended' }, { 'x-test-case': 'add', 'x-header-add': 'this-value-should-be-appended,add-appends-values' }, 'echo-v1'],
    ['remove', { 'x-header-remove': 'this-should-be-removed' }, { 'x-test-case': 'remove' }, 'echo-v1'],
    [
      'multi',
      { 'x-header-set-2': 'set-header-2', 'x-header-add-2': 'add-header-2', 'x-header-remove-2': 'should-be-removed-2' },
      { 'x-test-case': 'multi', 'x-header-set-1': 'header-set-1', 'x-header-set-2': 'header-set-2', 'x-header-add-1': 'header-add-1', 'x-header-add-2': 'add-header-2,header-add-2' },
      'echo-v2',
    ],
  ])('%s', (value, headers, want, backend) => {
    const d = asForward(send(index, 'echo', 7070, { method: 'POST', path: '/grpc.testing.TestService/UnaryCall', headers: { 'x-test-case': value, ...headers } }));
    expect(d.backend.name).toBe(backend);
    expect(d.requestHeaders).toEqual(want);
  });
});
