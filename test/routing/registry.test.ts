// Service lookups of the routing registry (found by binary search, made on first use) and the
// default route kept per service port once asked about.
import { describe, expect, it } from 'vitest';
import type { ServiceEntry } from '../../src/k8s/types';
import { Registry } from '../../src/routing/registry';
import type { RouteInput } from '../../src/routing';
import { meshIndex, routeInput, send, service } from './fixtures';

function entry(namespace: string, name: string, hosts: string[], ports: number[]): ServiceEntry {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace }, spec: { hosts, ports: ports.map((number) => ({ number, name: `p${number}`, protocol: 'HTTP' })) } };
}

function registry(extra: Partial<RouteInput> = {}): Registry {
  return new Registry(
    routeInput({
      // Listed out of namespace/name order on purpose.
      services: [service('b', 'web', [80]), service('a', 'web', [8080]), service('a', 'api', [81]), service('c', 'z', [1])],
      serviceEntries: [entry('a', 'ext', ['api.example.com', 'web.a.svc.cluster.local'], [443]), entry('b', 'ext2', ['api.example.com'], [8443])],
      namespaces: [],
      ...extra,
    }),
  );
}

describe('registry lookups', () => {
  const r = registry();
  const name = (s: { kind: string; namespace: string; name: string } | undefined) => (s ? `${s.kind} ${s.namespace}/${s.name}` : 'none');
  it.each([
    ['Service', 'a', 'web', 'Service a/web'],
    ['Service', 'b', 'web', 'Service b/web'],
    ['Service', 'a', 'api', 'Service a/api'],
    ['Service', 'c', 'z', 'Service c/z'],
    ['Service', 'b', 'api', 'none'],
    ['Service', 'a', 'ext', 'none'],
    ['Service', '0', 'web', 'none'],
    ['Service', 'd', 'web', 'none'],
    ['ServiceEntry', 'a', 'ext', 'ServiceEntry a/ext'],
    ['ServiceEntry', 'a', 'web', 'none'],
  ] as const)('get(%s, %s, %s) → %s', (kind, ns, n, want) => {
    expect(name(r.get(kind, ns, n))).toBe(want);
  });

  it.each([
    ['web.a.svc.cluster.local', 'Service a/web'], // a Service's FQDN beats a ServiceEntry host
    ['api.a.svc.cluster.local', 'Service a/api'],
    ['api.b.svc.cluster.local', 'none'],
    ['api.example.com', 'ServiceEntry a/ext'], // first ServiceEntry listed with the host
    ['web.a.svc.other.local', 'none'],
    ['x.web.a.svc.cluster.local', 'none'],
    ['web', 'none'],
  ])('byHostname(%s) → %s', (host, want) => {
    expect(name(r.byHostname(host))).toBe(want);
  });

  it('one object per service, with its FQDN and ports', () => {
    const s = r.get('Service', 'a', 'web');
    expect(r.get('Service', 'a', 'web')).toBe(s);
    expect(r.byHostname('web.a.svc.cluster.local')).toBe(s);
    expect(s).toMatchObject({ hosts: ['web.a.svc.cluster.local'], ports: [8080] });
  });

  it('all() lists services as given, then service entries', () => {
    expect([...r.all()].map(name)).toEqual(['Service b/web', 'Service a/web', 'Service a/api', 'Service c/z', 'ServiceEntry a/ext', 'ServiceEntry b/ext2']);
  });

  it('of two Services listed with one name, lookups by name see the last (as a name-keyed map did)', () => {
    const twice = registry({ services: [service('a', 'web', [80]), service('a', 'web', [81])] });
    expect(twice.get('Service', 'a', 'web')?.ports).toEqual([81]);
    expect([...twice.all()].map((s) => s.ports)).toEqual([[81], [443], [8443]]);
  });
});

describe('default route (no route applies)', () => {
  const index = meshIndex({ services: [service('x', 'web', [80, 81]), service('y', 'web', [80])] });
  it.each([
    ['x', 80, 'inbound-vip|80|http|web.x.svc.cluster.local'],
    ['x', 81, 'inbound-vip|81|http|web.x.svc.cluster.local'],
    ['y', 80, 'inbound-vip|80|http|web.y.svc.cluster.local'],
    ['z', 80, 'inbound-vip|80|http|web.z.svc.cluster.local'], // unknown service: still its FQDN
  ])('service web in %s, port %i → cluster %s, the same on every request', (ns, port, cluster) => {
    for (let k = 0; k < 3; k++) {
      const d = send(index, 'web', port, { path: `/p${k}?q=${k}` }, () => 0, ns);
      expect(d).toMatchObject({ type: 'forward', route: null, path: `/p${k}?q=${k}`, backend: { namespace: ns, name: 'web', port }, cluster: { clusterKey: cluster } });
    }
  });

  it('a decision is shared between requests and cannot be changed', () => {
    const a = send(index, 'web', 80, {}, () => 0, 'x');
    const b = send(index, 'web', 80, {}, () => 0, 'x');
    expect(a.decisions[0]).toBe(b.decisions[0]);
    expect(Object.isFrozen(a.decisions[0])).toBe(true);
    expect(a.decisions).not.toBe(b.decisions);
  });
});
