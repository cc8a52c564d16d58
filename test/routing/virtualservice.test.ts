// VirtualService and DestinationRule at a waypoint (§5).
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { VSHTTPRoute } from '../../src/k8s/types';
import { routeHttp, type ForwardDecision, type RouteDecision } from '../../src/routing';
import { destinationRule, meshIndex, MESH, outcome, send, virtualService } from './fixtures';

const fwd = (d: RouteDecision) => d as ForwardDecision;
const vs = (http: VSHTTPRoute[], extra: Record<string, unknown> = {}) => meshIndex({ virtualServices: [virtualService('vs', { hosts: ['echo'], http, ...extra })] });
const dest = (host: string, subset?: string) => ({ destination: { host, ...(subset ? { subset } : {}) } });

describe('which VirtualServices apply', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['short host resolved in the VS namespace', { hosts: ['echo'] }, 'echo-v1'],
    ['FQDN host', { hosts: [`echo.${MESH}.svc.cluster.local`] }, 'echo-v1'],
    ['wildcard host', { hosts: ['*.svc.cluster.local'] }, 'echo-v1'],
    ['gateways without mesh: not for the waypoint', { hosts: ['echo'], gateways: ['istio-system/ingress'] }, 'echo'],
    ['gateways with mesh', { hosts: ['echo'], gateways: ['mesh', 'istio-system/ingress'] }, 'echo-v1'],
    ['exported elsewhere only', { hosts: ['echo'], exportTo: ['other'] }, 'echo'],
  ])('%s', (_n, spec, want) => {
    const index = meshIndex({ virtualServices: [virtualService('vs', { http: [{ route: [dest('echo-v1')] }], ...spec })] });
    expect(outcome(send(index, 'echo', 80))).toBe(want);
  });

  it('a VS in an unrelated namespace is ignored', () => {
    const index = meshIndex({ virtualServices: [virtualService('vs', { hosts: [`echo.${MESH}.svc.cluster.local`], http: [{ route: [dest(`echo-v1.${MESH}.svc.cluster.local`)] }] }, { ns: 'elsewhere' })] });
    expect(outcome(send(index, 'echo', 80))).toBe('echo');
  });
});

describe('VS http evaluation', () => {
  it.each<[string, VSHTTPRoute[], string, string]>([
    ['first match wins, no re-sorting', [{ match: [{ uri: { prefix: '/' } }], route: [dest('echo-v1')] }, { match: [{ uri: { exact: '/x' } }], route: [dest('echo-v2')] }], '/x', 'echo-v1'],
    ['sourceLabels match is dropped; a rule left with none vanishes', [{ match: [{ sourceLabels: { app: 'a' } }], route: [dest('echo-v2')] }, { route: [dest('echo-v1')] }], '/', 'echo-v1'],
    ['match.port other than the service port is dropped; no route left ⇒ default to the service', [{ match: [{ port: 8080 }], route: [dest('echo-v2')] }], '/', 'echo'],
    ['a dropped match does not hide the next rule', [{ match: [{ port: 8080 }], route: [dest('echo-v2')] }, { match: [{ uri: { exact: '/y' } }], route: [dest('echo-v1')] }], '/', '404'],
    ['sourceNamespace is compared with the waypoint namespace', [{ match: [{ sourceNamespace: MESH }], route: [dest('echo-v2')] }], '/', 'echo-v2'],
    ['direct response', [{ directResponse: { status: 418, body: { string: 'teapot' } } }], '/', '418'],
    ['redirect defaults to 301 and keeps the Host as sent', [{ redirect: { uri: '/new' } }], '/old?k=v', '301 http://echo/new?k=v'],
    ['unknown subset ⇒ 503 (no cluster)', [{ route: [dest('echo', 'v9')] }], '/', '503'],
    ['unknown host ⇒ 503', [{ route: [dest('nope')] }], '/', '503'],
  ])('%s', (_n, http, path, want) => expect(outcome(send(vs(http), 'echo', 80, { path }))).toBe(want));

  it('prefix rewrite of the matched prefix, regex rewrite, authority', () => {
    const index = vs([
      { match: [{ uri: { prefix: '/api' } }], rewrite: { uri: '/v2', authority: 'internal' }, route: [dest('echo-v1')] },
      { match: [{ uri: { regex: '/re/.*' } }], rewrite: { uriRegexRewrite: { match: '^/re/(.*)$', rewrite: '/x/\\1' } }, route: [dest('echo-v1')] },
    ]);
    expect([fwd(send(index, 'echo', 80, { path: '/apiary?q' })).path, fwd(send(index, 'echo', 80, { path: '/api/a' })).authority]).toEqual(['/v2ary?q', 'internal']);
    expect(fwd(send(index, 'echo', 80, { path: '/re/a/b' })).path).toBe('/x/a/b');
  });

  it('weights: share = weight / sum; request and response header ops', () => {
    const index = vs([{ headers: { request: { set: { 'x-a': '1' } }, response: { add: { 'x-r': 'y' } } }, route: [{ ...dest('echo-v1'), weight: 80 }, { ...dest('echo-v2'), weight: 20 }] }]);
    const rng = seedrandom('vs');
    let v1 = 0;
    for (let i = 0; i < 10_000; i++) if (outcome(send(index, 'echo', 80, {}, rng)) === 'echo-v1') v1++;
    expect(Math.abs(v1 / 10_000 - 0.8)).toBeLessThan(0.01);
    const d = fwd(send(index, 'echo', 80));
    expect(d.requestHeaders['x-a']).toBe('1');
    expect(d.responseHeaderOps).toEqual({ add: [['x-r', 'y']] });
  });
});

describe('fault injection (sampled with the caller rng)', () => {
  const rate = (http: VSHTTPRoute, pick: (d: ForwardDecision) => boolean) => {
    const index = vs([http]);
    const rng = seedrandom('fault');
    let n = 0;
    for (let i = 0; i < 10_000; i++) if (pick(fwd(send(index, 'echo', 80, {}, rng)))) n++;
    return n / 10_000;
  };
  it.each<[string, VSHTTPRoute['fault'], (d: ForwardDecision) => boolean, number]>([
    ['abort 418 @100%', { abort: { httpStatus: 418, percentage: { value: 100 } } }, (d) => d.fault?.abortStatus === 418, 1],
    ['abort without percentage: never', { abort: { httpStatus: 418 } }, (d) => d.fault?.abortStatus !== undefined, 0],
    ['delay 5s @30%', { delay: { fixedDelay: '5s', percentage: { value: 30 } } }, (d) => d.fault?.delayMs === 5000, 0.3],
    ['delay without percentage: never', { delay: { fixedDelay: '5s' } }, (d) => d.fault !== undefined, 0],
    ['deprecated integer percent', { delay: { fixedDelay: '1s', percent: 50 } }, (d) => d.fault?.delayMs === 1000, 0.5],
    ['grpcStatus abort', { abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } }, (d) => d.fault?.abortGrpcStatus === 'UNAVAILABLE', 1],
  ])('%s', (_n, fault, pick, want) => expect(Math.abs(rate({ fault: fault!, route: [dest('echo-v1')] }, pick) - want)).toBeLessThan(0.015));
});

describe('retries and timeout (VS)', () => {
  it.each<[string, VSHTTPRoute['retries'], Partial<NonNullable<ForwardDecision['retry']>> | null]>([
    ['unset ⇒ mesh default', undefined, { attempts: 2, statusCodes: [] }],
    ['attempts 0 disables', { attempts: 0 }, null],
    ['retryOn with codes adds retriable-status-codes', { attempts: 3, retryOn: '5xx,503', perTryTimeout: '2s' }, { attempts: 3, retryOn: ['5xx', 'retriable-status-codes'], statusCodes: [503], perTryTimeoutMs: 2000 }],
  ])('%s', (_n, retries, want) => {
    const d = fwd(send(vs([{ ...(retries ? { retries } : {}), timeout: '3s', route: [dest('echo-v1')] }]), 'echo', 80));
    expect(d.timeouts.requestMs).toBe(3000);
    if (want === null) expect(d.retry).toBeNull();
    else expect(d.retry).toMatchObject(want);
  });
});

describe('DestinationRule: subsets, load balancing, pools, outlier detection', () => {
  const dr = destinationRule('dr', {
    host: 'echo',
    trafficPolicy: {
      loadBalancer: { simple: 'ROUND_ROBIN' },
      connectionPool: { tcp: { maxConnections: 10 }, http: { http1MaxPendingRequests: 0 } },
      portLevelSettings: [{ port: { number: 8080 }, loadBalancer: { consistentHash: { httpHeaderName: 'X-User' } } }],
    },
    subsets: [
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: { consistentHash: { useSourceIp: true } }, outlierDetection: { consecutive5xxErrors: 3, interval: '5s' } } },
    ],
  });
  const index = meshIndex({
    destinationRules: [dr],
    virtualServices: [virtualService('split', { hosts: ['echo'], http: [{ match: [{ headers: { user: { exact: 'istio-custom-user' } } }], route: [dest('echo', 'v2')] }, { route: [dest('echo', 'v1')] }] })],
  });
  it('header-based subset split (TestTrafficSplit) with subset labels for the caller', () => {
    const v2 = fwd(send(index, 'echo', 80, { headers: { user: 'istio-custom-user' } }));
    const v1 = fwd(send(index, 'echo', 80));
    expect([v2.backend.subset, v2.cluster.subsetLabels, v1.backend.subset, v1.cluster.subsetLabels]).toEqual(['v2', { version: 'v2' }, 'v1', { version: 'v1' }]);
  });
  it('subset policy replaces the top-level load balancer and adds outlier detection', () => {
    const d = fwd(routeHttp(index, { namespace: MESH, service: 'echo', port: 80 }, { method: 'GET', path: '/', authority: 'echo', headers: { user: 'istio-custom-user' }, srcIp: '10.0.0.7' }, () => 0));
    expect(d.cluster.lb).toEqual({ policy: 'RING_HASH', hashOn: { sourceIp: true } });
    expect(d.hashKey).toBe('10.0.0.7');
    expect(d.cluster.outlierDetection).toMatchObject({ consecutive5xxErrors: 3, intervalMs: 5000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 10 });
  });
  it('top-level policy: ROUND_ROBIN, limits with defaults for unset / non-positive values, no outlier detection', () => {
    const d = fwd(send(index, 'echo', 80));
    expect(d.cluster.lb.policy).toBe('ROUND_ROBIN');
    expect(d.cluster.connectionPool).toMatchObject({ maxConnections: 10, http1MaxPendingRequests: 2 ** 32 - 1 });
    expect(d.cluster.outlierDetection).toBeNull();
    expect(d.cluster.destinationRule).toBe(`${MESH}/dr`);
  });
  it('port-level settings apply on their port (consistent hash on a header)', () => {
    const d = fwd(send(meshIndex({ destinationRules: [dr] }), 'echo', 8080, { headers: { 'x-user': 'alice' } }));
    expect([d.cluster.lb.policy, d.hashKey]).toEqual(['RING_HASH', 'alice']);
  });
  it('no DestinationRule ⇒ LEAST_REQUEST', () => {
    expect(fwd(send(meshIndex(), 'echo', 80)).cluster.lb).toEqual({ policy: 'LEAST_REQUEST' });
  });
  it.each<[Record<string, unknown>, string | undefined]>([
    [{ httpCookie: { name: 'session', ttl: '0s' } }, 'abc'],
    [{ httpQueryParameterName: 'u' }, 'bob'],
  ])('consistent hash %j', (consistentHash, key) => {
    const idx = meshIndex({ destinationRules: [destinationRule('d', { host: 'echo', trafficPolicy: { loadBalancer: { consistentHash } } })] });
    expect(fwd(send(idx, 'echo', 80, { path: '/?u=bob', headers: { cookie: 'a=1; session=abc' } })).hashKey).toBe(key);
  });
});
