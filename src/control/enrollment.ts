// Who is in the mesh: istio-cni's enablement selectors and exclusions, and sidecar pods
// (reference/ambient.md §1.1, §1.3).
import type { Labels, Pod } from '../k8s/types';
import { DATAPLANE_MODE, SIDECAR_STATUS } from './labels';

export type DataplaneMode = 'ambient' | 'sidecar' | 'none';

/** Namespaces istio-cni never captures (`ambient.excludeNamespaces` default). */
const EXCLUDED_NAMESPACES = new Set(['kube-system']);

/** Injected at creation by the sidecar injector (src/cluster/injection.ts), recognised by its status annotation. */
export function isSidecarInjected(pod: Pod): boolean {
  return pod.metadata.annotations?.[SIDECAR_STATUS] !== undefined;
}

/** istio-cni's capture decision for a pod that is not sidecar-injected. */
export function isAmbientCaptured(pod: Pod, nsLabels: Labels, systemNamespace: string): boolean {
  if (pod.spec?.hostNetwork) return false;
  const ns = pod.metadata.namespace ?? 'default';
  if (EXCLUDED_NAMESPACES.has(ns)) return false;
  if (ns === systemNamespace && pod.metadata.labels?.app === 'ztunnel') return false;
  const podMode = pod.metadata.labels?.[DATAPLANE_MODE];
  if (podMode === 'ambient') return true;
  return nsLabels[DATAPLANE_MODE] === 'ambient' && podMode !== 'none';
}

export function dataplaneMode(pod: Pod, nsLabels: Labels, systemNamespace: string): DataplaneMode {
  if (isSidecarInjected(pod)) return 'sidecar';
  return isAmbientCaptured(pod, nsLabels, systemNamespace) ? 'ambient' : 'none';
}
