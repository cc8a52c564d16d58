// TCPRoute / TLSRoute / VirtualService tcp at a waypoint's TCP chain (§4.2–4.3).
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { routeStatuses, routeTcp, type RouteIndex, type TcpDecision } from '../../src/routing';
import { meshIndex, MESH, svcParent, tcpRoute, tlsRoute, virtualService } from './fixtures';

const tcp = (index: RouteIndex, port = 9090, rng: () => number = () => 0): TcpDecision => routeTcp(index, { namespace: MESH, service: 'echo', port }, { sni: 'ignored.example' }, rng);
const who = (d: TcpDecision) => (d.type === 'forward' ? d.backend.name : 'reject');
const FQDN = `echo.${MESH}.svc.cluster.local`;

describe('TCPRoute', () => {
  it('weights 3/1/1 all hit, the weight-3 backend most (TestTCPRoute)', () => {
    const index = meshIndex({ tcpRoutes: [tcpRoute('t', [svcParent('echo', 9090)], [{ backendRefs: [{ name: 'echo-v1', port: 9090, weight: 3 }, { name: 'echo-v2', port: 9090, weight: 1 }, { name: 'echo', port: 9090, weight: 1 }] }])] });
    const rng = seedrandom('tcp');
    const c: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const w = who(tcp(index, 9090, rng));
      c[w] = (c[w] ?? 0) + 1;
    }
    expect(Math.abs(c['echo-v1']! / 10_000 - 0.6)).toBeLessThan(0.015);
    expect(c['echo-v2']! > 0 && c['echo']! > 0).toBe(true);
  });
  it.each<[string, { name: string; port?: number; weight?: number }[], string]>([
    ['unknown backend: connection closed', [{ name: 'nope', port: 9090 }], 'reject'],
    ['all weights zero: connection closed', [{ name: 'echo-v1', port: 9090, weight: 0 }], 'reject'],
  ])('%s', (_n, backendRefs, want) => {
    expect(who(tcp(meshIndex({ tcpRoutes: [tcpRoute('t', [svcParent('echo', 9090)], [{ backendRefs }])] })))).toBe(want);
  });
  it('no route for the port ⇒ the service itself', () => {
    const index = meshIndex({ tcpRoutes: [tcpRoute('t', [svcParent('echo', 9090)], [{ backendRefs: [{ name: 'echo-v1', port: 9090 }] }])] });
    expect([who(tcp(index, 9090)), who(tcp(index, 443))]).toEqual(['echo-v1', 'echo']);
  });
  it('status like HTTPRoute', () => {
    const index = meshIndex({ tcpRoutes: [tcpRoute('t', [svcParent('echo', 9090)], [{ backendRefs: [{ name: 'nope', port: 9090 }] }])] });
    expect(routeStatuses(index).get(`TCPRoute/${MESH}/t`)?.parents?.[0]?.conditions?.[1]).toMatchObject({ type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound' });
  });
});

describe('TLSRoute (the waypoint does not inspect SNI)', () => {
  const tls = (hostnames: string[] | undefined) =>
    meshIndex({
      tcpRoutes: [tcpRoute('t', [svcParent('echo', 9090)], [{ backendRefs: [{ name: 'echo-v2', port: 9090 }] }])],
      tlsRoutes: [tlsRoute('s', [svcParent('echo', 9090)], hostnames, [{ backendRefs: [{ name: 'echo-v1', port: 9090 }] }])],
    });
  it.each<[string, string[] | undefined, string]>([
    ['no hostnames ⇒ service FQDN; beats the TCPRoute', undefined, 'echo-v1'],
    ['exactly the FQDN', [FQDN], 'echo-v1'],
    ['several, filtered to the FQDN', [FQDN, 'other.example'], 'echo-v1'],
    ['another hostname: never applied', ['api.example.com'], 'echo-v2'],
    ['wildcard: never applied', ['*.svc.cluster.local'], 'echo-v2'],
  ])('%s', (_n, hostnames, want) => expect(who(tcp(tls(hostnames)))).toBe(want));
});

describe('VirtualService tcp routes', () => {
  it('first route whose port matches', () => {
    const index = meshIndex({
      virtualServices: [virtualService('v', { hosts: ['echo'], tcp: [{ match: [{ port: 1 }], route: [{ destination: { host: 'echo-v2' } }] }, { match: [{ port: 9090 }], route: [{ destination: { host: 'echo-v1', port: { number: 9090 } } }] }] })],
    });
    expect(who(tcp(index))).toBe('echo-v1');
  });
});
