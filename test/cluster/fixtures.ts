// Builders shared by the cluster tests: a seeded cluster and minimal manifests.
import seedrandom from 'seedrandom';
import { Cluster, type ClusterOptions, type NodeInput } from '../../src/cluster/index';
import type { Container, KubeObject, Labels } from '../../src/k8s/types';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export const THREE_NODES: NodeInput[] = [
  { name: 'node-a', region: 'r1', zone: 'z1' },
  { name: 'node-b', region: 'r1', zone: 'z2' },
  { name: 'node-c', region: 'r1', zone: 'z1' },
];

export function makeCluster(over: Partial<ClusterOptions> = {}): Cluster {
  return new Cluster({
    name: 'cluster-1',
    network: 'network-1',
    index: 0,
    nodes: THREE_NODES,
    trustDomain: 'cluster.local',
    rootNamespace: 'istio-system',
    startTime: T0,
    rng: seedrandom(String(over.name ?? 'seed-1')),
    ...over,
  });
}

export function namespace(name: string, labels?: Labels): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}

export function deployment(ns: string, name: string, replicas: number, opts: { labels?: Labels; containers?: Container[]; nodeSelector?: Labels; nodeName?: string; hostNetwork?: boolean } = {}): KubeObject {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: opts.containers ?? [{ name: 'app', image: 'hashicorp/http-echo', ports: [{ containerPort: 5678, name: 'http' }] }],
          ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
          ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
          ...(opts.hostNetwork ? { hostNetwork: true } : {}),
        },
      },
    },
  };
}

export function service(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec };
}

export function gateway(ns: string, name: string, className: string, listeners = [{ name: 'mesh', port: 15008, protocol: 'HBONE' }], extra: { labels?: Labels; annotations?: Labels; infrastructure?: unknown; addresses?: unknown[] } = {}): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { gatewayClassName: className, listeners, ...(extra.infrastructure ? { infrastructure: extra.infrastructure } : {}), ...(extra.addresses ? { addresses: extra.addresses } : {}) },
  };
}

/** Applies objects one by one at `nowMs`, failing loudly on any error. */
export function applyOk(c: Cluster, nowMs: number, ...objs: KubeObject[]): void {
  for (const o of objs) {
    const r = c.apply(o, nowMs);
    if (!r.ok) throw new Error(r.error);
  }
}

interface PodView {
  name: string;
  node?: string;
  ip?: string;
  phase?: string;
  ready: boolean;
  labels: Labels;
}

export function pods(c: Cluster, ns: string): PodView[] {
  return c.list('Pod', ns).map((p) => {
    const status = p.status as { podIP?: string; phase?: string; conditions?: { type: string; status: string }[] } | undefined;
    return {
      name: p.metadata.name,
      node: (p.spec as { nodeName?: string }).nodeName,
      ip: status?.podIP,
      phase: status?.phase,
      ready: status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false,
      labels: p.metadata.labels ?? {},
    };
  });
}
