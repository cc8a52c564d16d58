// Actions (§3): backend weights and invalid backends, redirects and rewrites beyond the
// conformance cases, mirrors, timeouts and retries.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { BackendRef, HTTPRouteFilter, HTTPRouteRule } from '../../src/k8s/types';
import { MESH_DEFAULT_RETRY, type ForwardDecision, type RouteDecision } from '../../src/routing';
import { httpRoute, meshIndex, outcome, send, svcParent } from './fixtures';

const one = (rule: HTTPRouteRule, port = 80) => meshIndex({ httpRoutes: [httpRoute('a', [svcParent('echo', port)], [rule])] });
const fwd = (d: RouteDecision) => {
  if (d.type !== 'forward') throw new Error(`expected forward, got ${JSON.stringify(d)}`);
  return d as ForwardDecision;
};

describe('backendRefs and weights', () => {
  const shares = (refs: BackendRef[]) => {
    const index = one({ backendRefs: refs });
    const rng = seedrandom('weights');
    const n = 10_000;
    const c: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const o = outcome(send(index, 'echo', 80, {}, rng));
      c[o] = (c[o] ?? 0) + 1 / n;
    }
    return c;
  };
  it.each<[string, BackendRef[], Record<string, number>]>([
    ['weight 0 is never picked; a single remaining backend takes all', [{ name: 'echo-v1', port: 8080, weight: 0 }, { name: 'echo-v2', port: 8080, weight: 5 }], { 'echo-v2': 1 }],
    ['a zero-weight backend that does not exist is harmless', [{ name: 'nope', port: 8080, weight: 0 }, { name: 'echo-v1', port: 8080 }], { 'echo-v1': 1 }],
    ['an unknown backend answers 500 for its share only', [{ name: 'nope', port: 8080, weight: 1 }, { name: 'echo-v1', port: 8080, weight: 3 }], { '500': 0.25, 'echo-v1': 0.75 }],
    ['all weights zero ⇒ 500', [{ name: 'echo-v1', port: 8080, weight: 0 }], { '500': 1 }],
    ['a backend port the service does not declare ⇒ 500 (no cluster)', [{ name: 'echo-v1', port: 1234 }], { '500': 1 }],
    ['an unsupported backend kind ⇒ 500', [{ group: 'example.com', kind: 'Thing', name: 'x', port: 80 }], { '500': 1 }],
  ])('%s', (_n, refs, want) => {
    const got = shares(refs);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expect(Math.abs(got[k]! - v)).toBeLessThan(0.01);
  });

  it('a rule with no backendRefs and no redirect answers 500', () => {
    expect(outcome(send(one({}), 'echo', 80))).toBe('500');
  });
});

describe('redirect Location composition', () => {
  const r = (requestRedirect: NonNullable<HTTPRouteFilter['requestRedirect']>, port = 80) => one({ filters: [{ type: 'RequestRedirect', requestRedirect }] }, port);
  it.each<[string, NonNullable<HTTPRouteFilter['requestRedirect']>, number, string, string, string]>([
    ['default status 302, request port 80 omitted', {}, 80, 'echo', '/a?x=1', '302 http://echo/a?x=1'],
    ['no scheme, no port: the service port is kept', {}, 8080, 'echo:8080', '/a', '302 http://echo:8080/a'],
    ['hostname replaces the Host, request port added', { hostname: 'example.org' }, 8080, 'echo:8080', '/a', '302 http://example.org:8080/a'],
    ['scheme change drops the port', { scheme: 'https' }, 8080, 'echo:8080', '/a', '302 https://echo/a'],
    ['explicit 443 with https is omitted', { scheme: 'https', port: 443 }, 80, 'echo', '/a', '302 https://echo/a'],
    ['explicit 80 with http is omitted', { port: 80 }, 8080, 'echo:8080', '/a', '302 http://echo/a'],
    ['ReplaceFullPath keeps the query', { path: { type: 'ReplaceFullPath', replaceFullPath: '/new/path' } }, 80, 'echo', '/foo?key=value', '302 http://echo/new/path?key=value'],
    ['ReplacePrefixMatch "" keeps the path (Istio)', { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '' } }, 80, 'echo', '/foo', '302 http://echo/foo'],
  ])('%s', (_n, spec, port, host, path, want) => {
    expect(outcome(send(r(spec, port), 'echo', port, { host, path }))).toBe(want);
  });
});

describe('URLRewrite', () => {
  const rw = (urlRewrite: NonNullable<HTTPRouteFilter['urlRewrite']>, value = '/foo') =>
    meshIndex({ httpRoutes: [httpRoute('rw', [svcParent('echo', 80)], [{ matches: [{ path: { type: 'PathPrefix', value } }], filters: [{ type: 'URLRewrite', urlRewrite }], backendRefs: [{ name: 'echo-v1', port: 8080 }] }])] });
  const rp = (v: string) => ({ path: { type: 'ReplacePrefixMatch' as const, replacePrefixMatch: v } });
  it.each<[string, NonNullable<HTTPRouteFilter['urlRewrite']>, string, string, string?]>([
    ['/xyz', rp('/xyz'), '/foo/bar', '/xyz/bar'],
    ['/xyz/ (trailing slash trimmed)', rp('/xyz/'), '/foo/bar', '/xyz/bar'],
    ['exact prefix', rp('/xyz'), '/foo', '/xyz'],
    ['trailing slash kept', rp('/xyz'), '/foo/', '/xyz/'],
    ['empty strips', rp(''), '/foo/bar', '/bar'],
    ['/ strips to /', rp('/'), '/foo', '/'],
    ['query preserved', rp('/xyz'), '/foo/bar?q=1', '/xyz/bar?q=1'],
    ['PathPrefix / + /xyz concatenates (Istio plain prefix /)', rp('/xyz'), '/foo', '/xyzfoo', '/'],
    ['hostname rewrites the authority', { hostname: 'rewritten.example' }, '/foo', '/foo'],
  ])('%s: %s', (_n, spec, path, want, prefix) => {
    const d = fwd(send(rw(spec, prefix), 'echo', 80, { path }));
    expect(d.path).toBe(want);
    if (spec.hostname) expect(d.authority).toBe(spec.hostname);
  });

  it('setting Host through a header modifier rewrites the authority', () => {
    const d = fwd(send(one({ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Host', value: 'h.example' }] } }], backendRefs: [{ name: 'echo-v1', port: 8080 }] }), 'echo', 80));
    expect(d.authority).toBe('h.example');
    expect(d.requestHeaders).not.toHaveProperty('host');
  });
});

describe('RequestMirror', () => {
  const mirror = (m: Partial<NonNullable<HTTPRouteFilter['requestMirror']>>) => one({ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'echo-v2', port: 8080 }, ...m } }], backendRefs: [{ name: 'echo-v1', port: 8080 }] });
  const rate = (m: Partial<NonNullable<HTTPRouteFilter['requestMirror']>>) => {
    const index = mirror(m);
    const rng = seedrandom('mirror');
    let n = 0;
    for (let i = 0; i < 10_000; i++) n += fwd(send(index, 'echo', 80, {}, rng)).mirrors.length;
    return n / 10_000;
  };
  it.each<[string, Partial<NonNullable<HTTPRouteFilter['requestMirror']>>, number]>([
    ['default: every request', {}, 1],
    ['percent 25', { percent: 25 }, 0.25],
    ['fraction 1/3', { fraction: { numerator: 1, denominator: 3 } }, 1 / 3],
    ['fraction denominator defaults to 100', { fraction: { numerator: 10 } }, 0.1],
    ['percent 0: never', { percent: 0 }, 0],
  ])('%s', (_n, m, want) => expect(Math.abs(rate(m) - want)).toBeLessThan(0.015));

  it('mirror target and primary backend', () => {
    const d = fwd(send(mirror({}), 'echo', 80));
    expect(d.backend.name).toBe('echo-v1');
    expect(d.mirrors.map((b) => `${b.name}:${b.port}`)).toEqual(['echo-v2:8080']);
  });
});

describe('timeouts and retries', () => {
  const rule = (r: Partial<HTTPRouteRule>): HTTPRouteRule => ({ backendRefs: [{ name: 'echo-v1', port: 8080 }], ...r });
  it.each<[string, Partial<HTTPRouteRule>, ForwardDecision['timeouts'], Partial<ForwardDecision['retry']> | null]>([
    ['no timeouts, no retry: mesh default retry, no timeout', {}, {}, { attempts: 2, statusCodes: [], retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'] }],
    ['request timeout', { timeouts: { request: '500ms' } }, { requestMs: 500 }, { attempts: 2 }],
    ['0s disables', { timeouts: { request: '0s' } }, {}, { attempts: 2 }],
    ['backendRequest without retry overwrites the route timeout', { timeouts: { request: '10s', backendRequest: '1s' } }, { requestMs: 1000 }, { attempts: 2 }],
    ['backendRequest with retry is the per-try timeout', { timeouts: { request: '10s', backendRequest: '1s' }, retry: { codes: [500] } }, { requestMs: 10_000, backendRequestMs: 1000 }, { perTryTimeoutMs: 1000 }],
    ['retry codes and attempts, backoff', { retry: { codes: [500, 503], attempts: 3, backoff: '100ms' } }, {}, { attempts: 3, statusCodes: [500, 503], backoffBaseMs: 100, backoffMaxMs: 1000 }],
    ['retry attempts default 2', { retry: { codes: [502] } }, {}, { attempts: 2, statusCodes: [502] }],
    ['retry attempts 0 disables retries', { retry: { attempts: 0 } }, {}, null],
  ])('%s', (_n, r, timeouts, retry) => {
    const d = fwd(send(one(rule(r)), 'echo', 80));
    expect(d.timeouts).toEqual(timeouts);
    if (retry === null) expect(d.retry).toBeNull();
    else expect(d.retry).toMatchObject(retry);
  });

  it('the default route (no HTTPRoute) carries the mesh default retry and no timeout', () => {
    const d = fwd(send(meshIndex(), 'echo', 80));
    expect(d.retry).toEqual(MESH_DEFAULT_RETRY);
    expect(d.timeouts).toEqual({});
  });
});
