// Small builders of Kubernetes/Istio manifests for table tests, so each row states only what
// differs. They produce YAML exactly as a user would write it.
import { stringify } from 'yaml';

type Labels = Record<string, string>;

export function yamlDocs(objects: object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

export function namespace(name: string, labels: Labels = {}): object {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export interface DeployOpts {
  replicas?: number;
  node?: string;
  labels?: Labels;
  podLabels?: Labels;
  podAnnotations?: Labels;
  serviceAccount?: string;
  image?: string;
  args?: string[];
  port?: number;
  portName?: string;
  /** The pod shares its node's network namespace and IP. */
  hostNetwork?: boolean;
}

/** An http-echo Deployment answering `text` on `port` (default 8080). */
export function echo(ns: string, name: string, text: string, o: DeployOpts = {}): object {
  const port = o.port ?? 8080;
  return deployment(ns, name, { ...o, image: o.image ?? 'hashicorp/http-echo:1.0', args: o.args ?? [`-text=${text}`, `-listen=:${port}`], port });
}

/** A curl client (listens nowhere). */
export function curl(ns: string, name = 'curl', o: DeployOpts = {}): object {
  return deployment(ns, name, { ...o, image: 'curlimages/curl:8.16.0', args: ['sleep', 'infinity'], port: undefined });
}

export function deployment(ns: string, name: string, o: DeployOpts = {}): object {
  const labels = { app: name, ...(o.labels ?? {}) };
  const container: Record<string, unknown> = { name, image: o.image ?? 'example/app:1' };
  if (o.args) container.args = o.args;
  if (o.port !== undefined) container.ports = [{ containerPort: o.port, ...(o.portName ? { name: o.portName } : {}) }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: { app: labels.app } },
      template: {
        metadata: { labels: { ...labels, ...(o.podLabels ?? {}) }, ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}) },
        spec: {
          ...(o.serviceAccount ? { serviceAccountName: o.serviceAccount } : {}),
          ...(o.node ? { nodeName: o.node } : {}),
          ...(o.hostNetwork ? { hostNetwork: true } : {}),
          containers: [container],
        },
      },
    },
  };
}

export interface ServiceOpts {
  port?: number;
  targetPort?: number | string;
  portName?: string;
  labels?: Labels;
  annotations?: Labels;
  selector?: Labels;
  headless?: boolean;
  trafficDistribution?: string;
  internalTrafficPolicy?: 'Local' | 'Cluster';
}

export function service(ns: string, name: string, o: ServiceOpts = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      selector: o.selector ?? { app: name },
      ...(o.headless ? { clusterIP: 'None' } : {}),
      ...(o.trafficDistribution ? { trafficDistribution: o.trafficDistribution } : {}),
      ...(o.internalTrafficPolicy ? { internalTrafficPolicy: o.internalTrafficPolicy } : {}),
      ports: [{ name: o.portName ?? 'http', port: o.port ?? 80, targetPort: o.targetPort ?? 8080 }],
    },
  };
}

export interface WaypointOpts {
  for?: 'service' | 'workload' | 'all' | 'none';
  allowedRoutes?: { from: 'All' | 'Same' | 'Selector'; selector?: { matchLabels: Labels } };
  labels?: Labels;
}

/** A waypoint Gateway as `istioctl waypoint generate` writes it. */
export function waypoint(ns: string, name = 'waypoint', o: WaypointOpts = {}): object {
  const labels = { ...(o.for ? { 'istio.io/waypoint-for': o.for } : {}), ...(o.labels ?? {}) };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, ...(Object.keys(labels).length ? { labels } : {}) },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', ...(o.allowedRoutes ? { allowedRoutes: { namespaces: o.allowedRoutes } } : {}) }],
    },
  };
}

/** client/curl calling server/echo (answers "ok") through the server namespace's waypoint, both namespaces ambient. */
export function echoBehindWaypoint(): string {
  return yamlDocs([
    namespace('client', { 'istio.io/dataplane-mode': 'ambient' }),
    namespace('server', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' }),
    curl('client'),
    echo('server', 'echo', 'ok'),
    service('server', 'echo'),
    waypoint('server'),
  ]);
}
