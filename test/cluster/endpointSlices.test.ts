import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../../src/k8s/types';
import { applyOk, deployment, makeCluster, namespace, service } from './fixtures';

function slices(c: ReturnType<typeof makeCluster>, ns: string, svc: string): EndpointSlice[] {
  return c.list('EndpointSlice', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc) as EndpointSlice[];
}

/** ports of each slice → the pods in it, e.g. { '[{"http":5678}]': ['v1-..', ...] } */
function byPorts(list: EndpointSlice[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of list) {
    const key = (s.ports ?? []).map((p) => `${p.name}:${p.port}`).join(',');
    out[key] = [...(out[key] ?? []), ...s.endpoints.map((e) => e.targetRef!.name.split('-')[0]!)].sort();
  }
  return out;
}

describe('EndpointSlices', () => {
  const withPort = (name: string, portName: string, port: number) =>
    deployment('apps', name, 1, { labels: { app: 'echo', version: name }, containers: [{ name: 'c', ports: [{ name: portName, containerPort: port }] }] });

  it.each([
    ['numeric targetPort applies to every pod', [{ name: 'web', port: 80, targetPort: 9000 }], { 'web:9000': ['a', 'b', 'c'] }],
    ['named targetPort resolves per pod; pods lacking it are left out of that port', [{ name: 'web', port: 80, targetPort: 'http' }], { 'web:8080': ['a'], 'web:9090': ['b'], '': ['c'] }],
    [
      'pods are grouped by their resolved port mapping',
      [
        { name: 'web', port: 80, targetPort: 'http' },
        { name: 'admin', port: 81, targetPort: 7000 },
      ],
      { 'web:8080,admin:7000': ['a'], 'web:9090,admin:7000': ['b'], 'admin:7000': ['c'] },
    ],
  ])('%s', (_t, ports, want) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), withPort('a', 'http', 8080), withPort('b', 'http', 9090), withPort('c', 'grpc', 9090), service('apps', 'echo', { selector: { app: 'echo' }, ports }));
    expect(byPorts(slices(c, 'apps', 'echo'))).toEqual(want);
  });

  it('endpoints carry conditions, node, zone and a Pod targetRef; slice labels name the service', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 1), service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const [s] = slices(c, 'apps', 'web');
    const pod = c.list('Pod', 'apps')[0]!;
    expect(s!.metadata.labels).toEqual({ 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'web' });
    expect(s!.endpoints).toEqual([
      {
        addresses: [(pod.status as { podIP: string }).podIP],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'node-b',
        zone: 'z2',
        targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: 'apps', uid: pod.metadata.uid },
      },
    ]);
  });

  it.each([
    ['not ready before the delay', 500, false, false],
    ['ready once advance() passes the delay', 1000, true, false],
    ['publishNotReadyAddresses reports not-ready pods as ready', 500, true, true],
  ])('readiness: %s', (_t, at, ready, publish) => {
    const c = makeCluster({ podReadyDelayMs: 1000 });
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 2), service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }], publishNotReadyAddresses: publish }));
    c.advance(at);
    const eps = slices(c, 'apps', 'web').flatMap((s) => s.endpoints);
    expect(eps).toHaveLength(2);
    expect(eps.every((e) => e.conditions?.ready === ready)).toBe(true);
  });

  it('pod readiness flips at creation + delay and is stamped with that time', () => {
    const c = makeCluster({ podReadyDelayMs: 2500 });
    applyOk(c, 1000, namespace('apps'), deployment('apps', 'web', 1));
    c.advance(3499);
    const cond = () => (c.list('Pod', 'apps')[0]!.status as { conditions: { type: string; status: string; lastTransitionTime: string }[] }).conditions.find((x) => x.type === 'Ready')!;
    expect(cond().status).toBe('False');
    c.advance(3500);
    expect(cond()).toMatchObject({ status: 'True', lastTransitionTime: '2026-01-01T00:00:03Z' });
  });

  it('a service with no matching pods keeps one empty placeholder slice', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), service('apps', 'none', { selector: { app: 'nothing' }, ports: [{ port: 80 }] }));
    const list = slices(c, 'apps', 'none');
    expect(list).toHaveLength(1);
    expect(list[0]!.endpoints).toEqual([]);
    expect(list[0]!.ports).toBeUndefined();
  });

  it('selector-less services keep user-provided slices untouched', () => {
    const c = makeCluster();
    const userSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'ext-1', namespace: 'apps', labels: { 'kubernetes.io/service-name': 'ext' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.0.2.10'] }],
      ports: [{ name: 'http', port: 80 }],
    };
    applyOk(c, 0, namespace('apps'), service('apps', 'ext', { ports: [{ name: 'http', port: 80 }] }), userSlice);
    expect(slices(c, 'apps', 'ext').map((s) => [s.metadata.name, s.endpoints[0]!.addresses[0]])).toEqual([['ext-1', '192.0.2.10']]);
  });

  it('follows pod label changes: a relabelled pod leaves the slice and its ReplicaSet replaces it', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 1), service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const first = c.list('Pod', 'apps')[0]!.metadata.name;
    expect(c.label('Pod', 'apps', first, { app: 'quarantine' }, { overwrite: true }, 10)).toMatchObject({ ok: true, message: 'labeled' });
    const names = slices(c, 'apps', 'web').flatMap((s) => s.endpoints.map((e) => e.targetRef!.name));
    expect(names).toHaveLength(1);
    expect(names[0]).not.toBe(first);
    expect(c.get('Pod', 'apps', first)!.metadata.ownerReferences).toEqual([]);
  });

  it('splits more than 100 endpoints into several slices', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 150), service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(slices(c, 'apps', 'web').map((s) => s.endpoints.length).sort()).toEqual([100, 50]);
  });
});
