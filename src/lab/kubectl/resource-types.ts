// The resource names kubectl accepts (`po`, `svc`, `deploy`, `gtw`, `deployments.apps`, ...) and
// the kind each one stands for.
import { isClusterScoped } from '../../k8s/object';
import { defaultApiVersion, isBuiltInType, ISTIO_GATEWAY_KIND, resourcePlural, resourceRef, type Cluster } from '../../cluster';

interface TypeInfo {
  kind: string;
  names: string[];
}

const TYPES: TypeInfo[] = [
  { kind: 'Pod', names: ['pods', 'pod', 'po'] },
  { kind: 'Service', names: ['services', 'service', 'svc'] },
  { kind: 'Namespace', names: ['namespaces', 'namespace', 'ns'] },
  { kind: 'Node', names: ['nodes', 'node', 'no'] },
  { kind: 'ServiceAccount', names: ['serviceaccounts', 'serviceaccount', 'sa'] },
  { kind: 'ConfigMap', names: ['configmaps', 'configmap', 'cm'] },
  { kind: 'Secret', names: ['secrets', 'secret'] },
  { kind: 'Endpoints', names: ['endpoints', 'ep'] },
  // The simulated API server records no events; `get events` finds none, as on a quiet cluster.
  { kind: 'Event', names: ['events', 'event', 'ev'] },
  { kind: 'Deployment', names: ['deployments', 'deployment', 'deploy'] },
  { kind: 'ReplicaSet', names: ['replicasets', 'replicaset', 'rs'] },
  { kind: 'StatefulSet', names: ['statefulsets', 'statefulset', 'sts'] },
  { kind: 'DaemonSet', names: ['daemonsets', 'daemonset', 'ds'] },
  { kind: 'EndpointSlice', names: ['endpointslices', 'endpointslice'] },
  { kind: 'Gateway', names: ['gateways', 'gateway', 'gtw'] },
  { kind: 'GatewayClass', names: ['gatewayclasses', 'gatewayclass', 'gc'] },
  { kind: 'HTTPRoute', names: ['httproutes', 'httproute'] },
  { kind: 'GRPCRoute', names: ['grpcroutes', 'grpcroute'] },
  { kind: 'TCPRoute', names: ['tcproutes', 'tcproute'] },
  { kind: 'TLSRoute', names: ['tlsroutes', 'tlsroute'] },
  { kind: 'ReferenceGrant', names: ['referencegrants', 'referencegrant', 'refgrant'] },
  { kind: 'AuthorizationPolicy', names: ['authorizationpolicies', 'authorizationpolicy', 'ap'] },
  { kind: 'PeerAuthentication', names: ['peerauthentications', 'peerauthentication', 'pa'] },
  { kind: 'RequestAuthentication', names: ['requestauthentications', 'requestauthentication', 'ra'] },
  { kind: 'VirtualService', names: ['virtualservices', 'virtualservice', 'vs'] },
  { kind: 'DestinationRule', names: ['destinationrules', 'destinationrule', 'dr'] },
  { kind: 'ServiceEntry', names: ['serviceentries', 'serviceentry', 'se'] },
  { kind: 'WorkloadEntry', names: ['workloadentries', 'workloadentry', 'we'] },
  { kind: ISTIO_GATEWAY_KIND, names: ['gateways.networking.istio.io', 'gateway.networking.istio.io'] },
  { kind: 'Sidecar', names: ['sidecars', 'sidecar'] },
  { kind: 'Telemetry', names: ['telemetries', 'telemetry'] },
  { kind: 'CustomResourceDefinition', names: ['customresourcedefinitions', 'customresourcedefinition', 'crd', 'crds'] },
];

const BY_NAME = new Map<string, string>();
for (const t of TYPES) {
  for (const n of t.names) BY_NAME.set(n, t.kind);
  // Fully qualified plural and singular (`deployments.apps`, `deployment.apps`, as `-o name` prints).
  BY_NAME.set(resourcePlural(t.kind), t.kind);
  BY_NAME.set(resourceRef(t.kind), t.kind);
}

/**
 * The kind a kubectl resource name stands for in `cluster`, case-insensitively; undefined when
 * unknown, or when it is Istio's or the Gateway API's and its CRD has been deleted.
 */
export function kindForType(name: string, cluster: Cluster): string | undefined {
  const kind = BY_NAME.get(name.toLowerCase());
  if (kind === undefined || isBuiltInType(kind, defaultApiVersion(kind))) return kind;
  return cluster.get('CustomResourceDefinition', undefined, resourcePlural(kind)) ? kind : undefined;
}

export function namespaced(kind: string): boolean {
  return !isClusterScoped(kind);
}

export function unknownTypeError(name: string): string {
  return `error: the server doesn't have a resource type "${name}"`;
}
