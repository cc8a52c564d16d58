import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/types';
import { autoGrouping, layoutTopology, vertexCount, type Grouping } from '../../viz/src/layout';
import type { ViewResult } from '../../viz/src/model';
import { flatRequests } from '../../viz/src/aggregate';
import { buildTopology, enrollmentAt, findHopPod, podsOnPaths, validTopology, workloadFromPodName } from '../../viz/src/topology';
import { bigRun, crossClusterRequest, labRun, requestStep, splitRequest } from './fixtures';

const view = (r: RunResult) => r as unknown as ViewResult;

describe('workloadFromPodName', () => {
  it.each([
    ['accounts-v1-6f7c9d8b5-x2x7q', 'accounts-v1'],
    ['curl-5b8d7-k2j4h', 'curl'],
    ['ledger-0', 'ledger'],
    ['ztunnel-abcde', 'ztunnel'],
    ['my-service-6f7c9d8b5-x2x7q', 'my-service'],
    ['standalone', 'standalone'],
  ])('%s → %s', (pod, wl) => expect(workloadFromPodName(pod)).toBe(wl));
});

describe('buildTopology from hops alone', () => {
  const index = buildTopology(view(labRun()));

  it('places every pod and proxy on its cluster and node', () => {
    const where = (name: string) => [...index.pods.values()].filter((p) => p.name === name).map((p) => `${p.cluster}/${p.node}/${p.role}`);
    expect(where('curl-5b8d7-k2j4h')).toEqual(['cluster1/c1-node-a/app']);
    expect(where('waypoint-7d9f4-qq2lp')).toEqual(['cluster1/c1-node-b/waypoint']);
    expect(where('ztunnel-c1-node-c')).toEqual(['cluster1/c1-node-c/ztunnel']);
    expect(where('istio-eastwestgateway-6b5c4-zz9yy')).toEqual(['cluster2/c2-node-b/eastwest-gateway']);
    expect(index.topology.clusters.map((c) => c.name)).toEqual(['cluster1', 'cluster2']);
  });

  it('judges enrollment from the proxies around a pod and takes workloads from the result', () => {
    const curl = [...index.pods.values()].find((p) => p.name === 'curl-5b8d7-k2j4h')!;
    expect(curl).toMatchObject({ enrollment: 'ambient', workload: 'curl' });
    expect(enrollmentAt([{ kind: 'pod', name: 'a', node: 'n' }, { kind: 'pod', name: 'b', node: 'n' }], 0)).toBe('none');
    expect(enrollmentAt([{ kind: 'pod', name: 'a', node: 'n' }, { kind: 'sidecar', name: 'a', node: 'n' }], 0)).toBe('sidecar');
  });

  it('derives the waypoint binding from a request that passed a waypoint', () => {
    expect(index.topology.waypointBindings).toEqual([{ cluster: 'cluster1', service: 'accounts/accounts', waypoint: 'accounts/waypoint' }]);
  });

  it('finds the pod behind every hop', () => {
    for (const h of crossClusterRequest(1, 0).hops) expect(findHopPod(index, h), h.name).toBeDefined();
  });
});

describe('buildTopology with a given topology', () => {
  it('keeps the given pods and adds only what hops show beyond them', () => {
    const r = view(labRun());
    r.topology = {
      clusters: [{ name: 'cluster1', network: 'net1', nodes: [{ name: 'c1-node-a', pods: [
        { name: 'ztunnel-x1', namespace: 'istio-system', enrollment: 'none', role: 'ztunnel' },
        { name: 'idle-7c8d9-aaaaa', namespace: 'finance', workload: 'idle', enrollment: 'ambient', role: 'app' },
      ] }] }],
      waypointBindings: [],
    };
    const index = buildTopology(r);
    const nodeA = index.topology.clusters[0]!.nodes.find((n) => n.name === 'c1-node-a')!;
    // The ztunnel hop on c1-node-a is the given ztunnel pod, whatever its name.
    expect(nodeA.pods.filter((p) => p.role === 'ztunnel').map((p) => p.name)).toEqual(['ztunnel-x1']);
    expect(nodeA.pods.map((p) => p.name)).toContain('idle-7c8d9-aaaaa');
    expect(index.topology.clusters[0]!.network).toBe('net1');
  });

  it.each([null, 3, { clusters: 'no' }, { clusters: [{ name: 'c' }] }])('ignores a malformed topology %j', (t) => {
    expect(validTopology(t)).toBe(false);
    const r = { ...view(labRun()), topology: t } as unknown as ViewResult;
    expect(buildTopology(r).pods.size).toBeGreaterThan(0);
  });
});

describe('layout', () => {
  const big = buildTopology(bigRun(1000));

  it.each<[Grouping, number]>([
    ['pod', 1002],
    ['workload', 602],
    ['namespace', 202],
  ])('%s grouping of 1,000 pods draws %i boxes', (g, n) => {
    expect(vertexCount(big, g)).toBe(n);
  });

  it('picks the finest grouping that stays readable', () => {
    expect(autoGrouping(buildTopology(view(labRun())))).toBe('pod');
    expect(autoGrouping(big)).toBe('namespace');
    expect(autoGrouping(big, 700)).toBe('workload');
    expect(autoGrouping(big, 100)).toBe('namespace');
  });

  it.each<Grouping>(['pod', 'workload', 'namespace'])('draws every pod and no two boxes overlap (%s)', (g) => {
    const l = layoutTopology(big, g);
    const ids = new Set(l.vertices.map((v) => v.id));
    for (const key of big.pods.keys()) expect(ids.has(l.vertexOfPod.get(key)!)).toBe(true);
    const boxes = [...l.vertices].sort((a, b) => a.x - b.x || a.y - b.y);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length && boxes[j]!.x < boxes[i]!.x + boxes[i]!.w; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        expect(a.y + a.h <= b.y || b.y + b.h <= a.y, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
    expect(l.services.map((s) => s.waypoints.length)).toEqual([1, 1]);
  });

  it('keeps nodes inside their cluster and clusters apart', () => {
    const l = layoutTopology(buildTopology(view(labRun())), 'pod');
    for (const n of l.nodes) {
      const c = l.clusters.find((x) => x.name === n.cluster)!;
      expect(n.x >= c.x && n.x + n.w <= c.x + c.w && n.y + n.h <= c.y + c.h, n.name).toBe(true);
    }
    expect(l.clusters[0]!.x + l.clusters[0]!.w).toBeLessThan(l.clusters[1]!.x);
  });

  it('draws a step with one request per pod without missing vertices', () => {
    const r = view({ ...labRun(), steps: [requestStep('s', [splitRequest(1, 0, true)])] });
    const index = buildTopology(r);
    const l = layoutTopology(index, 'workload');
    for (const h of splitRequest(1, 0, true).hops) expect(l.vertexOfPod.get(findHopPod(index, h)!.key)).toBeDefined();
  });

  describe('focused on a step', () => {
    // 3,000 pods over 60 namespaces and 60 nodes: too many boxes even one per namespace and node;
    // the step's 20 requests go through a few dozen of them.
    const run = bigRun(3000, { namespaces: 60, nodes: 30, requests: 20 });
    const index = buildTopology(run);
    const focus = podsOnPaths(index, flatRequests(run.steps[0]!));

    it('a mesh that folding by namespace cannot make readable is what a focus is for', () => {
      expect(vertexCount(index, 'namespace')).toBeGreaterThan(300);
      expect(autoGrouping(index, 300, focus)).toBe('pod');
    });

    it('draws exactly the pods the requests went through, on the nodes that hold them', () => {
      const l = layoutTopology(index, 'pod', focus);
      expect(new Set(l.vertexOfPod.keys())).toEqual(focus);
      expect(l.vertices).toHaveLength(focus.size);
      const nodesOnPaths = new Set([...focus].map((k) => `${index.pods.get(k)!.cluster}|${index.pods.get(k)!.node}`));
      expect(new Set(l.nodes.map((n) => `${n.cluster}|${n.name}`))).toEqual(nodesOnPaths);
      expect(l.nodes.length).toBeLessThan(60);
    });

    it('keeps a Service chip only when its waypoint is drawn', () => {
      const waypoint = [...index.pods.values()].find((p) => p.role === 'waypoint' && p.cluster === 'east')!;
      const some = new Set([...focus].slice(0, 5));
      expect(layoutTopology(index, 'pod', some).services).toEqual([]);
      const chips = layoutTopology(index, 'pod', new Set([...some, waypoint.key])).services;
      expect(chips.map((c) => [c.cluster, c.service, c.waypoints])).toEqual([['east', 'ns-0/svc-0', [`pod|${waypoint.key}`]]]);
    });

    it('leaves out a cluster the requests never reached', () => {
      const eastOnly = new Set([...focus].filter((k) => index.pods.get(k)!.cluster === 'east'));
      expect(layoutTopology(index, 'workload', eastOnly).clusters.map((c) => c.name)).toEqual(['east']);
    });
  });
});
