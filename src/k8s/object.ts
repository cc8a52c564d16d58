// Small helpers over KubeObjects shared by every layer: identity keys and label selectors.
import type { KubeObject, LabelSelector, Labels } from './types';

/** Kinds whose objects live outside namespaces. */
const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'GatewayClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass']);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** The key an object is stored under: `Kind/namespace/name` (namespace empty for cluster-scoped kinds). */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${isClusterScoped(kind) ? '' : namespace ?? 'default'}/${name}`;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
}

export function labelsOf(obj: { metadata?: { labels?: Labels } }): Labels {
  return obj.metadata?.labels ?? {};
}

/** Equality-based selector (Service.spec.selector, Istio workload selectors). An empty selector matches everything. */
export function matchLabels(selector: Labels | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/** Full metav1.LabelSelector semantics (matchLabels AND every matchExpression). */
export function matchSelector(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  if (!matchLabels(selector.matchLabels, labels)) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[req.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[req.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}
