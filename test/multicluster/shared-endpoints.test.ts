// With N clusters on N networks every cluster merges the other N-1 copies of each global Service.
// The endpoint standing for one remote copy (reference/ambient.md §5: one split-horizon endpoint
// per remote network, weighted by its endpoint count) is the same for every cluster that merges
// it, so it is built once and shared; a rebuilt remote view gets fresh ones.
import { describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../../src/control/model';
import { generateScenario } from '../../src/generate';
import { World } from '../../src/run';
import { applyInitialResources } from '../../src/run/config-steps';
import { loadScenarioText } from '../../src/scenario';

function world(): World {
  const text = generateScenario({ pods: 60, services: 6, clusters: 3, singleFile: true }).get('scenario.yaml')!;
  const loaded = loadScenarioText(text, 'generated.yaml');
  const w = new World(loaded.scenario!, 1);
  applyInitialResources(w);
  return w;
}

function remoteEndpoints(w: World, local: string, remote: string): ServiceEndpoint[] {
  return w.view(local).services.flatMap((s) => s.endpoints.filter((e) => e.remote?.cluster === remote));
}

describe('split-horizon endpoints across clusters', () => {
  it('every cluster that merges a remote copy gets the same endpoint for it', () => {
    const w = world();
    const seenBy1 = remoteEndpoints(w, 'cluster-1', 'cluster-3');
    const seenBy2 = remoteEndpoints(w, 'cluster-2', 'cluster-3');
    expect(seenBy1.length).toBeGreaterThan(0);
    expect(seenBy2).toHaveLength(seenBy1.length);
    seenBy1.forEach((e, i) => expect(seenBy2[i]).toBe(e));
    for (const e of seenBy1) {
      expect(e.workload.uid).toMatch(/^network-3\/SplitHorizonWorkload\/.*\/svc-\d+\.ns-\d+\.svc\.cluster\.local$/);
      expect(e.capacity).toBe(e.remote!.service.endpoints.length);
    }
    // Stand-ins of one gateway share its facts.
    expect(new Set(seenBy1.map((e) => (e.workload as { group?: unknown }).group)).size).toBe(1);
  });

  it('sends each service port straight through, in one port map shared by copies with the same ports', () => {
    const w = world();
    const endpoints = [...remoteEndpoints(w, 'cluster-1', 'cluster-2'), ...remoteEndpoints(w, 'cluster-1', 'cluster-3')];
    expect(endpoints.length).toBeGreaterThan(1);
    for (const e of endpoints) expect([...e.targetPorts]).toEqual(e.remote!.service.ports.map((p) => [p.port, p.port]));
    // The generated Services all listen on the same ports.
    expect(new Set(endpoints.map((e) => e.targetPorts)).size).toBe(1);
  });

  it('a change in the remote cluster gives fresh endpoints with its new weight', () => {
    const w = world();
    const before = remoteEndpoints(w, 'cluster-1', 'cluster-3');
    const old = before[0]!;
    const svc = old.remote!.service;
    type Svc = { metadata: { name: string; namespace?: string }; spec: { selector?: Record<string, string> } };
    const selector = (w.cluster('cluster-3').list('Service') as unknown as Svc[]).find((s) => s.metadata.name === svc.name && s.metadata.namespace === svc.namespace)!.spec.selector!;
    const matches = (labels: Record<string, string> = {}): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);
    type Dep = { metadata: { namespace?: string }; spec: { replicas: number; template: { metadata: { labels?: Record<string, string> } } } };
    const dep = (w.cluster('cluster-3').list('Deployment') as unknown as Dep[]).find((d) => d.metadata.namespace === svc.namespace && matches(d.spec.template.metadata.labels))!;
    w.cluster('cluster-3').apply({ ...dep, spec: { ...dep.spec, replicas: dep.spec.replicas + 3 } } as never, w.now);
    w.settle();
    const after = remoteEndpoints(w, 'cluster-1', 'cluster-3').find((e) => e.remote!.service.hostname === svc.hostname)!;
    expect(after).not.toBe(old);
    expect(after.capacity).toBe(old.capacity! + 3);
  });
});
