// What the generated manifests hold matches the options: counts, topology, call graph, and the
// policies that admit each service's callers (and its waypoint's identity).
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateScenario, resolveOptions, type GenerateInput } from '../../src/generate';
import { levelSizes } from '../../src/generate/levels';
import { manifestDocs, ofKind, type Doc } from './helpers';

interface ScenarioDoc {
  spec: {
    clusters: { name: string; network: string; nodes: { name: string; region: string; zone: string }[] }[];
    resources: { file?: string; inline?: string; clusters?: string[] }[];
    apps?: { workload: string; calls: { url: string }[] }[];
    steps: { parallel: { request: { from: string; url: string; count: number; rate: string }; expect: unknown }[] }[];
  };
}

const rows: { id: string; input: GenerateInput }[] = [
  { id: 'defaults', input: {} },
  { id: '1,000 pods over 100 services', input: { services: 100, pods: 1000, namespaces: 7, waypointFraction: 0.4, policiesPerService: 2, routesPerService: 3 } },
  { id: 'uneven replicas', input: { services: 13, pods: 50, namespaces: 4, waypointFraction: 1, fanOut: 3, depth: 2 } },
  { id: 'two clusters, two regions', input: { services: 20, pods: 75, clusters: 2, regions: 2, zones: 4, waypointFraction: 0.5, policiesPerService: 2 } },
  { id: 'one file, no policies or routes', input: { services: 8, pods: 8, singleFile: true, policiesPerService: 0, routesPerService: 0 } },
  { id: 'no calls', input: { services: 6, pods: 12, fanOut: 0 } },
  { id: 'fixed nodes per zone', input: { services: 10, pods: 500, zones: 2, nodesPerZone: 4 } },
];

function generated(input: GenerateInput) {
  const files = generateScenario(input);
  const o = resolveOptions(input);
  return { files, o, docs: manifestDocs(files), scenario: parse(files.get('scenario.yaml')!) as ScenarioDoc };
}

const byName = (docs: Doc[]) => new Map(docs.map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d]));

describe('generated counts match the options', () => {
  it.each(rows)('$id', ({ input }) => {
    const { o, docs, scenario } = generated(input);
    const namespaces = ofKind(docs, 'Namespace').filter((n) => n.metadata.name !== 'clients');
    expect(namespaces).toHaveLength(o.namespaces);
    const services = ofKind(docs, 'Service');
    expect(services).toHaveLength(o.services);
    const deployments = ofKind(docs, 'Deployment').filter((d) => d.metadata.namespace !== 'clients');
    const replicas = deployments.reduce((n, d) => n + (d.spec!.replicas as number), 0);
    expect(replicas).toBe(o.pods);
    expect(new Set(deployments.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).size).toBe(o.services);

    const waypointNs = namespaces.filter((n) => n.metadata.labels?.['istio.io/use-waypoint'] === 'waypoint').map((n) => n.metadata.name);
    expect(waypointNs).toHaveLength(Math.round(o.waypointFraction * o.namespaces));
    const waypoints = ofKind(docs, 'Gateway').filter((g) => g.spec!.gatewayClassName === 'istio-waypoint');
    expect(waypoints.map((g) => g.metadata.namespace).sort()).toEqual([...waypointNs].sort());

    const behindWaypoint = services.filter((s) => waypointNs.includes(s.metadata.namespace!));
    expect(ofKind(docs, 'AuthorizationPolicy')).toHaveLength(o.services * o.policiesPerService);
    expect(ofKind(docs, 'HTTPRoute')).toHaveLength(behindWaypoint.length * o.routesPerService);

    expect(scenario.spec.clusters).toHaveLength(o.clusters);
    for (const c of scenario.spec.clusters) {
      expect(new Set(c.nodes.map((n) => n.zone)).size).toBe(o.zones);
      expect(new Set(c.nodes.map((n) => n.region)).size).toBe(o.regions);
      if (o.nodesPerZone !== undefined) expect(c.nodes).toHaveLength(o.nodesPerZone * o.zones);
      // At most 100 generated pods per node, so kubelet's 110 leaves room for ztunnel.
      expect(c.nodes.length * 100).toBeGreaterThanOrEqual(Math.ceil(o.pods / o.clusters));
    }
    const requests = scenario.spec.steps[0]!.parallel;
    expect(requests).toHaveLength(levelSizes(o)[0]!);
    for (const r of requests) expect(r.expect).toEqual({ statuses: { '200': '>=0.99' } });
  });

  it('two clusters: one network each, an east-west gateway each, every Service global', () => {
    const { docs, scenario } = generated({ services: 12, pods: 40, clusters: 2 });
    expect(scenario.spec.clusters.map((c) => c.network)).toEqual(['network-1', 'network-2']);
    const eastWest = ofKind(docs, 'Gateway').filter((g) => g.spec!.gatewayClassName === 'istio-east-west');
    expect(eastWest.map((g) => g.metadata.labels!['topology.istio.io/network'])).toEqual(['network-1', 'network-2']);
    for (const s of ofKind(docs, 'Service')) expect(s.metadata.labels!['istio.io/global']).toBe('true');
    const perCluster = scenario.spec.resources.filter((r) => r.clusters).map((r) => [r.file, r.clusters]);
    expect(perCluster).toEqual([
      ['manifests/workloads/cluster-1', ['cluster-1']],
      ['manifests/workloads/cluster-2', ['cluster-2']],
      ['manifests/eastwest/cluster-1.yaml', ['cluster-1']],
      ['manifests/eastwest/cluster-2.yaml', ['cluster-2']],
    ]);
  });

  it('the call graph: every service but the entry ones has a caller, callers call fan-out services or more', () => {
    const o = { services: 60, pods: 120, fanOut: 3, depth: 3 };
    const { scenario } = generated(o);
    const sizes = levelSizes(resolveOptions(o));
    const calls = scenario.spec.apps!;
    const called = new Set(calls.flatMap((a) => a.calls.map((c) => new URL(c.url).hostname)));
    // Entry services are the first ones, named in order.
    expect(called.size).toBe(o.services - sizes[0]!);
    for (const a of calls) expect(a.calls.length).toBeGreaterThanOrEqual(o.fanOut);
    expect(calls).toHaveLength(o.services - sizes[sizes.length - 1]!);
  });

  it('the L4 policy of a service admits its callers, and the waypoint of its namespace when it has one', () => {
    const { docs, scenario } = generated({ services: 30, pods: 60, waypointFraction: 0.5, policiesPerService: 1 });
    const callersOf = new Map<string, string[]>();
    for (const a of scenario.spec.apps!) {
      const [ns, name] = a.workload.split('/') as [string, string];
      for (const c of a.calls) {
        const [svc, svcNs] = new URL(c.url).hostname.split('.') as [string, string];
        callersOf.set(`${svcNs}/${svc}`, [...(callersOf.get(`${svcNs}/${svc}`) ?? []), `cluster.local/ns/${ns}/sa/${name}`]);
      }
    }
    const waypointNs = new Set(ofKind(docs, 'Gateway').map((g) => g.metadata.namespace));
    const services = byName(ofKind(docs, 'Service'));
    for (const p of ofKind(docs, 'AuthorizationPolicy')) {
      const svc = (p.spec!.selector as { matchLabels: { app: string } }).matchLabels.app;
      const key = `${p.metadata.namespace}/${svc}`;
      expect(services.has(key)).toBe(true);
      const principals = (p.spec!.rules as { from: { source: { principals: string[] } }[] }[])[0]!.from[0]!.source.principals;
      const expected = callersOf.get(key) ?? [];
      for (const c of expected) expect(principals).toContain(c);
      if (expected.length === 0) expect(principals.some((x) => x.startsWith('cluster.local/ns/clients/sa/client-'))).toBe(true);
      expect(principals.includes(`cluster.local/ns/${p.metadata.namespace}/sa/waypoint`)).toBe(waypointNs.has(p.metadata.namespace));
    }
  });

  it('no single manifest file holds more than one namespace of services', () => {
    const { files } = generated({ services: 200, pods: 600, namespaces: 20 });
    const serviceFiles = [...files.keys()].filter((f) => f.startsWith('manifests/services/'));
    expect(serviceFiles).toHaveLength(20);
  });
});

describe('levelSizes', () => {
  const cases: [services: number, fanOut: number, depth: number, sizes: number[]][] = [
    [10, 2, 3, [1, 1, 2, 6]],
    [1000, 2, 3, [66, 133, 267, 534]],
    [7, 1, 2, [2, 2, 3]],
    [5, 0, 3, [5]],
    [4, 5, 3, [1, 1, 1, 1]],
    [1, 2, 0, [1]],
  ];
  it.each(cases)('%i services, fan-out %i, depth %i → %j', (services, fanOut, depth, sizes) => {
    expect(levelSizes({ services, fanOut, depth })).toEqual(sizes);
  });
});
