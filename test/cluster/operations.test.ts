import { describe, expect, it } from 'vitest';
import { resourcePlural, resourceRef } from '../../src/cluster/index';
import type { ChangeEvent } from '../../src/cluster/index';
import { applyOk, deployment, makeCluster, namespace, service } from './fixtures';

describe('kubectl resource names', () => {
  it.each([
    ['Deployment', 'deployment.apps', 'deployments.apps'],
    ['Pod', 'pod', 'pods'],
    ['Service', 'service', 'services'],
    ['Namespace', 'namespace', 'namespaces'],
    ['Gateway', 'gateway.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io'],
    ['Gateway.networking.istio.io', 'gateway.networking.istio.io', 'gateways.networking.istio.io'],
    ['AuthorizationPolicy', 'authorizationpolicy.security.istio.io', 'authorizationpolicies.security.istio.io'],
    ['EndpointSlice', 'endpointslice.discovery.k8s.io', 'endpointslices.discovery.k8s.io'],
    ['ServiceEntry', 'serviceentry.networking.istio.io', 'serviceentries.networking.istio.io'],
  ])('%s → %s / %s', (kind, ref, plural) => {
    expect(resourceRef(kind)).toBe(ref);
    expect(resourcePlural(kind)).toBe(plural);
  });
});

describe('apply', () => {
  it.each([
    ['first apply creates', 0, { ok: true, action: 'created', ref: 'deployment.apps/web' }],
    ['same manifest again is unchanged', 1, { ok: true, action: 'unchanged', ref: 'deployment.apps/web' }],
    ['a new replica count configures', 2, { ok: true, action: 'configured', ref: 'deployment.apps/web' }],
  ])('%s', (_t, step, want) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'));
    const results = [c.apply(deployment('apps', 'web', 1), 0), c.apply(deployment('apps', 'web', 1), 0), c.apply(deployment('apps', 'web', 2), 0)];
    expect(results[step]).toEqual(want);
  });

  it.each([
    ['a namespaced object into a missing namespace', deployment('nope', 'web', 1), 'Error from server (NotFound): error when creating "apps.yaml": namespaces "nope" not found'],
    [
      'a Deployment whose selector does not match its template',
      { ...deployment('apps', 'web', 1), spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [] } } } },
      'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`',
    ],
  ])('rejects %s', (_t, obj, error) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'));
    const v = c.version;
    expect(c.apply(obj, 0, { source: 'apps.yaml' })).toEqual({ ok: false, error });
    expect(c.version).toBe(v);
  });

  it('merges labels and annotations but replaces spec; generation bumps only on spec change', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), service('apps', 's', { ports: [{ port: 80 }] }));
    c.label('Service', 'apps', 's', { added: 'by-hand' }, {}, 0);
    applyOk(c, 0, { ...service('apps', 's', { ports: [{ port: 81 }] }), metadata: { name: 's', namespace: 'apps', labels: { from: 'manifest' } } });
    const s = c.get('Service', 'apps', 's')!;
    expect(s.metadata.labels).toEqual({ added: 'by-hand', from: 'manifest' });
    expect((s.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual([81]);
    expect(s.metadata.generation).toBe(2);
  });

  it('stores Istio classic Gateways apart from Gateway API Gateways of the same name', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'));
    const r = c.apply({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'apps' }, spec: { selector: { istio: 'ingressgateway' }, servers: [] } }, 0);
    expect(r).toEqual({ ok: true, action: 'created', ref: 'gateway.networking.istio.io/gw' });
    expect(c.get('Gateway.networking.istio.io', 'apps', 'gw')).toBeDefined();
    expect(c.get('Gateway', 'apps', 'gw')).toBeUndefined();
  });
});

describe('delete', () => {
  it.each([
    ['Pod', 'apps', 'x', 'Error from server (NotFound): pods "x" not found'],
    ['Deployment', 'apps', 'x', 'Error from server (NotFound): deployments.apps "x" not found'],
    ['AuthorizationPolicy', 'apps', 'x', 'Error from server (NotFound): authorizationpolicies.security.istio.io "x" not found'],
    ['Namespace', undefined, 'default', 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted'],
  ])('%s %s/%s fails with kubectl words', (kind, ns, name, error) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'));
    expect(c.delete(kind, ns, name, 0)).toEqual({ ok: false, error });
  });

  it('cascades Deployment → ReplicaSet → Pods, and EndpointSlices follow', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 3), service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(c.delete('Deployment', 'apps', 'web', 1)).toEqual({ ok: true, ref: 'deployment.apps/web', message: 'deployment.apps "web" deleted from apps namespace' });
    expect(c.list('ReplicaSet', 'apps')).toEqual([]);
    expect(c.list('Pod', 'apps')).toEqual([]);
    expect(c.list('EndpointSlice', 'apps').flatMap((s) => (s as unknown as { endpoints: unknown[] }).endpoints)).toEqual([]);
  });

  it('deleting a namespace deletes everything in it', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 2), service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(c.delete('Namespace', undefined, 'apps', 1)).toMatchObject({ ok: true, message: 'namespace "apps" deleted' });
    for (const kind of ['Deployment', 'ReplicaSet', 'Pod', 'Service', 'EndpointSlice', 'ServiceAccount']) expect(c.list(kind, 'apps')).toEqual([]);
  });

  it('a deleted pod of a ReplicaSet is replaced under a new name', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 1));
    const first = c.list('Pod', 'apps')[0]!.metadata.name;
    c.delete('Pod', 'apps', first, 1);
    const after = c.list('Pod', 'apps').map((p) => p.metadata.name);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(first);
  });
});

describe('label and annotate', () => {
  it.each([
    ['adds a label', { team: 'a' }, false, { ok: true, message: 'labeled', notices: [] }],
    ['same value without --overwrite is fine', { app: 'web' }, false, { ok: true, message: 'not labeled', notices: [] }],
    ['changing a value needs --overwrite', { app: 'x' }, false, { ok: false, error: "error: 'app' already has a value (web), and --overwrite is false" }],
    [
      'several clashes aggregate',
      { app: 'x', tier: 'y' },
      false,
      { ok: false, error: "error: ['app' already has a value (web), and --overwrite is false, 'tier' already has a value (front), and --overwrite is false]" },
    ],
    ['overwrite replaces', { app: 'x' }, true, { ok: true, message: 'labeled', notices: [] }],
    ['null removes', { app: null }, false, { ok: true, message: 'unlabeled', notices: [] }],
    ['removing a missing label notes it', { ghost: null }, false, { ok: true, message: 'not labeled', notices: ['label "ghost" not found.'] }],
    ['add and remove together', { app: null, new: 'v' }, false, { ok: true, message: 'modified', notices: [] }],
  ])('label: %s', (_t, changes, overwrite, want) => {
    const c = makeCluster();
    applyOk(c, 0, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { app: 'web', tier: 'front' } } });
    expect(c.label('Namespace', undefined, 'apps', changes, { overwrite }, 0)).toMatchObject(want);
  });

  it.each([
    ['missing object', 'ghost', { a: '1' }, false, { ok: false, error: 'Error from server (NotFound): namespaces "ghost" not found' }],
    ['clash', 'apps', { note: 'other' }, false, { ok: false, error: "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (first)" }],
    ['overwrite', 'apps', { note: 'other' }, true, { ok: true, message: 'annotated', ref: 'namespace/apps' }],
  ])('annotate: %s', (_t, name, changes, overwrite, want) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'));
    c.annotate('Namespace', undefined, 'apps', { note: 'first' }, {}, 0);
    expect(c.annotate('Namespace', undefined, name, changes, { overwrite }, 0)).toMatchObject(want);
  });
});

describe('change feed and versions', () => {
  it('emits every user and controller mutation, and bumps version once per operation', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'));
    const events: ChangeEvent[] = [];
    const off = c.onChange((e) => events.push(e));
    const v = c.version;
    applyOk(c, 0, deployment('apps', 'web', 2));
    expect(c.version).toBe(v + 1);
    const kinds = events.map((e) => `${e.type} ${e.kind}`);
    expect(kinds).toContain('added Deployment');
    expect(kinds).toContain('added ReplicaSet');
    expect(kinds.filter((k) => k === 'added Pod')).toHaveLength(2);
    expect(kinds).toContain('modified Deployment');
    off();
    applyOk(c, 0, deployment('apps', 'web', 3));
    expect(events.filter((e) => e.kind === 'Pod' && e.type === 'added')).toHaveLength(2);
  });

  it('a listener keeps getting changes after another one unsubscribes', () => {
    const c = makeCluster();
    const first: ChangeEvent[] = [];
    const second: ChangeEvent[] = [];
    const offFirst = c.onChange((e) => first.push(e));
    const offSecond = c.onChange((e) => second.push(e));
    applyOk(c, 0, namespace('apps'));
    offFirst();
    applyOk(c, 0, deployment('apps', 'web', 1));
    expect(first.map((e) => e.kind)).not.toContain('Deployment');
    expect(second.filter((e) => e.type === 'added').map((e) => e.kind)).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'ReplicaSet', 'Pod']));
    offSecond();
    applyOk(c, 0, deployment('apps', 'api', 1));
    expect(second.some((e) => e.name === 'api')).toBe(false);
  });

  it('an unchanged apply leaves the version alone', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 1));
    const v = c.version;
    applyOk(c, 5, deployment('apps', 'web', 1));
    expect(c.version).toBe(v);
  });

  it('a template change replaces the ReplicaSet and all pods at once', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 2));
    const before = c.list('Pod', 'apps').map((p) => p.metadata.name);
    const d = deployment('apps', 'web', 2, { containers: [{ name: 'app', image: 'v2' }] });
    applyOk(c, 1000, d);
    const rs = c.list('ReplicaSet', 'apps').map((r) => (r.spec as { replicas: number }).replicas);
    expect(rs.sort()).toEqual([0, 2]);
    const after = c.list('Pod', 'apps').map((p) => p.metadata.name);
    expect(after).toHaveLength(2);
    expect(after.some((n) => before.includes(n))).toBe(false);
    const status = c.get('Deployment', 'apps', 'web')!.status as { replicas: number; updatedReplicas: number; readyReplicas: number; conditions: { type: string; status: string; reason: string }[] };
    expect(status).toMatchObject({ replicas: 2, updatedReplicas: 2, readyReplicas: 2 });
    expect(status.conditions.map((x) => `${x.type}=${x.status}/${x.reason}`)).toEqual(['Available=True/MinimumReplicasAvailable', 'Progressing=True/NewReplicaSetAvailable']);
  });
});
