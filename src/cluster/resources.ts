// kubectl's names for resources: `deployment.apps/foo created`, `deployments.apps "foo" not found`.
import type { KubeObject } from '../k8s/types';
import { ISTIO_GATEWAY_KIND } from './state';

interface ResourceInfo {
  plural: string;
  /** API group, '' for core. */
  group: string;
  apiVersion: string;
}

function r(plural: string, apiVersion: string): ResourceInfo {
  const slash = apiVersion.indexOf('/');
  return { plural, apiVersion, group: slash < 0 ? '' : apiVersion.slice(0, slash) };
}

const RESOURCES: Record<string, ResourceInfo> = {
  Namespace: r('namespaces', 'v1'),
  Node: r('nodes', 'v1'),
  Pod: r('pods', 'v1'),
  Service: r('services', 'v1'),
  ServiceAccount: r('serviceaccounts', 'v1'),
  ConfigMap: r('configmaps', 'v1'),
  Secret: r('secrets', 'v1'),
  Endpoints: r('endpoints', 'v1'),
  Event: r('events', 'v1'),
  PersistentVolumeClaim: r('persistentvolumeclaims', 'v1'),
  PersistentVolume: r('persistentvolumes', 'v1'),
  Deployment: r('deployments', 'apps/v1'),
  ReplicaSet: r('replicasets', 'apps/v1'),
  StatefulSet: r('statefulsets', 'apps/v1'),
  DaemonSet: r('daemonsets', 'apps/v1'),
  ControllerRevision: r('controllerrevisions', 'apps/v1'),
  Job: r('jobs', 'batch/v1'),
  CronJob: r('cronjobs', 'batch/v1'),
  EndpointSlice: r('endpointslices', 'discovery.k8s.io/v1'),
  HorizontalPodAutoscaler: r('horizontalpodautoscalers', 'autoscaling/v2'),
  PodDisruptionBudget: r('poddisruptionbudgets', 'policy/v1'),
  NetworkPolicy: r('networkpolicies', 'networking.k8s.io/v1'),
  Ingress: r('ingresses', 'networking.k8s.io/v1'),
  Role: r('roles', 'rbac.authorization.k8s.io/v1'),
  RoleBinding: r('rolebindings', 'rbac.authorization.k8s.io/v1'),
  ClusterRole: r('clusterroles', 'rbac.authorization.k8s.io/v1'),
  ClusterRoleBinding: r('clusterrolebindings', 'rbac.authorization.k8s.io/v1'),
  CustomResourceDefinition: r('customresourcedefinitions', 'apiextensions.k8s.io/v1'),
  StorageClass: r('storageclasses', 'storage.k8s.io/v1'),
  Gateway: r('gateways', 'gateway.networking.k8s.io/v1'),
  GatewayClass: r('gatewayclasses', 'gateway.networking.k8s.io/v1'),
  HTTPRoute: r('httproutes', 'gateway.networking.k8s.io/v1'),
  GRPCRoute: r('grpcroutes', 'gateway.networking.k8s.io/v1'),
  ReferenceGrant: r('referencegrants', 'gateway.networking.k8s.io/v1beta1'),
  TCPRoute: r('tcproutes', 'gateway.networking.k8s.io/v1alpha2'),
  TLSRoute: r('tlsroutes', 'gateway.networking.k8s.io/v1alpha2'),
  BackendTLSPolicy: r('backendtlspolicies', 'gateway.networking.k8s.io/v1'),
  AuthorizationPolicy: r('authorizationpolicies', 'security.istio.io/v1'),
  PeerAuthentication: r('peerauthentications', 'security.istio.io/v1'),
  RequestAuthentication: r('requestauthentications', 'security.istio.io/v1'),
  [ISTIO_GATEWAY_KIND]: r('gateways', 'networking.istio.io/v1'),
  VirtualService: r('virtualservices', 'networking.istio.io/v1'),
  DestinationRule: r('destinationrules', 'networking.istio.io/v1'),
  ServiceEntry: r('serviceentries', 'networking.istio.io/v1'),
  WorkloadEntry: r('workloadentries', 'networking.istio.io/v1'),
  WorkloadGroup: r('workloadgroups', 'networking.istio.io/v1'),
  Sidecar: r('sidecars', 'networking.istio.io/v1'),
  EnvoyFilter: r('envoyfilters', 'networking.istio.io/v1alpha3'),
  ProxyConfig: r('proxyconfigs', 'networking.istio.io/v1beta1'),
  Telemetry: r('telemetries', 'telemetry.istio.io/v1'),
  WasmPlugin: r('wasmplugins', 'extensions.istio.io/v1alpha1'),
};

function baseKind(kind: string): string {
  return kind === ISTIO_GATEWAY_KIND ? 'Gateway' : kind;
}

function info(kind: string, apiVersion?: string): ResourceInfo {
  const known = RESOURCES[kind];
  if (known) return known;
  // Unknown kinds (custom resources): kubectl's lower-case plural guess and the group of apiVersion.
  const lower = kind.toLowerCase();
  const plural = /(s|x|ch|sh)$/.test(lower) ? `${lower}es` : /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return r(plural, apiVersion ?? 'v1');
}

function qualify(name: string, group: string): string {
  return group ? `${name}.${group}` : name;
}

/** kubectl's singular resource name: `deployment.apps`, `service`, `gateway.gateway.networking.k8s.io`. */
export function resourceRef(kind: string, apiVersion?: string): string {
  return qualify(baseKind(kind).toLowerCase(), info(kind, apiVersion).group);
}

/** kubectl's plural resource name used in API errors: `deployments.apps`, `pods`. */
export function resourcePlural(kind: string, apiVersion?: string): string {
  const i = info(kind, apiVersion);
  return qualify(i.plural, i.group);
}

/** The API group of `apiVersion` (`apps/v1` → `apps`, `v1` → '' for core). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Versions a current API server still serves besides the one above (removed betas are not). */
const ALSO_SERVED: Record<string, readonly string[]> = { HorizontalPodAutoscaler: ['autoscaling/v1'] };

/** Istio's and the Gateway API's groups serve several versions of each kind (v1alpha3, v1beta1, v1, ...). */
const MULTI_VERSION_GROUP = /(^|\.)istio\.io$|^gateway\.networking\.k8s\.io$/;

/**
 * Whether the API server has a type for `kind` in `apiVersion` without a CustomResourceDefinition:
 * Kubernetes' own kinds at the versions still served (`apps/v1beta2` Deployments are long gone).
 * Istio's and the Gateway API's kinds are served through the CRDs every cluster starts with
 * (installedCrds), at any version of their group, for as long as those CRDs exist.
 */
export function isBuiltInType(kind: string, apiVersion: string): boolean {
  const known = RESOURCES[kind];
  if (known === undefined || known.group !== groupOf(apiVersion) || MULTI_VERSION_GROUP.test(known.group)) return false;
  return known.apiVersion === apiVersion || (ALSO_SERVED[kind]?.includes(apiVersion) ?? false);
}

/** Cluster-scoped kinds among Istio's and the Gateway API's. */
const CLUSTER_SCOPED_CRDS = new Set(['GatewayClass']);

/**
 * The CustomResourceDefinitions of Istio's and the Gateway API's kinds (the experimental channel,
 * whose TCPRoute and TLSRoute meshsim serves), as `istioctl install` and the Gateway API's
 * manifests leave them: `<plural>.<group>`, sorted by name as `kubectl get crd` lists them.
 */
export function installedCrds(): KubeObject[] {
  const out: KubeObject[] = [];
  for (const [kind, i] of Object.entries(RESOURCES)) {
    if (!MULTI_VERSION_GROUP.test(i.group)) continue;
    const names = { kind: baseKind(kind), listKind: `${baseKind(kind)}List`, plural: i.plural, singular: baseKind(kind).toLowerCase() };
    const version = i.apiVersion.slice(i.group.length + 1);
    out.push({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${i.plural}.${i.group}` },
      spec: { group: i.group, names, scope: CLUSTER_SCOPED_CRDS.has(kind) ? 'Cluster' : 'Namespaced', versions: [{ name: version, served: true, storage: true }] },
    });
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** The apiVersion the simulated API server serves a kind under. */
export function defaultApiVersion(kind: string): string {
  return info(kind).apiVersion;
}

export function notFoundError(kind: string, name: string, apiVersion?: string): string {
  return `Error from server (NotFound): ${resourcePlural(kind, apiVersion)} "${name}" not found`;
}
