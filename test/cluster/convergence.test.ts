// Skipped repeat passes: a convergence mark survives only writes its controller cannot see, and
// skipping never hides a change a controller has to act on.
import { describe, expect, it } from 'vitest';
import { ConvergenceMarks, PASS } from '../../src/cluster/convergence';
import type { KubeObject } from '../../src/k8s/types';
import { deployment, makeCluster, namespace } from './fixtures';

const ALL = PASS.replicas | PASS.rollout | PASS.status;

function obj(kind: string, uid: string, owner?: string, extra: Partial<KubeObject> = {}): KubeObject {
  const ownerReferences = owner ? [{ apiVersion: 'apps/v1', kind: 'X', name: owner, uid: owner, controller: true }] : undefined;
  return { apiVersion: 'v1', kind, metadata: { name: uid, uid, resourceVersion: '1', ...(ownerReferences ? { ownerReferences } : {}) }, spec: { n: 1 }, ...extra } as KubeObject;
}

const dep = obj('Deployment', 'd1');
const rs = obj('ReplicaSet', 'rs1', 'd1');
const pod = obj('Pod', 'p1', 'rs1');
const rv = (o: KubeObject, status: unknown): KubeObject => ({ ...o, metadata: { ...o.metadata, resourceVersion: '2' }, status }) as KubeObject;

describe('ConvergenceMarks.touch', () => {
  it.each([
    ['ReplicaSet status only: its own status pass', 'ReplicaSet', rs, rv(rs, { replicas: 1 }), ALL, ALL & ~PASS.status],
    ['ReplicaSet spec: itself and its Deployment', 'ReplicaSet', rs, { ...rs, spec: { n: 2 } }, 0, 0],
    ['ReplicaSet labels: itself and its Deployment', 'ReplicaSet', rs, { ...rs, metadata: { ...rs.metadata, labels: { a: 'b' } } }, 0, 0],
    ['new pod: its ReplicaSet, and its Deployment status', 'Pod', undefined, pod, ALL & ~PASS.status, 0],
    ['pod status only still counts (phase)', 'Pod', pod, rv(pod, { phase: 'Failed' }), ALL & ~PASS.status, 0],
    ['deleted pod', 'Pod', pod, undefined, ALL & ~PASS.status, 0],
    ['Deployment status only', 'Deployment', dep, rv(dep, { replicas: 1 }), ALL & ~PASS.status, ALL],
    ['unrelated object', 'Service', obj('Service', 's1'), undefined, ALL, ALL],
  ] as const)('%s', (_name, kind, old, next, wantD, wantRs) => {
    const marks = new ConvergenceMarks();
    marks.mark('d1', ALL);
    marks.mark('rs1', ALL);
    const byUid = new Map<string, KubeObject>([['d1', dep], ['rs1', rs], ['p1', pod]]);
    marks.touch(kind, old, next, { owner: (ref) => byUid.get(ref.uid!) });
    const bits = (uid: string) => [PASS.replicas, PASS.rollout, PASS.status].reduce((m, p) => m | (marks.isConverged(uid, p) ? p : 0), 0);
    expect(bits('d1')).toBe(wantD);
    expect(bits('rs1')).toBe(wantRs);
  });
});

describe('a converged workload still reacts to changes', () => {
  const setup = (delay = 0) => {
    const c = makeCluster({ podReadyDelayMs: delay });
    c.apply(namespace('app'), 0);
    c.apply(deployment('app', 'web', 3), 0);
    return c;
  };
  const pods = (c: ReturnType<typeof makeCluster>) => c.list('Pod', 'app').filter((p) => p.metadata.ownerReferences?.length);
  const status = (c: ReturnType<typeof makeCluster>) => c.get('Deployment', 'app', 'web')!.status as { replicas?: number; readyReplicas?: number };

  it('a deleted pod is replaced', () => {
    const c = setup();
    const victim = pods(c)[0]!.metadata.name;
    c.delete('Pod', 'app', victim, 1000);
    expect(pods(c).map((p) => p.metadata.name)).not.toContain(victim);
    expect(pods(c)).toHaveLength(3);
  });

  it('a pod relabelled out of the selector is released and replaced', () => {
    const c = setup();
    const moved = pods(c)[0]!.metadata.name;
    c.label('Pod', 'app', moved, { app: 'other' }, { overwrite: true }, 1000);
    expect(c.get('Pod', 'app', moved)!.metadata.ownerReferences ?? []).toEqual([]);
    expect(pods(c)).toHaveLength(3);
    expect(status(c).replicas).toBe(3);
  });

  it('pods turning ready later update the Deployment status', () => {
    const c = setup(500);
    expect(status(c).readyReplicas ?? 0).toBe(0);
    c.advance(500);
    expect(status(c).readyReplicas).toBe(3);
  });

  it('scaling after convergence resizes the pod set', () => {
    const c = setup();
    c.scale('Deployment', 'app', 'web', 5, 1000);
    expect(pods(c)).toHaveLength(5);
    c.scale('Deployment', 'app', 'web', 2, 2000);
    expect(pods(c)).toHaveLength(2);
    expect(status(c).replicas).toBe(2);
  });
});
