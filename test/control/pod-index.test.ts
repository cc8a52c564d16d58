// `workloadByPod` answers `ns/name` lookups as a Map keyed by that string would, from per-namespace
// lists sorted by name, and leaves the order the view lists workloads (and endpoints) in alone.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../../src/control/config';
import { buildMeshView } from '../../src/control/mesh-view';
import type { WorkloadInfo } from '../../src/control/model';
import { PodIndex } from '../../src/control/pod-index';
import type { KubeObject, Pod, Service } from '../../src/k8s/types';

const pod = (namespace: string, name: string, ip: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'app' }] },
  status: { phase: 'Running', podIP: ip },
});

const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { clusterIP: '10.96.0.1', selector: { app: 'web' }, ports: [{ port: 80 }] },
};

// Deliberately not in name order, as a reader other than the API server may list them.
const objects: KubeObject[] = [
  pod('shop', 'web-b', '10.0.0.2'),
  pod('shop', 'web-a', '10.0.0.1'),
  pod('shop', 'web-a-0', '10.0.0.3'),
  pod('shop', 'Web-c', '10.0.0.4'),
  pod('tools', 'web-a', '10.0.0.5'),
  service,
];
const view = buildMeshView(
  { name: 'c1', network: 'n1', objects: { list: (kind: string) => objects.filter((o) => o.kind === kind) }, version: 1 },
  DEFAULT_MESH_CONFIG,
);

describe('workloadByPod', () => {
  it.each([
    { key: 'shop/web-a', ip: '10.0.0.1' },
    { key: 'shop/web-a-0', ip: '10.0.0.3' },
    { key: 'shop/web-b', ip: '10.0.0.2' },
    { key: 'shop/Web-c', ip: '10.0.0.4' },
    { key: 'tools/web-a', ip: '10.0.0.5' },
    { key: 'shop/web', ip: undefined },
    { key: 'shop/web-a-1', ip: undefined },
    { key: 'shop/web-c', ip: undefined },
    { key: 'other/web-a', ip: undefined },
    { key: 'web-a', ip: undefined },
    { key: 'shop/web-a/x', ip: undefined },
    { key: '/web-a', ip: undefined },
    { key: '', ip: undefined },
  ])('$key → $ip', ({ key, ip }) => {
    expect(view.workloadByPod.get(key)?.ip).toBe(ip);
  });

  it('finds every workload of the view under its own namespace and name', () => {
    for (const w of view.workloads) expect(view.workloadByPod.get(`${w.namespace}/${w.name}`)).toBe(w);
  });

  it('keeps the listed order for workloads and endpoints', () => {
    expect(view.workloads.map((w) => w.name)).toEqual(['web-b', 'web-a', 'web-a-0', 'Web-c', 'web-a']);
    expect(view.services[0]!.endpoints.map((e) => e.workload.name)).toEqual(['web-b', 'web-a', 'web-a-0', 'Web-c']);
  });

  it('of two pods listed with one name, answers the last (as a Map set in list order would)', () => {
    const first = { name: 'p', namespace: 'ns' } as WorkloadInfo;
    const second = { name: 'p', namespace: 'ns' } as WorkloadInfo;
    const other = { name: 'a', namespace: 'ns' } as WorkloadInfo;
    expect(new PodIndex(new Map([['ns', [first, other, second]]])).get('ns/p')).toBe(second);
    expect(new PodIndex(new Map([['ns', [other, first, second]]])).get('ns/p')).toBe(second);
  });
});
