// Pods of one owner share one group of facts (cluster, network, namespace, owner, service account,
// identity, mode, role, gateway, waypoint binding); a pod that differs in any of them gets a group of
// its own, and every workload reads as a per-pod computation would.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../../src/control/config';
import { buildMeshView } from '../../src/control/mesh-view';
import { MeshWorkload, standInsOf } from '../../src/control/workload';
import type { Gateway, KubeObject, Labels, Namespace, Node, Pod, ReplicaSet } from '../../src/k8s/types';

const ns = (name: string, labels: Labels = {}): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } };
const rs: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd' }] } };
const waypoint: Gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'workload' } },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  status: { addresses: [{ type: 'IPAddress', value: '10.96.1.1' }] },
};

function pod(name: string, ip: string, o: { sa?: string; labels?: Labels; node?: string; ready?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: o.labels ?? { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8', uid: 'r' }] },
    spec: { serviceAccountName: o.sa ?? 'web', nodeName: o.node ?? 'n1', containers: [] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

const bound = { app: 'web', 'istio.io/use-waypoint': 'waypoint' };
const objects: KubeObject[] = [
  ns('shop', { 'istio.io/dataplane-mode': 'ambient' }),
  node,
  rs,
  waypoint,
  pod('web-1', '10.0.0.1'),
  pod('web-2', '10.0.0.2', { ready: false }),
  pod('web-3', '10.0.0.3', { sa: 'admin' }),
  pod('web-4', '10.0.0.4', { labels: bound }),
  pod('web-5', '10.0.0.5', { labels: { ...bound, tier: 'x' }, node: 'gone' }),
];
const view = buildMeshView({ name: 'c1', network: 'net1', objects: { list: (kind: string) => objects.filter((o) => o.kind === kind) }, version: 1 }, DEFAULT_MESH_CONFIG);
const w = (name: string) => view.workloadByPod.get(`shop/${name}`) as MeshWorkload;

describe('workload groups', () => {
  it.each([
    { a: 'web-1', b: 'web-2', shared: true, why: 'same owner and facts (readiness is per pod)' },
    { a: 'web-1', b: 'web-3', shared: false, why: 'another service account' },
    { a: 'web-1', b: 'web-4', shared: false, why: 'its own waypoint label binds it' },
    { a: 'web-4', b: 'web-5', shared: true, why: 'the same waypoint label resolves to one binding' },
  ])('$a and $b share a group: $shared ($why)', ({ a, b, shared }) => {
    expect(w(a).group === w(b).group).toBe(shared);
  });

  it.each([
    { pod: 'web-1', uid: 'c1/shop/web-1', identity: 'spiffe://cluster.local/ns/shop/sa/web', healthy: true, waypoint: undefined, node: 'n1', zone: 'z1' },
    { pod: 'web-2', uid: 'c1/shop/web-2', identity: 'spiffe://cluster.local/ns/shop/sa/web', healthy: false, waypoint: undefined, node: 'n1', zone: 'z1' },
    { pod: 'web-3', uid: 'c1/shop/web-3', identity: 'spiffe://cluster.local/ns/shop/sa/admin', healthy: true, waypoint: undefined, node: 'n1', zone: 'z1' },
    { pod: 'web-5', uid: 'c1/shop/web-5', identity: 'spiffe://cluster.local/ns/shop/sa/web', healthy: true, waypoint: 'waypoint', node: 'gone', zone: '' },
  ])('$pod reads its own values', ({ pod: name, uid, identity, healthy, waypoint: wp, node: n, zone }) => {
    const x = w(name);
    expect(x).toMatchObject({ uid, identity, healthy, name, cluster: 'c1', network: 'net1', namespace: 'shop', workloadName: 'web', mode: 'ambient', protocol: 'HBONE', role: 'app', node: n });
    expect(x.waypoint?.name).toBe(wp);
    expect(x.locality.zone).toBe(zone);
    expect(x.labels).toBe(x.pod.metadata.labels);
    expect(view.workloadByIp.get(x.ip)).toBe(x);
  });

  it('a stand-in replaces only what it is given, and stand-ins of one workload share their group', () => {
    const make = standInsOf(w('web-5'), { name: 'stand-in', healthy: false, waypoint: undefined });
    const d = make('net1/stand-in');
    expect(d).toMatchObject({ uid: 'net1/stand-in', name: 'stand-in', healthy: false, ip: '10.0.0.5', identity: w('web-5').identity, node: 'gone', workloadName: 'web' });
    expect(d.waypoint).toBeUndefined();
    expect(d.waypointCondition).toBe(w('web-5').waypointCondition);
    expect(w('web-5').waypoint?.name).toBe('waypoint');
    const other = make('net1/other');
    expect(other.uid).toBe('net1/other');
    expect(other.group).toBe(d.group);
  });
});
