import { describe, expect, it } from 'vitest';
import type { Condition, Gateway } from '../../src/k8s/types';
import { applyOk, gateway, makeCluster, namespace } from './fixtures';

function programmed(gw: Gateway | undefined): Condition | undefined {
  return gw?.status?.conditions?.find((c) => c.type === 'Programmed');
}

describe('GatewayClasses', () => {
  it.each([
    ['istio', 'istio.io/gateway-controller'],
    ['istio-waypoint', 'istio.io/mesh-controller'],
    ['istio-remote', 'istio.io/unmanaged-gateway'],
    ['istio-east-west', 'istio.io/eastwest-controller'],
  ])('%s is created with controller %s and Accepted', (name, controller) => {
    const c = makeCluster();
    const gc = c.get('GatewayClass', undefined, name)!;
    expect((gc.spec as { controllerName: string }).controllerName).toBe(controller);
    expect((gc.status as { conditions: Condition[] }).conditions[0]).toMatchObject({ type: 'Accepted', status: 'True', message: 'Handled by Istio controller' });
  });

  it('is re-created when deleted', () => {
    const c = makeCluster();
    c.delete('GatewayClass', undefined, 'istio-waypoint', 0);
    expect(c.get('GatewayClass', undefined, 'istio-waypoint')).toBeDefined();
  });
});

describe("istiod's gateway deployment controller", () => {
  it.each([
    ['istio-waypoint', 'waypoint', 'waypoint', 'ClusterIP', 'istio.io-mesh-controller'],
    ['istio', 'ingress', 'ingress-istio', 'LoadBalancer', 'istio.io-gateway-controller'],
    ['istio-east-west', 'istio-eastwestgateway', 'istio-eastwestgateway', 'LoadBalancer', 'istio.io-eastwest-controller'],
  ])('class %s: Gateway %s → Deployment/Service %s of type %s', (cls, gwName, objName, type, managed) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), gateway('apps', gwName, cls));
    const dep = c.get('Deployment', 'apps', objName)!;
    const svc = c.get('Service', 'apps', objName)!;
    expect(dep.metadata.labels).toMatchObject({ 'gateway.networking.k8s.io/gateway-name': gwName, 'gateway.istio.io/managed': managed });
    expect((svc.spec as { type: string }).type).toBe(type);
    expect(dep.metadata.ownerReferences).toEqual([{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: gwName, uid: c.get('Gateway', 'apps', gwName)!.metadata.uid }]);
    const pod = c.list('Pod', 'apps')[0]!;
    expect(pod.metadata.labels).toMatchObject({ 'gateway.networking.k8s.io/gateway-name': gwName, 'gateway.istio.io/managed': managed, 'istio.io/dataplane-mode': 'none', 'sidecar.istio.io/inject': 'false' });
  });

  it('a waypoint gets SA, Deployment and ClusterIP Service named like the Gateway, ports 15021 and 15008', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('accounts'), gateway('accounts', 'waypoint', 'istio-waypoint'));
    expect(c.get('ServiceAccount', 'accounts', 'waypoint')).toBeDefined();
    const svc = c.get('Service', 'accounts', 'waypoint')!;
    expect((svc.spec as { ports: unknown[] }).ports).toEqual([
      { name: 'status-port', port: 15021, protocol: 'TCP', appProtocol: 'tcp', targetPort: 15021 },
      { name: 'mesh', port: 15008, protocol: 'TCP', appProtocol: 'hbone', targetPort: 15008 },
    ]);
    expect(svc.metadata.annotations?.['networking.istio.io/traffic-distribution']).toBe('PreferClose');
    const pod = c.list('Pod', 'accounts')[0]!;
    expect((pod.spec as { serviceAccountName: string }).serviceAccountName).toBe('waypoint');
    expect(pod.metadata.labels?.['topology.istio.io/network']).toBe('network-1');
  });

  it('honours the service-account annotation, infrastructure labels/annotations and listener ports', () => {
    const c = makeCluster();
    const gw = gateway(
      'apps',
      'ingress',
      'istio',
      [
        { name: 'http', port: 80, protocol: 'HTTP' },
        { name: 'https', port: 443, protocol: 'HTTPS' },
      ],
      { annotations: { 'gateway.istio.io/service-account': 'custom-sa', 'networking.istio.io/service-type': 'ClusterIP' }, infrastructure: { labels: { team: 'edge' }, annotations: { note: 'x' } } },
    );
    applyOk(c, 0, namespace('apps'), gw);
    expect(c.get('ServiceAccount', 'apps', 'custom-sa')).toBeDefined();
    const dep = c.get('Deployment', 'apps', 'ingress-istio')!;
    expect(dep.metadata.labels?.team).toBe('edge');
    expect(dep.metadata.annotations?.note).toBe('x');
    expect(dep.metadata.annotations?.['gateway.istio.io/service-account']).toBeUndefined();
    const svc = c.get('Service', 'apps', 'ingress-istio')!;
    expect((svc.spec as { type: string; ports: { name: string; port: number }[] }).ports.map((p) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'http:80', 'https:443']);
    expect((svc.spec as { type: string }).type).toBe('ClusterIP');
  });

  it('deleting the Gateway deletes what was generated, and its pods', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('accounts'), gateway('accounts', 'waypoint', 'istio-waypoint'));
    expect(c.delete('Gateway', 'accounts', 'waypoint', 10)).toMatchObject({ ok: true, message: 'gateway.gateway.networking.k8s.io "waypoint" deleted from accounts namespace' });
    for (const kind of ['Deployment', 'ReplicaSet', 'Pod', 'Service', 'EndpointSlice']) expect(c.list(kind, 'accounts')).toEqual([]);
    expect(c.list('ServiceAccount', 'accounts').map((s) => s.metadata.name)).toEqual(['default']);
  });

  it('re-creates a generated Deployment deleted by hand, but keeps a hand-edited replica count', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('accounts'), gateway('accounts', 'waypoint', 'istio-waypoint'));
    c.delete('Deployment', 'accounts', 'waypoint', 1);
    expect(c.get('Deployment', 'accounts', 'waypoint')).toBeDefined();
    c.scale('Deployment', 'accounts', 'waypoint', 0, 2);
    c.apply(gateway('accounts', 'waypoint', 'istio-waypoint', undefined, { labels: { touched: 'yes' } }), 3);
    expect((c.get('Deployment', 'accounts', 'waypoint')!.spec as { replicas: number }).replicas).toBe(0);
    expect(c.get('Deployment', 'accounts', 'waypoint')!.metadata.labels?.touched).toBe('yes');
  });
});

describe('Gateway status', () => {
  it('a waypoint is Accepted at once and Programmed with addresses once its pod is Ready', () => {
    const c = makeCluster({ podReadyDelayMs: 5000 });
    applyOk(c, 0, namespace('accounts'), gateway('accounts', 'waypoint', 'istio-waypoint'));
    const gw = () => c.get('Gateway', 'accounts', 'waypoint') as Gateway;
    expect(gw().status?.conditions?.[0]).toMatchObject({ type: 'Accepted', status: 'True', reason: 'Accepted' });
    expect(programmed(gw())).toMatchObject({
      status: 'False',
      reason: 'AddressNotAssigned',
      message: 'Failed to assign to any requested addresses: no instances found for hostname "waypoint.accounts.svc.cluster.local"',
    });
    expect(gw().status?.addresses).toBeUndefined();
    c.advance(5000);
    expect(programmed(gw())).toMatchObject({
      status: 'True',
      reason: 'Programmed',
      message: 'Resource programmed, assigned to service(s) waypoint.accounts.svc.cluster.local:15008',
      lastTransitionTime: '2026-01-01T00:00:05Z',
    });
    const vip = (c.get('Service', 'accounts', 'waypoint')!.spec as { clusterIP: string }).clusterIP;
    expect(gw().status?.addresses).toEqual([
      { type: 'IPAddress', value: vip },
      { type: 'Hostname', value: 'waypoint.accounts.svc.cluster.local' },
    ]);
    expect(gw().status?.listeners).toEqual([
      expect.objectContaining({ name: 'mesh', attachedRoutes: 0, supportedKinds: [] }),
    ]);
  });

  it('keeps the addresses after the waypoint is scaled to 0, while Programmed turns False again', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('accounts'), gateway('accounts', 'waypoint', 'istio-waypoint'));
    const before = (c.get('Gateway', 'accounts', 'waypoint') as Gateway).status?.addresses;
    expect(before).toHaveLength(2);
    c.scale('Deployment', 'accounts', 'waypoint', 0, 1000);
    expect(c.list('Pod', 'accounts')).toEqual([]);
    const gw = c.get('Gateway', 'accounts', 'waypoint') as Gateway;
    expect(gw.status?.addresses).toEqual(before);
    expect(programmed(gw)).toMatchObject({ status: 'False', reason: 'AddressNotAssigned' });
  });

  it.each([
    ['istio (LoadBalancer): the external IP', 'istio', 'ingress', [{ name: 'http', port: 80, protocol: 'HTTP' }], [{ type: 'IPAddress', value: '172.18.255.1' }], 'ingress-istio.apps.svc.cluster.local:80'],
    ['istio-east-west: the external IP', 'istio-east-west', 'ew', [{ name: 'mesh', port: 15008, protocol: 'HBONE' }], [{ type: 'IPAddress', value: '172.18.255.1' }], 'ew.apps.svc.cluster.local:15008'],
  ])('reports %s', (_t, cls, name, listeners, addresses, assigned) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), gateway('apps', name, cls, listeners));
    const gw = c.get('Gateway', 'apps', name) as Gateway;
    expect(gw.status?.addresses).toEqual(addresses);
    expect(programmed(gw)?.message).toBe(`Resource programmed, assigned to service(s) ${assigned}`);
  });

  it('istio-remote gateways are not deployed; status echoes spec.addresses', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('istio-gw'), gateway('istio-gw', 'remote', 'istio-remote', [{ name: 'mesh', port: 15008, protocol: 'HBONE' }], { addresses: [{ type: 'IPAddress', value: '172.19.255.1' }] }));
    expect(c.list('Deployment', 'istio-gw')).toEqual([]);
    const gw = c.get('Gateway', 'istio-gw', 'remote') as Gateway;
    expect(gw.status?.addresses).toEqual([{ type: 'IPAddress', value: '172.19.255.1' }]);
    expect(programmed(gw)).toMatchObject({ status: 'True', message: 'This Gateway is remote; Istio will not program it' });
  });

  it('a Gateway of an unknown class is left alone', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), gateway('apps', 'x', 'someone-else'));
    expect(c.get('Gateway', 'apps', 'x')!.status).toBeUndefined();
    expect(c.list('Deployment', 'apps')).toEqual([]);
  });
});
