// What every check reads: the converged cluster built from the analyzed objects, the mesh view
// istiod would compute from it, the compiled authorization and routing indexes, and a way to map
// an object of the cluster back to the analyzed resource (and its file positions).
import { authzInputOf, routeInputOf } from '../dataplane/engine-inputs';
import seedrandom from 'seedrandom';
import { compileAuthz, type AuthzIndex } from '../authz';
import { Cluster, kindOf } from '../cluster';
import { DEFAULT_MESH_CONFIG, type MeshConfig } from '../control/config';
import { buildMeshView, type MeshView } from '../control/mesh-view';
import { isClusterScoped } from '../k8s/object';
import type { KubeObject, Namespace } from '../k8s/types';
import { compileRoutes, type RouteIndex } from '../routing';
import type { Path } from '../scenario';
import type { MessageType } from './codes';
import { MSH } from './codes';
import type { AnalyzedResource, Finding } from './types';

/** The cluster an offline analysis builds: meshsim's default single cluster, with a fixed seed. */
const DEFAULT_NODES = [1, 2, 3].map((i) => ({ name: `node-${i}`, region: 'region-1', zone: 'zone-1' }));
const ANALYZE_SEED = 'meshsim-analyze';
const START_TIME = Date.parse('2026-01-01T00:00:00Z');

export interface AnalysisContext {
  cluster: Cluster;
  view: MeshView;
  config: MeshConfig;
  authz: AuthzIndex;
  routes: RouteIndex;
  /** The analyzed resources, in input order (later duplicates replace earlier ones). */
  resources: AnalyzedResource[];
  /** The analyzed resource stored under this kind/namespace/name, if it was one of the inputs. */
  resourceOf(kind: string, namespace: string | undefined, name: string): AnalyzedResource | undefined;
  /** Objects of a kind as the converged cluster holds them (with controller-written fields). */
  list<T extends KubeObject>(kind: string, namespace?: string): T[];
  report(type: MessageType, r: AnalyzedResource, path: Path, message: string): void;
  findings: Finding[];
  /**
   * `friendlyName|conditionType` of negative conditions a meshsim check already explained; the
   * generic IST0171 message is not repeated for them.
   */
  covered: Set<string>;
}

export function namespaceOf(obj: KubeObject): string {
  return obj.metadata.namespace || 'default';
}

/** istioctl's friendly name: `Kind ns/name`, or `Kind name` for cluster-scoped kinds. */
export function friendlyName(obj: KubeObject): string {
  return isClusterScoped(obj.kind) ? `${obj.kind} ${obj.metadata.name}` : `${obj.kind} ${namespaceOf(obj)}/${obj.metadata.name}`;
}

function resourceKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${isClusterScoped(kind) ? '' : namespace || 'default'}/${name}`;
}

function newCluster(config: MeshConfig): Cluster {
  const rng = seedrandom(ANALYZE_SEED);
  return new Cluster({
    name: 'cluster-1',
    network: 'network-1',
    index: 0,
    nodes: DEFAULT_NODES,
    trustDomain: config.trustDomain,
    rootNamespace: config.rootNamespace,
    startTime: START_TIME,
    rng: () => rng(),
  });
}

/**
 * Applies the objects the way a user would have to for them to work: namespaces first (and an
 * unlabelled namespace for any namespace that is used but not defined), then everything else in
 * input order. Objects the API server refuses are reported.
 */
function applyAll(cluster: Cluster, resources: AnalyzedResource[], report: AnalysisContext['report']): void {
  const namespaces = resources.filter((r) => r.obj.kind === 'Namespace');
  const rest = resources.filter((r) => r.obj.kind !== 'Namespace');
  const defined = new Set([...namespaces.map((r) => r.obj.metadata.name), ...cluster.list('Namespace').map((n) => n.metadata.name)]);
  const implicit: KubeObject[] = [];
  for (const r of rest) {
    if (isClusterScoped(r.obj.kind)) continue;
    const ns = namespaceOf(r.obj);
    if (defined.has(ns)) continue;
    defined.add(ns);
    implicit.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  const plan: { obj: KubeObject; from?: AnalyzedResource }[] = [
    ...namespaces.map((r) => ({ obj: r.obj, from: r })),
    ...implicit.map((obj) => ({ obj })),
    ...rest.map((r) => ({ obj: r.obj, from: r })),
  ];
  const results = cluster.applyAll(plan.map((p) => p.obj), 0);
  results.forEach((res, i) => {
    const from = plan[i]!.from;
    if (!res.ok && from) report(MSH.NotApplied, from, [], res.error);
  });
}

export function buildContext(input: readonly AnalyzedResource[], opts: { cluster?: Cluster; config?: MeshConfig }): AnalysisContext {
  const config = opts.config ?? DEFAULT_MESH_CONFIG;
  const byKey = new Map<string, AnalyzedResource>();
  for (const r of input) byKey.set(resourceKey(kindOf(r.obj), r.obj.metadata.namespace, r.obj.metadata.name), r);
  const findings: Finding[] = [];
  const report: AnalysisContext['report'] = (type, r, path, message) => {
    const pos = r.at?.(path);
    findings.push({ code: type.code, level: type.level, message, resource: friendlyName(r.obj), ...(pos ? { pos } : {}), docs: type.docs });
  };
  const cluster = opts.cluster ?? newCluster(config);
  if (!opts.cluster) applyAll(cluster, [...input], report);

  const list = <T extends KubeObject>(kind: string, namespace?: string) => cluster.list(kind, namespace) as T[];
  const view = buildMeshView({ name: cluster.name, network: cluster.network, objects: cluster, version: cluster.version }, config);
  const authz = compileAuthz(authzInputOf(cluster, view));
  const routes = compileRoutes(routeInputOf(cluster, view));
  return {
    cluster,
    view,
    config,
    authz,
    routes,
    resources: [...byKey.values()],
    resourceOf: (kind, namespace, name) => byKey.get(resourceKey(kind, namespace, name)),
    list,
    report,
    findings,
    covered: new Set(),
  };
}

const POD_OWNER_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** The analyzed object that defines a pod (its controller, or the bare Pod), with the path of its pod labels. */
export function podSource(ctx: AnalysisContext, namespace: string, podName: string, ownerName: string): { r: AnalyzedResource; labels: Path } | undefined {
  for (const kind of POD_OWNER_KINDS) {
    const r = ctx.resourceOf(kind, namespace, ownerName);
    if (r) return { r, labels: ['spec', 'template', 'metadata', 'labels'] };
  }
  const pod = ctx.resourceOf('Pod', namespace, podName);
  return pod ? { r: pod, labels: ['metadata', 'labels'] } : undefined;
}
