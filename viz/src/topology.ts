// The topology the page draws: the runner's `topology` when present, completed with every pod,
// proxy and waypoint binding the kept requests passed through (so a hop always has a place).
import type { Hop, RequestRecord } from '../../src/result/types';
import type { Enrollment, PodRole, Topology, TopologyPod, ViewResult, ViewStep, WaypointBinding } from './model';

export const UNKNOWN = '(unknown)';
/** Where servers outside the cluster (hops of kind `external`) are drawn: a cluster and node of their own. */
export const OUTSIDE = '(outside)';

/** Identity of a pod in the whole run: cluster, namespace, name. */
export function podKey(cluster: string, namespace: string, name: string): string {
  return `${cluster}/${namespace}/${name}`;
}

/** A pod with where it runs, as the page indexes it. */
export interface PlacedPod extends TopologyPod {
  key: string;
  cluster: string;
  node: string;
}

/** Lookup tables over a topology. */
export interface TopologyIndex {
  topology: Topology;
  pods: Map<string, PlacedPod>;
  /** `cluster|node` → the ztunnel pod on that node. */
  ztunnels: Map<string, PlacedPod>;
  /** `cluster|kind|namespace/workload` → the first pod of a proxy workload (waypoint, gateways). */
  proxies: Map<string, PlacedPod>;
}

const PROXY_ROLE: Partial<Record<Hop['kind'], PodRole>> = {
  waypoint: 'waypoint',
  ztunnel: 'ztunnel',
  'ingress-gateway': 'ingress-gateway',
  'eastwest-gateway': 'eastwest-gateway',
  'egress-gateway': 'egress-gateway',
};

/** `reviews-v1-6f7c9-x2x7q` → `reviews-v1`: strips a ReplicaSet hash and a pod suffix, as kubectl names them. */
export function workloadFromPodName(pod: string): string {
  const m = /^(.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$/.exec(pod) ?? /^(.+)-[a-z0-9]{5}$/.exec(pod) ?? /^(.+)-\d+$/.exec(pod);
  return m ? m[1]! : pod;
}

function emptyTopology(): Topology {
  return { clusters: [], waypointBindings: [] };
}

/** Accepts only a topology that has the expected outline; anything else is ignored. */
export function validTopology(t: unknown): t is Topology {
  if (!t || typeof t !== 'object') return false;
  const c = (t as { clusters?: unknown }).clusters;
  return Array.isArray(c) && c.every((x) => x && typeof x === 'object' && Array.isArray((x as { nodes?: unknown }).nodes));
}

class TopologyBuilder {
  readonly topology: Topology;
  readonly index: TopologyIndex;
  private readonly bindings = new Set<string>();

  constructor(base: Topology | undefined) {
    this.topology = emptyTopology();
    this.index = { topology: this.topology, pods: new Map(), ztunnels: new Map(), proxies: new Map() };
    if (!base) return;
    for (const c of base.clusters) {
      for (const n of c.nodes) {
        this.node(c.name, n.name, { region: n.region, zone: n.zone }, c.network);
        for (const p of n.pods ?? []) this.addPod(c.name, n.name, p);
      }
    }
    for (const b of base.waypointBindings ?? []) this.bind(b);
  }

  private cluster(name: string, network?: string) {
    let c = this.topology.clusters.find((x) => x.name === name);
    if (!c) {
      c = { name, network, nodes: [] };
      this.topology.clusters.push(c);
    }
    return c;
  }

  private node(cluster: string, name: string, place: { region?: string; zone?: string } = {}, network?: string) {
    const c = this.cluster(cluster, network);
    let n = c.nodes.find((x) => x.name === name);
    if (!n) {
      n = { name, ...place, pods: [] };
      c.nodes.push(n);
    }
    return n;
  }

  addPod(cluster: string, node: string, p: TopologyPod): PlacedPod {
    const key = podKey(cluster, p.namespace, p.name);
    const known = this.index.pods.get(key);
    if (known) {
      if (known.enrollment === 'none' && p.enrollment !== 'none') known.enrollment = p.enrollment;
      return known;
    }
    const placed: PlacedPod = { ...p, workload: p.workload ?? workloadFromPodName(p.name), key, cluster, node };
    this.node(cluster, node).pods.push(placed);
    this.index.pods.set(key, placed);
    if (p.role === 'ztunnel') this.index.ztunnels.set(`${cluster}|${node}`, placed);
    else if (p.role !== 'app') {
      const k = `${cluster}|${p.role}|${p.namespace}/${placed.workload}`;
      if (!this.index.proxies.has(k)) this.index.proxies.set(k, placed);
    }
    return placed;
  }

  bind(b: WaypointBinding): void {
    const k = `${b.cluster}|${b.service}|${b.waypoint}`;
    if (this.bindings.has(k)) return;
    this.bindings.add(k);
    this.topology.waypointBindings.push(b);
  }

  /** The pod a hop stands for, adding it when the topology did not list it. */
  hopPod(h: Hop, enrollment: Enrollment, workload?: string): PlacedPod {
    const cluster = h.cluster ?? UNKNOWN;
    const found = findHopPod(this.index, h);
    if (found) {
      if (h.kind === 'pod' && found.enrollment === 'none' && enrollment !== 'none') found.enrollment = enrollment;
      return found;
    }
    if (h.kind === 'external') return this.addPod(OUTSIDE, OUTSIDE, { name: h.name, namespace: OUTSIDE, workload: h.name, enrollment: 'none', role: 'app' });
    const node = h.node ?? UNKNOWN;
    const role = PROXY_ROLE[h.kind] ?? 'app';
    if (role === 'ztunnel') return this.addPod(cluster, node, { name: h.name, namespace: h.namespace ?? 'istio-system', workload: 'ztunnel', enrollment: 'none', role });
    if (role === 'app') return this.addPod(cluster, node, { name: h.pod ?? h.name, namespace: h.namespace ?? UNKNOWN, workload, enrollment, role });
    return this.addPod(cluster, node, { name: h.pod ?? h.name, namespace: h.namespace ?? UNKNOWN, workload: h.name, enrollment: 'ambient', role });
  }
}

/** The pod a hop stands for in an indexed topology, if it is there. */
export function findHopPod(index: TopologyIndex, h: Hop): PlacedPod | undefined {
  const cluster = h.cluster ?? UNKNOWN;
  switch (h.kind) {
    case 'external':
      return index.pods.get(podKey(OUTSIDE, OUTSIDE, h.name));
    case 'ztunnel':
      return index.ztunnels.get(`${cluster}|${h.node ?? UNKNOWN}`);
    case 'pod':
    case 'sidecar':
      return index.pods.get(podKey(cluster, h.namespace ?? UNKNOWN, h.pod ?? h.name));
    default: {
      const ns = h.namespace ?? UNKNOWN;
      if (h.pod) return index.pods.get(podKey(cluster, ns, h.pod));
      return index.proxies.get(`${cluster}|${PROXY_ROLE[h.kind]}|${ns}/${h.name}`);
    }
  }
}

/** The keys of every pod the requests' hops went through (ztunnels and proxies included). */
export function podsOnPaths(index: TopologyIndex, requests: readonly Pick<RequestRecord, 'hops'>[]): Set<string> {
  const out = new Set<string>();
  for (const r of requests) {
    for (const h of r.hops) {
      const pod = findHopPod(index, h);
      if (pod) out.add(pod.key);
    }
  }
  return out;
}

/** How the pod at hop `i` is enrolled, judged from its neighbours on the path. */
export function enrollmentAt(hops: Hop[], i: number): Enrollment {
  const near = [hops[i - 1], hops[i + 1]].filter((x): x is Hop => x !== undefined);
  if (hops[i]!.kind === 'sidecar' || near.some((x) => x.kind === 'sidecar' && x.name === hops[i]!.name)) return 'sidecar';
  if (near.some((x) => x.kind === 'ztunnel' && x.node === hops[i]!.node)) return 'ambient';
  return 'none';
}

function addRequest(b: TopologyBuilder, r: Omit<RequestRecord, 'id' | 'from'> & { from?: RequestRecord['from'] }): void {
  r.hops.forEach((h, i) => {
    let workload: string | undefined;
    if (i === 0 && r.from?.workload && r.from.pod === h.name) workload = r.from.workload;
    if (i === r.hops.length - 1 && r.backend?.workload && r.backend.pod === h.name) workload = r.backend.workload;
    b.hopPod(h, h.kind === 'pod' ? enrollmentAt(r.hops, i) : 'none', workload);
  });
  const wp = r.hops.find((h) => h.kind === 'waypoint');
  if (wp && r.to.service) b.bind({ cluster: wp.cluster ?? UNKNOWN, service: r.to.service, waypoint: `${wp.namespace ?? UNKNOWN}/${wp.name}` });
  for (const c of r.calls ?? []) addRequest(b, c);
}

function eachStep(steps: ViewStep[], f: (s: ViewStep) => void): void {
  for (const s of steps) {
    f(s);
    if (s.steps) eachStep(s.steps, f);
  }
}

/** The run's topology (given or empty) completed from every kept request's hops. */
export function buildTopology(result: ViewResult): TopologyIndex {
  const b = new TopologyBuilder(validTopology(result.topology) ? result.topology : undefined);
  eachStep(result.steps, (s) => {
    for (const r of s.requests ?? []) addRequest(b, r);
  });
  for (const c of b.topology.clusters) {
    c.nodes.sort((x, y) => x.name.localeCompare(y.name));
    for (const n of c.nodes) n.pods.sort((x, y) => x.namespace.localeCompare(y.namespace) || x.name.localeCompare(y.name));
  }
  return b.index;
}
