// The mesh view shares what many workloads have in common (identity, named ports, target-port maps,
// locality, namespace-inherited waypoint bindings) instead of copying it per pod; the values it
// shows are those of a per-pod computation.
import { describe, expect, it } from 'vitest';
import type { ContainerPort, Gateway, KubeObject, Labels, Namespace, Node, Pod, Service } from '../../src/k8s/types';
import { DEFAULT_MESH_CONFIG } from '../../src/control/config';
import { ViewInterner } from '../../src/control/intern';
import { seal } from '../../src/cluster/seal';
import { buildMeshView, type MeshView } from '../../src/control/mesh-view';

const ns = (name: string, labels: Labels = {}): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const node = (name: string, zone: string): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'topology.kubernetes.io/region': 'r1', 'topology.kubernetes.io/zone': zone } },
  status: { addresses: [{ type: 'InternalIP', address: `172.18.0.${zone.length}` }] },
});

function pod(namespace: string, name: string, opts: { sa?: string; node?: string; ports?: ContainerPort[]; labels?: Labels; ip: string }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: opts.labels ?? { app: 'web' } },
    spec: { serviceAccountName: opts.sa, nodeName: opts.node, containers: [{ name: 'app', image: 'app', ports: opts.ports }] },
    status: { phase: 'Running', podIP: opts.ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

const service = (namespace: string, name: string, ports: { port: number; targetPort?: number | string }[]): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { clusterIP: `10.96.0.${name.length}`, selector: { app: 'web' }, ports },
});

const waypoint = (namespace: string): Gateway => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint', namespace, labels: { 'istio.io/waypoint-for': 'workload' } },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  status: { addresses: [{ type: 'IPAddress', value: '10.96.1.1' }] },
});

function view(objects: KubeObject[]): MeshView {
  const reader = { list: (kind: string) => objects.filter((o) => o.kind === kind) };
  return buildMeshView({ name: 'c1', network: 'n1', objects: reader, version: 1 }, DEFAULT_MESH_CONFIG);
}

const http = (port: number): ContainerPort[] => [{ name: 'http', containerPort: port }];

const v = view([
  ns('shop', { 'istio.io/use-waypoint': 'waypoint' }),
  node('n-a', 'z-a'),
  node('n-b', 'z-bb'),
  waypoint('shop'),
  pod('shop', 'a1', { sa: 'web', node: 'n-a', ports: http(8080), ip: '10.0.0.1' }),
  pod('shop', 'a2', { sa: 'web', node: 'n-a', ports: http(8080), ip: '10.0.0.2' }),
  pod('shop', 'b1', { sa: 'web', node: 'n-b', ports: http(9090), ip: '10.0.0.3' }),
  pod('shop', 'c1', { sa: 'other', node: 'gone', ip: '10.0.0.4' }),
  pod('shop', 'wp-0', { node: 'n-a', ip: '10.0.0.9', labels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } }),
  service('shop', 'named', [{ port: 80, targetPort: 'http' }]),
  service('shop', 'numbered', [{ port: 80, targetPort: 8080 }]),
  service('shop', 'same-numbers', [{ port: 80, targetPort: 8080 }]),
]);
const w = (name: string) => v.workloadByPod.get(`shop/${name}`)!;
const endpoint = (svc: string, pod: string) => v.serviceByHost.get(`${svc}.shop.svc.cluster.local`)!.endpoints.find((e) => e.workload.name === pod)!;

describe('mesh view: values shared between workloads', () => {
  it.each([
    { pod: 'a1', uid: 'c1/shop/a1', identity: 'spiffe://cluster.local/ns/shop/sa/web', zone: 'z-a' },
    { pod: 'b1', uid: 'c1/shop/b1', identity: 'spiffe://cluster.local/ns/shop/sa/web', zone: 'z-bb' },
    { pod: 'c1', uid: 'c1/shop/c1', identity: 'spiffe://cluster.local/ns/shop/sa/other', zone: '' },
  ])('$pod shows its own values', ({ pod, uid, identity, zone }) => {
    expect(w(pod)).toMatchObject({ uid, identity });
    expect(w(pod).locality.zone).toBe(zone);
  });

  it('pods of one service account share one identity string', () => {
    expect(w('a1').identity).toBe(w('b1').identity);
  });

  it('workloads keep no named-port table of their own (endpoints carry the resolved ports)', () => {
    expect(Object.keys(w('a1'))).not.toContain('namedPorts');
  });

  it('pods with the same named ports share one table; different ports get their own', () => {
    const shared = new ViewInterner('cluster.local');
    const table = (p: Pod) => shared.namedPorts(p);
    const [a1, a2, b1] = [pod('shop', 'a1', { ports: http(8080), ip: '' }), pod('shop', 'a2', { ports: http(8080), ip: '' }), pod('shop', 'b1', { ports: http(9090), ip: '' })];
    expect(table(a1)).toEqual({ http: 8080 });
    expect(table(a1)).toBe(table(a2));
    expect(table(b1)).toEqual({ http: 9090 });
    expect(table(b1)).not.toBe(table(a1));
  });

  it('a containers list that can still change is read again each time; a frozen one is read once', () => {
    const shared = new ViewInterner('cluster.local');
    const open = pod('shop', 'o1', { ports: http(8080), ip: '' });
    const containers = open.spec!.containers as { ports?: { name?: string; containerPort: number }[] }[];
    expect(Object.isFrozen(containers)).toBe(false);
    expect(shared.namedPorts(open)).toEqual({ http: 8080 });
    containers[0]!.ports = [{ name: 'grpc', containerPort: 9000 }];
    expect(shared.namedPorts(open)).toEqual({ grpc: 9000 });
    const frozen = seal(pod('shop', 'f1', { ports: http(7070), ip: '' }));
    expect(shared.namedPorts(frozen)).toEqual({ http: 7070 });
    expect(shared.namedPorts({ ...frozen })).toBe(shared.namedPorts(frozen));
  });

  it("a workload's locality is its node's", () => {
    expect(w('a1').locality).toBe(v.nodes.get('n-a')!.locality);
    expect(w('c1').locality).toEqual({ region: '', zone: '', subzone: '' });
  });

  it.each([
    { svc: 'named', pod: 'a1', ports: [[80, 8080]] },
    { svc: 'named', pod: 'b1', ports: [[80, 9090]] },
    { svc: 'named', pod: 'c1', ports: [] },
    { svc: 'numbered', pod: 'b1', ports: [[80, 8080]] },
  ])('$svc → $pod resolves target ports $ports', ({ svc, pod, ports }) => {
    expect([...endpoint(svc, pod).targetPorts]).toEqual(ports);
  });

  it('endpoints resolving to the same target ports share one map, across services', () => {
    expect(endpoint('named', 'a1').targetPorts).toBe(endpoint('named', 'a2').targetPorts);
    expect(endpoint('numbered', 'a1').targetPorts).toBe(endpoint('named', 'a1').targetPorts);
    expect(endpoint('same-numbers', 'b1').targetPorts).toBe(endpoint('numbered', 'c1').targetPorts);
    expect(endpoint('named', 'b1').targetPorts).not.toBe(endpoint('named', 'a1').targetPorts);
  });

  it('pods inheriting the namespace waypoint are bound to it; the waypoint pod is not', () => {
    expect(w('a1').waypoint?.name).toBe('waypoint');
    expect(w('a1').waypointCondition?.reason).toBe('WaypointAccepted');
    expect(w('wp-0').waypoint).toBeUndefined();
    expect(w('wp-0').waypointCondition).toBeUndefined();
  });
});
