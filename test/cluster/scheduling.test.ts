import { describe, expect, it } from 'vitest';
import { applyOk, deployment, makeCluster, namespace, pods } from './fixtures';

function perNode(names: (string | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n ?? 'none'] = (out[n ?? 'none'] ?? 0) + 1;
  return out;
}

describe('scheduling', () => {
  // node-a and node-c are in zone z1, node-b in z2 (see fixtures). Before any app pod, node-a runs
  // ztunnel and istiod, node-b and node-c one ztunnel each: overall load breaks the remaining ties.
  it.each([
    [1, { 'node-b': 1 }],
    [2, { 'node-b': 1, 'node-c': 1 }],
    [3, { 'node-a': 1, 'node-b': 1, 'node-c': 1 }],
    [4, { 'node-a': 1, 'node-b': 2, 'node-c': 1 }],
    [6, { 'node-a': 2, 'node-b': 2, 'node-c': 2 }],
  ])('%i replicas spread over nodes, then zones (z2 holds one node)', (replicas, want) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', replicas));
    expect(perNode(pods(c, 'apps').map((p) => p.node))).toEqual(want);
  });

  it('counts spread per owner: a second deployment ignores the first one except through overall load', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'one', 1), deployment('apps', 'two', 1));
    // one → node-b (least loaded); for two, owner and zone counts tie everywhere, node-c has the fewest pods.
    expect(pods(c, 'apps').map((p) => [p.name.split('-')[0], p.node])).toEqual([
      ['one', 'node-b'],
      ['two', 'node-c'],
    ]);
  });

  it.each([
    ['nodeSelector on a zone label', { nodeSelector: { 'topology.kubernetes.io/zone': 'z2' } }, { 'node-b': 3 }],
    ['nodeSelector on hostname', { nodeSelector: { 'kubernetes.io/hostname': 'node-c' } }, { 'node-c': 3 }],
    ['nodeName pins every replica', { nodeName: 'node-b' }, { 'node-b': 3 }],
  ])('%s', (_t, opts, want) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 3, opts));
    expect(perNode(pods(c, 'apps').map((p) => p.node))).toEqual(want);
  });

  it("spreads by a relabelled node's new zone, as kube-scheduler reads zones from node labels", () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 3));
    expect(perNode(pods(c, 'apps').map((p) => p.node))).toEqual({ 'node-a': 1, 'node-b': 1, 'node-c': 1 });
    // node-c moves from z1 to z2, taking its web pod along: z1 now holds one web pod, z2 two.
    expect(c.label('Node', undefined, 'node-c', { 'topology.kubernetes.io/zone': 'z2' }, { overwrite: true }, 1).ok).toBe(true);
    expect(c.scale('Deployment', 'apps', 'web', 4, 2).ok).toBe(true);
    expect(perNode(pods(c, 'apps').map((p) => p.node))).toEqual({ 'node-a': 2, 'node-b': 1, 'node-c': 1 });
  });

  it('leaves a pod Pending without IP when no node matches, with the scheduler message', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 1, { nodeSelector: { disk: 'ssd' } }));
    const [p] = c.list('Pod', 'apps');
    const status = p!.status as { phase: string; podIP?: string; conditions: { type: string; status: string; reason: string; message: string }[] };
    expect(status.phase).toBe('Pending');
    expect(status.podIP).toBeUndefined();
    expect(status.conditions[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
    expect(status.conditions[0]!.message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('schedules a pending pod once a matching node appears (and DaemonSets cover the new node)', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 1, { nodeSelector: { disk: 'ssd' } }));
    applyOk(c, 1000, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-d', labels: { disk: 'ssd' } } });
    expect(pods(c, 'apps')[0]).toMatchObject({ node: 'node-d', phase: 'Running', ip: expect.stringMatching(/^10\.244\.3\.\d+$/) });
    expect(c.list('Pod', 'istio-system').filter((p) => p.metadata.labels?.app === 'ztunnel')).toHaveLength(4);
  });

  it('a pod naming a missing node stays Pending', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 1, { nodeName: 'ghost' }));
    expect(pods(c, 'apps')[0]).toMatchObject({ node: 'ghost', phase: 'Pending', ip: undefined });
  });

  it('respects maxPodsPerNode like the kubelet (istio-cni-node, ztunnel and istiod count too)', () => {
    const c = makeCluster({ maxPodsPerNode: 4 });
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 6));
    // 12 slots, 7 taken by system pods (istio-cni-node and ztunnel on each node, istiod) → 5 placed,
    // 1 pending with "Too many pods".
    const all = pods(c, 'apps');
    expect(all.filter((p) => p.phase === 'Running')).toHaveLength(5);
    const pending = c.list('Pod', 'apps').find((p) => (p.status as { phase: string }).phase === 'Pending')!;
    expect((pending.status as { conditions: { message: string }[] }).conditions[0]!.message).toContain('3 Too many pods');
  });

  it('reschedules pods when their node is deleted', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 3));
    const r = c.delete('Node', undefined, 'node-a', 1000);
    expect(r).toMatchObject({ ok: true, message: 'node "node-a" deleted' });
    const all = pods(c, 'apps');
    expect(all).toHaveLength(3);
    expect(all.every((p) => p.node === 'node-b' || p.node === 'node-c')).toBe(true);
  });
});
