// What a generated scenario holds, decided before any text is written: the topology, the call
// graph, where the waypoints are, each service's replicas, policies and routes, and the traffic.
// Every random choice is drawn here, in a fixed order, from one stream seeded by the options' seed.
import seedrandom from 'seedrandom';
import { defaultPodSubnet, podSubnetNodes } from '../cluster/ip';
import { levelSizes } from './levels';
import { entryClients, nodesPerZoneNeeded, podsPerClusterMax, waypointCount, type GenerateOptions } from './options';

export const TRUST_DOMAIN = 'cluster.local';
export const CLIENT_NAMESPACE = 'clients';
export const SERVICE_PORT = 80;
export const TARGET_PORT = 8080;
export const WAYPOINT = 'waypoint';

export interface NodePlan {
  name: string;
  region: string;
  zone: string;
}

export interface ClusterPlan {
  name: string;
  network: string;
  nodes: NodePlan[];
  /** Written only when the default pod subnet (a /16, 256 nodes) is too small. */
  podSubnet?: string;
}

export interface NamespacePlan {
  name: string;
  waypoint: boolean;
  /** Indices into `ScenarioPlan.services`, ascending. */
  services: number[];
}

/** A workload identity, as AuthorizationPolicy `principals` spell it (trust domain first). */
export interface Caller {
  namespace: string;
  serviceAccount: string;
}

export type PolicyPlan =
  /** L4, at the destination ztunnel: the callers, and the namespace's waypoint when it has one. */
  | { kind: 'allow-callers'; name: string; principals: string[] }
  /** L4: the callers' namespaces, on the target port. */
  | { kind: 'allow-namespaces'; name: string; namespaces: string[]; port: number }
  /** L4: a namespace no generated workload runs in; never matches generated traffic. */
  | { kind: 'deny-namespace'; name: string; namespace: string }
  /** L7, at the waypoint, for the Service: the callers may GET and HEAD. */
  | { kind: 'allow-l7'; name: string; principals: string[]; methods: string[] }
  /** L7, at the waypoint, for the Service: methods or paths generated traffic never uses. */
  | { kind: 'deny-l7'; name: string; methods: string[]; paths: string[] };

export interface RoutePlan {
  name: string;
  pathPrefix: string;
  /** Service names in the same namespace; weights only when there are several. */
  backends: { service: string; weight?: number }[];
}

export interface ServicePlan {
  index: number;
  name: string;
  namespace: string;
  /** 0 for entry services, which the clients call. */
  level: number;
  /** Replicas per cluster, in cluster order. */
  replicas: number[];
  /** Services this one calls, indices ascending. */
  children: number[];
  callers: Caller[];
  waypoint: boolean;
  policies: PolicyPlan[];
  routes: RoutePlan[];
}

export interface EntryPlan {
  name: string;
  cluster: string;
  client: string;
  service: number;
  ratePerSecond: number;
  count: number;
}

export interface ScenarioPlan {
  options: GenerateOptions;
  clusters: ClusterPlan[];
  namespaces: NamespacePlan[];
  services: ServicePlan[];
  clients: string[];
  levels: number[];
  entries: EntryPlan[];
}

export function principal(c: Caller): string {
  return `${TRUST_DOMAIN}/ns/${c.namespace}/sa/${c.serviceAccount}`;
}

export function serviceHost(s: { name: string; namespace: string }): string {
  return `${s.name}.${s.namespace}.svc.cluster.local`;
}

/** Seeded draws; one instance per generated scenario, used in a fixed order. */
class Draw {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seedrandom.alea(`generate/${seed}`);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

const pad = (n: number, count: number) => String(n).padStart(String(count).length, '0');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function planScenario(o: GenerateOptions): ScenarioPlan {
  const draw = new Draw(o.seed);
  const clusters = planClusters(o);
  const levels = levelSizes(o);
  const clients = range(entryClients(o)).map((i) => `client-${i + 1}`);
  const namespaces: NamespacePlan[] = range(o.namespaces).map((i) => ({ name: `ns-${pad(i + 1, o.namespaces)}`, waypoint: false, services: [] }));
  for (const i of draw.shuffle(range(o.namespaces)).slice(0, waypointCount(o))) namespaces[i]!.waypoint = true;

  const levelOf = levels.flatMap((size, level) => new Array<number>(size).fill(level));
  const services: ServicePlan[] = range(o.services).map((i) => ({
    index: i,
    name: `svc-${pad(i + 1, o.services)}`,
    namespace: '',
    level: levelOf[i]!,
    replicas: new Array<number>(o.clusters).fill(0),
    children: [],
    callers: [],
    waypoint: false,
    policies: [],
    routes: [],
  }));
  // Round-robin over a shuffled order, so every namespace has a service and levels mix.
  const nsOf: NamespacePlan[] = [];
  draw.shuffle(range(o.services)).forEach((s, k) => {
    const ns = namespaces[k % o.namespaces]!;
    ns.services.push(s);
    nsOf[s] = ns;
    Object.assign(services[s]!, { namespace: ns.name, waypoint: ns.waypoint });
  });
  for (const ns of namespaces) ns.services.sort((a, b) => a - b);

  dealReplicas(o, draw, services);
  linkCalls(o, draw, services, levels);
  for (const s of services) {
    if (s.level === 0) s.callers.push({ namespace: CLIENT_NAMESPACE, serviceAccount: clients[s.index % clients.length]! });
  }
  for (const s of services) {
    s.policies = planPolicies(o, draw, s);
    const siblings = nsOf[s.index]!.services.filter((x) => x !== s.index).map((x) => services[x]!.name);
    s.routes = s.waypoint ? planRoutes(o, draw, s, siblings) : [];
  }
  return { options: o, clusters, namespaces, services, clients, levels, entries: planEntries(o, services, clusters, clients) };
}

function planClusters(o: GenerateOptions): ClusterPlan[] {
  const perZone = o.nodesPerZone ?? nodesPerZoneNeeded(podsPerClusterMax(o), o.zones);
  return range(o.clusters).map((c) => {
    const prefix = o.clusters === 1 ? 'node' : `c${c + 1}-node`;
    const nodes = range(o.zones).flatMap((z) =>
      range(perZone).map((k) => ({
        name: `${prefix}-${pad(z + 1, o.zones)}-${pad(k + 1, perZone)}`,
        region: `region-${(z % o.regions) + 1}`,
        zone: `region-${(z % o.regions) + 1}-zone-${pad(z + 1, o.zones)}`,
      })),
    );
    return { name: `cluster-${c + 1}`, network: `network-${c + 1}`, nodes, ...(nodes.length > podSubnetNodes(defaultPodSubnet(c)) ? { podSubnet: largePodSubnet(c) } : {}) };
  });
}

/** Cluster c's /13 from 10.128.0.0 up: twelve of them fit below the default pod subnets and clear the Service ranges. */
function largePodSubnet(c: number): string {
  return `10.${128 + 8 * c}.0.0/13`;
}

/** Pods beyond one per service go to random services; each service's replicas are dealt to the clusters in turn. */
function dealReplicas(o: GenerateOptions, draw: Draw, services: ServicePlan[]): void {
  const base = Math.floor(o.pods / o.services);
  const extra = new Set(draw.shuffle(range(o.services)).slice(0, o.pods % o.services));
  let turn = 0;
  for (const s of services) {
    const n = base + (extra.has(s.index) ? 1 : 0);
    for (let r = 0; r < n; r++) s.replicas[turn++ % o.clusters]!++;
  }
}

/**
 * Each service calls `fanOut` services of the next level. Every service below the entry level
 * first gets one caller (dealt evenly over the level above), so none is unreachable; the rest of
 * each caller's calls are random.
 */
function linkCalls(o: GenerateOptions, draw: Draw, services: ServicePlan[], levels: number[]): void {
  let start = 0;
  for (let d = 0; d + 1 < levels.length; d++) {
    const parents = range(levels[d]!).map((i) => start + i);
    const kids = range(levels[d + 1]!).map((i) => start + levels[d]! + i);
    const chosen = parents.map(() => new Set<number>());
    draw.shuffle(kids).forEach((k, j) => chosen[j % parents.length]!.add(k));
    parents.forEach((_, p) => {
      const set = chosen[p]!;
      const want = Math.min(o.fanOut, kids.length);
      while (set.size < want) set.add(draw.pick(kids));
    });
    parents.forEach((p, j) => {
      const parent = services[p]!;
      parent.children = [...chosen[j]!].sort((a, b) => a - b);
      for (const k of parent.children) services[k]!.callers.push({ namespace: parent.namespace, serviceAccount: parent.name });
    });
    start += levels[d]!;
  }
}

function planPolicies(o: GenerateOptions, draw: Draw, s: ServicePlan): PolicyPlan[] {
  const callers = s.callers.map(principal);
  const out: PolicyPlan[] = [];
  for (let k = 0; k < o.policiesPerService; k++) {
    const name = k === 0 ? `${s.name}-allow` : `${s.name}-${k}`;
    if (k === 0) {
      // Behind a waypoint the destination ztunnel sees the waypoint's identity, not the caller's.
      const waypoint = s.waypoint ? [principal({ namespace: s.namespace, serviceAccount: WAYPOINT })] : [];
      out.push({ kind: 'allow-callers', name, principals: [...callers, ...waypoint] });
    } else if (s.waypoint) {
      out.push(
        draw.chance(0.5)
          ? { kind: 'allow-l7', name: `${name}-l7`, principals: callers, methods: ['GET', 'HEAD'] }
          : { kind: 'deny-l7', name: `${name}-deny-l7`, methods: [draw.pick(['DELETE', 'PUT', 'PATCH'])], paths: [`/admin/${k}/*`] },
      );
    } else {
      out.push(
        draw.chance(0.5)
          ? { kind: 'allow-namespaces', name, namespaces: [...new Set(s.callers.map((c) => c.namespace))].sort(), port: TARGET_PORT }
          : { kind: 'deny-namespace', name: `${name}-deny`, namespace: 'untrusted' },
      );
    }
  }
  return out;
}

const WEIGHTS = [80, 90, 95];

function planRoutes(o: GenerateOptions, draw: Draw, s: ServicePlan, siblings: string[]): RoutePlan[] {
  const out: RoutePlan[] = [];
  for (let k = 0; k < o.routesPerService; k++) {
    if (k === 0) {
      // The catch-all: without it, a request matching no route of the Service would get a 404.
      const split = siblings.length > 0 && draw.chance(0.5);
      const weight = draw.pick(WEIGHTS);
      const backends = split ? [{ service: s.name, weight }, { service: draw.pick(siblings), weight: 100 - weight }] : [{ service: s.name }];
      out.push({ name: s.name, pathPrefix: '/', backends });
    } else {
      out.push({ name: `${s.name}-v${k}`, pathPrefix: `/api/v${k}`, backends: [{ service: s.name }] });
    }
  }
  return out;
}

function planEntries(o: GenerateOptions, services: ServicePlan[], clusters: ClusterPlan[], clients: string[]): EntryPlan[] {
  const roots = services.filter((s) => s.level === 0);
  const rate = Math.max(Math.round((o.rps / roots.length) * 1000) / 1000, 0.001);
  const count = Math.max(1, Math.round((rate * o.durationMs) / 1000));
  return roots.map((s) => {
    // The same client as the one the service's policies admit (planScenario).
    const client = clients[s.index % clients.length]!;
    const cluster = clusters[s.index % clusters.length]!.name;
    return { name: `GET ${s.name}.${s.namespace} from ${CLIENT_NAMESPACE}/${client} in ${cluster}`, cluster, client, service: s.index, ratePerSecond: rate, count };
  });
}
