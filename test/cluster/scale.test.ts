import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/types';
import { deployment, makeCluster, namespace, service } from './fixtures';

/** 100 nodes in 3 zones; 1,000 Deployments × 10 replicas and one Service each, in 10 namespaces. */
function largeManifests(): { nodes: { name: string; region: string; zone: string }[]; objects: KubeObject[] } {
  const nodes = Array.from({ length: 100 }, (_, i) => ({ name: `node-${i}`, region: 'r', zone: `z${i % 3}` }));
  const objects: KubeObject[] = [];
  for (let n = 0; n < 10; n++) objects.push(namespace(`ns-${n}`));
  for (let i = 0; i < 1000; i++) {
    const ns = `ns-${i % 10}`;
    objects.push(deployment(ns, `app-${i}`, 10), service(ns, `app-${i}`, { selector: { app: `app-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
  }
  return { nodes, objects };
}

describe('scale', () => {
  it('builds a 10,000-pod cluster in one operation', () => {
    const { nodes, objects } = largeManifests();
    const c = makeCluster({ nodes });
    const results = c.applyAll(objects, 0);
    expect(results.every((r) => r.ok)).toBe(true);
    const appPods = c.list('Pod').filter((p) => p.metadata.namespace!.startsWith('ns-'));
    expect(appPods).toHaveLength(10_000);
    expect(new Set(appPods.map((p) => (p.status as { podIP: string }).podIP)).size).toBe(10_000);
    expect(c.list('EndpointSlice', 'ns-3')).toHaveLength(100);
  }, 60_000);
});
