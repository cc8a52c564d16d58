// What keeps a large cluster small: pods of one ReplicaSet share the frozen parts they have in
// common instead of holding copies, and the store never keeps (or freezes) a caller's objects.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, KubeObject, Pod, ReplicaSet } from '../../src/k8s/types';
import { applyOk, deployment, makeCluster, namespace, service } from './fixtures';

function fivePods() {
  const c = makeCluster();
  applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 5), service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 5678 }] }));
  const pods = c.list('Pod', 'apps') as Pod[];
  const rs = c.list('ReplicaSet', 'apps')[0] as ReplicaSet;
  return { c, pods, rs };
}

describe('pods of one ReplicaSet share their common parts', () => {
  const { c, pods, rs } = fivePods();
  const first = pods[0]!;

  it.each([
    ['metadata.labels', (p: Pod) => p.metadata.labels],
    ['metadata.ownerReferences', (p: Pod) => p.metadata.ownerReferences],
    ['spec.containers', (p: Pod) => p.spec!.containers],
    ['status.conditions', (p: Pod) => p.status!.conditions],
  ])('%s is one object for all five pods', (_, part) => {
    expect(pods).toHaveLength(5);
    for (const p of pods) expect(part(p)).toBe(part(first));
  });

  it('labels and containers are the ReplicaSet template’s own objects', () => {
    expect(first.metadata.labels).toBe(rs.spec!.template.metadata!.labels);
    expect(first.spec!.containers).toBe(rs.spec!.template.spec.containers);
  });

  it('what differs per pod is its own: name, uid, IP', () => {
    expect(new Set(pods.map((p) => p.metadata.uid)).size).toBe(5);
    expect(new Set(pods.map((p) => p.status!.podIP)).size).toBe(5);
  });

  it('endpoints with the same conditions share one conditions object', () => {
    const slice = c.list('EndpointSlice', 'apps')[0] as EndpointSlice;
    expect(slice.endpoints).toHaveLength(5);
    for (const e of slice.endpoints) expect(e.conditions).toBe(slice.endpoints[0]!.conditions);
  });

  it('an endpoint shares its pod’s IP, name and uid strings and is stored frozen', () => {
    const slice = c.list('EndpointSlice', 'apps')[0] as EndpointSlice;
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    for (const e of slice.endpoints) {
      const pod = byName.get(e.targetRef!.name)!;
      expect(e.addresses).toEqual([pod.status!.podIP]);
      expect(e.targetRef!.uid).toBe(pod.metadata.uid);
      for (const part of [e, e.addresses, e.targetRef]) expect(Object.isFrozen(part)).toBe(true);
    }
  });
});

describe('objects of different workloads share what reads the same', () => {
  function twoWorkloads() {
    const c = makeCluster();
    applyOk(
      c,
      0,
      namespace('apps'),
      deployment('apps', 'web', 2),
      deployment('apps', 'api', 2, { containers: [{ name: 'server', image: 'httpbin' }] }),
      service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
      service('apps', 'api', { selector: { app: 'api' }, ports: [{ port: 80 }] }),
    );
    return c;
  }

  it.each([
    ['ready pods bound in the same second, whatever their containers: status.conditions', 'Pod', (o: KubeObject) => (o as Pod).status!.conditions],
    ['Services without a load balancer: status', 'Service', (o: KubeObject) => o.status],
    ['ReplicaSets of the same size and revision: metadata.annotations', 'ReplicaSet', (o: KubeObject) => o.metadata.annotations],
    ['ReplicaSets with the same counts: status', 'ReplicaSet', (o: KubeObject) => o.status],
    ['Deployments available since the same second: the Available condition', 'Deployment', (o: KubeObject) => (o.status as { conditions: unknown[] }).conditions[0]],
  ])('%s', (_, kind, part) => {
    const objs = twoWorkloads().list(kind, 'apps');
    expect(objs.length).toBeGreaterThanOrEqual(2);
    for (const o of objs) expect(part(o)).toBe(part(objs[0]!));
  });

  it('a ReplicaSet’s labels, template labels and selector (when they read the same) are one object', () => {
    const rs = twoWorkloads().list('ReplicaSet', 'apps')[0] as ReplicaSet;
    expect(rs.spec!.template.metadata!.labels).toBe(rs.metadata.labels);
    expect(rs.spec!.selector.matchLabels).toBe(rs.metadata.labels);
  });

  it('a selector that reads differently from the labels keeps its own object', () => {
    const c = makeCluster();
    const d = deployment('apps', 'web', 1, { labels: { app: 'web', tier: 'front' } });
    (d.spec as { selector: unknown }).selector = { matchLabels: { app: 'web' } };
    applyOk(c, 0, namespace('apps'), d);
    const rs = c.list('ReplicaSet', 'apps')[0] as ReplicaSet;
    expect(rs.spec!.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': rs.metadata.labels!['pod-template-hash'] });
    expect(rs.spec!.template.metadata!.labels).toBe(rs.metadata.labels);
  });
});

describe('ownership without a uid index of pods', () => {
  it('an object owned by a pod goes when the pod does', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 1));
    const pod = c.list('Pod', 'apps')[0] as Pod;
    const owned: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cache', namespace: 'apps', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid! }] },
    };
    applyOk(c, 0, owned);
    expect(c.get('ConfigMap', 'apps', 'cache')).toBeDefined();
    c.delete('Pod', 'apps', pod.metadata.name, 1000);
    expect(c.get('ConfigMap', 'apps', 'cache')).toBeUndefined();
  });
});

describe('the store and its callers', () => {
  it('never freezes or keeps the object given to apply', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'));
    const manifest = deployment('apps', 'web', 1);
    applyOk(c, 0, manifest);
    expect(Object.isFrozen(manifest) || Object.isFrozen(manifest.spec) || Object.isFrozen(manifest.metadata)).toBe(false);
    const stored = c.get('Deployment', 'apps', 'web')!;
    expect(stored.spec).not.toBe(manifest.spec);
    (manifest.spec as { replicas: number }).replicas = 9;
    expect((c.get('Deployment', 'apps', 'web')!.spec as { replicas: number }).replicas).toBe(1);
  });

  it('stores deeply frozen objects', () => {
    const { pods } = fivePods();
    const p = pods[0]!;
    for (const part of [p, p.metadata, p.spec, p.status, p.status!.podIPs, p.status!.podIPs![0]]) expect(Object.isFrozen(part)).toBe(true);
  });
});
