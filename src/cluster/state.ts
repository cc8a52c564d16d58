// The frozen snapshot of one cluster's objects and pure lookups over it.
// Objects are bucketed kind → namespace → name so that a get is two Map lookups and a bisection,
// and a listing by kind never touches other kinds. Cluster-scoped objects live under the namespace ''.
import { isClusterScoped } from '../k8s/object';
import type { KubeObject } from '../k8s/types';
import type { SortedBucket } from './bucket';

/** One namespace's objects of one kind, by name (read like a ReadonlyMap, iterated in name order). */
export type Bucket = SortedBucket;
export type KindBuckets = ReadonlyMap<string, Bucket>;

export interface ClusterState {
  readonly cluster: string;
  readonly version: number;
  readonly objects: ReadonlyMap<string, KindBuckets>;
}

/**
 * Istio's classic `networking.istio.io` Gateway shares its kind name with the Gateway API
 * Gateway; it is stored (and looked up) under this qualified kind so the two never collide.
 */
export const ISTIO_GATEWAY_KIND = 'Gateway.networking.istio.io';

/** The kind an object is stored under. */
export function storageKind(apiVersion: string | undefined, kind: string): string {
  if (kind === 'Gateway' && apiVersion?.startsWith('networking.istio.io/')) return ISTIO_GATEWAY_KIND;
  return kind;
}

/** The namespace bucket of an object: '' for cluster-scoped kinds, `default` when unset. */
export function bucketNamespace(kind: string, namespace: string | undefined): string {
  return isClusterScoped(kind) ? '' : namespace || 'default';
}

export function getObject(state: ClusterState, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
  return state.objects.get(kind)?.get(bucketNamespace(kind, namespace))?.get(name);
}

/** Objects of a kind, sorted by namespace then name; all namespaces when `namespace` is undefined. */
export function listObjects(state: ClusterState, kind: string, namespace?: string): KubeObject[] {
  const buckets = state.objects.get(kind);
  if (!buckets) return [];
  if (namespace !== undefined) return sortedValues(buckets.get(bucketNamespace(kind, namespace)));
  const out: KubeObject[] = [];
  for (const ns of [...buckets.keys()].sort()) for (const o of buckets.get(ns)!.sorted()) out.push(o);
  return out;
}

export function countObjects(state: ClusterState, kind: string): number {
  let n = 0;
  for (const b of state.objects.get(kind)?.values() ?? []) n += b.size;
  return n;
}

/** Kinds present in the snapshot, sorted. */
export function listKinds(state: ClusterState): string[] {
  return [...state.objects.keys()].sort();
}

function sortedValues(bucket: Bucket | undefined): KubeObject[] {
  return bucket ? bucket.sorted().slice() : [];
}
