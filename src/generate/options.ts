// The options of `meshsim generate`: their defaults, the ones derived from others, and every
// problem with a set of them (reported all at once, as the CLI prints them).
import { MAX_CALL_DEPTH } from '../dataplane/context';
import { MAX_CLUSTERS } from '../cluster/ip';
import { levelSizes } from './levels';

export interface GenerateOptions {
  seed: number;
  /** `metadata.name` of the scenario. */
  name: string;
  clusters: number;
  regions: number;
  /** Zones per cluster, spread over the regions. */
  zones: number;
  /** Derived from the pod count when not given (see `nodesPerZoneNeeded`). */
  nodesPerZone?: number;
  namespaces: number;
  services: number;
  /** Replicas of the services, in all clusters together. */
  pods: number;
  /** How many services each service calls at the next level of the call graph. */
  fanOut: number;
  /** Call levels below the entry services: the longest call chain has this many hops. */
  depth: number;
  /** Share of namespaces that get a waypoint (and the `istio.io/use-waypoint` label). */
  waypointFraction: number;
  policiesPerService: number;
  /** HTTPRoutes per service behind a waypoint (routes apply at waypoints only). */
  routesPerService: number;
  /** Requests per second over all entry steps together. */
  rps: number;
  durationMs: number;
  /** Inline every manifest into scenario.yaml instead of writing manifests/. */
  singleFile: boolean;
}

export type GenerateInput = Partial<GenerateOptions>;

/**
 * Pods scheduled per node at most: kubelet's default maxPods is 110; one slot goes to the ztunnel
 * DaemonSet pod and the rest is headroom for the scheduler's spreading, which places replicas of a
 * Deployment on different nodes before it balances the nodes' totals.
 */
export const PODS_PER_NODE = 100;
/** Nodes a generated cluster's pod subnet holds: a /13, one pod /24 per node (src/cluster/ip.ts). */
export const MAX_NODES_PER_CLUSTER = 2048;
/** Entry clients: a few curl Deployments that send every request step. */
export const MAX_ENTRY_CLIENTS = 3;
/** Lowest per-step rate written (rates are written with three decimals). */
export const MIN_STEP_RATE = 0.001;

const DEFAULTS = {
  seed: 1,
  clusters: 1,
  regions: 1,
  zones: 3,
  services: 10,
  fanOut: 2,
  depth: 3,
  waypointFraction: 0.25,
  policiesPerService: 1,
  routesPerService: 1,
  rps: 100,
  durationMs: 10_000,
  singleFile: false,
} as const;

/** Fills the defaults; the namespace and pod counts and the depth follow the service count. */
export function resolveOptions(input: GenerateInput): GenerateOptions {
  const services = input.services ?? DEFAULTS.services;
  // Derived from a usable service count even when the given one is not, so only the flag the
  // user wrote is reported.
  const base = Number.isInteger(services) && services >= 1 ? services : 1;
  const seed = input.seed ?? DEFAULTS.seed;
  return {
    ...DEFAULTS,
    ...definedOnly(input),
    seed,
    name: input.name ?? `generated-seed-${seed}`.replace(/[^a-z0-9-]/g, '-'),
    services,
    namespaces: input.namespaces ?? Math.min(base, Math.max(2, Math.ceil(base / 10))),
    pods: input.pods ?? base * 3,
    depth: input.depth ?? Math.min(DEFAULTS.depth, base - 1),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Every problem with the options, as `--flag: why` lines; empty when they are usable. */
export function optionProblems(o: GenerateOptions): string[] {
  const out: string[] = [];
  const int = (flag: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(v)) out.push(`--${flag}: must be a whole number, got ${v}`);
    else if (v < min || v > max) out.push(`--${flag}: must be ${max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`}, got ${v}`);
  };
  if (!Number.isInteger(o.seed)) out.push(`--seed: must be a whole number, got ${o.seed}`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.name)) out.push(`--name: must be a lowercase DNS name (letters, digits, "-"), got ${JSON.stringify(o.name)}`);
  int('clusters', o.clusters, 1, MAX_CLUSTERS);
  int('regions', o.regions, 1);
  int('zones', o.zones, 1, MAX_NODES_PER_CLUSTER);
  if (o.nodesPerZone !== undefined) int('nodes-per-zone', o.nodesPerZone, 1, MAX_NODES_PER_CLUSTER);
  int('services', o.services, 1);
  int('namespaces', o.namespaces, 1, Math.max(1, o.services));
  int('pods', o.pods, Math.max(1, o.services));
  int('fan-out', o.fanOut, 0);
  int('depth', o.depth, 0, Math.min(MAX_CALL_DEPTH, Math.max(0, o.services - 1)));
  int('policies-per-service', o.policiesPerService, 0);
  int('routes-per-service', o.routesPerService, 0);
  if (!(o.waypointFraction >= 0 && o.waypointFraction <= 1)) out.push(`--waypoint-fraction: must be between 0 and 1, got ${o.waypointFraction}`);
  if (!(o.rps > 0) || !Number.isFinite(o.rps)) out.push(`--rps: must be a positive number, got ${o.rps}`);
  if (!(o.durationMs > 0) || !Number.isFinite(o.durationMs)) out.push(`--duration: must be a positive duration such as 10s, got ${o.durationMs}ms`);
  if (Number.isInteger(o.regions) && Number.isInteger(o.zones) && o.zones < o.regions) out.push(`--zones: each region needs a zone: ${o.regions} regions need at least ${o.regions} zones, got ${o.zones}`);
  if (out.length === 0) out.push(...capacityProblems(o));
  return out;
}

/** The nodes per zone that hold `pods` scheduled pods in a cluster of `zones` zones. */
export function nodesPerZoneNeeded(pods: number, zones: number): number {
  return Math.max(1, Math.ceil(Math.ceil(pods / PODS_PER_NODE) / zones));
}

/** Pods a cluster schedules besides the services' replicas: istiod, clients, waypoints, the east-west gateway. */
export function overheadPods(o: GenerateOptions, waypoints: number): number {
  return 1 + entryClients(o) + waypoints + (o.clusters > 1 ? 1 : 0);
}

/** One client per entry service, up to MAX_ENTRY_CLIENTS. */
export function entryClients(o: GenerateOptions): number {
  return Math.min(MAX_ENTRY_CLIENTS, levelSizes(o)[0]!);
}

export function waypointCount(o: GenerateOptions): number {
  return Math.round(o.waypointFraction * o.namespaces);
}

/**
 * The most pods any one cluster schedules. Replicas are dealt to the clusters in turn (plan.ts),
 * so the clusters' shares differ by one at most.
 */
export function podsPerClusterMax(o: GenerateOptions): number {
  return Math.ceil(o.pods / o.clusters) + overheadPods(o, waypointCount(o));
}

function capacityProblems(o: GenerateOptions): string[] {
  const need = podsPerClusterMax(o);
  const perZone = nodesPerZoneNeeded(need, o.zones);
  if (o.nodesPerZone !== undefined && o.nodesPerZone < perZone) {
    return [
      `--nodes-per-zone: ${o.nodesPerZone} node(s) in each of ${o.zones} zone(s) hold ${o.nodesPerZone * o.zones * PODS_PER_NODE} pods at ${PODS_PER_NODE} per node ` +
        `(kubelet allows 110, less the ztunnel and spreading headroom), but a cluster schedules up to ${need}: use at least --nodes-per-zone ${perZone}, or leave it out`,
    ];
  }
  const nodes = (o.nodesPerZone ?? perZone) * o.zones;
  if (nodes > MAX_NODES_PER_CLUSTER) {
    return [`--pods: ${need} pods in a cluster need ${nodes} nodes, but a generated cluster has at most ${MAX_NODES_PER_CLUSTER} (a /13 pod subnet, one /24 per node): add --clusters or lower --pods`];
  }
  return [];
}
