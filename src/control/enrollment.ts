// Who is in the mesh: istio-cni's enablement selectors and exclusions, and sidecar injection
// (reference/ambient.md §1.1, §1.3).
import type { Labels, Pod } from '../k8s/types';
import { DATAPLANE_MODE, ISTIO_INJECTION, ISTIO_REV, SIDECAR_INJECT, SIDECAR_STATUS } from './labels';

export type DataplaneMode = 'ambient' | 'sidecar' | 'none';

/** Namespaces istio-cni never captures (`ambient.excludeNamespaces` default). */
const EXCLUDED_NAMESPACES = new Set(['kube-system']);

/**
 * Sidecar injection as the injector decides it: the pod label wins, then the namespace's
 * `istio-injection` / `istio.io/rev` labels. Waypoints opt out with `sidecar.istio.io/inject: "false"`.
 */
export function isSidecarInjected(pod: Pod, nsLabels: Labels): boolean {
  if (pod.metadata.annotations?.[SIDECAR_STATUS] !== undefined) return true;
  if (pod.spec?.hostNetwork) return false;
  const podLabel = pod.metadata.labels?.[SIDECAR_INJECT];
  if (podLabel === 'false') return false;
  if (nsLabels[ISTIO_INJECTION] === 'disabled') return false;
  if (podLabel === 'true') return true;
  return nsLabels[ISTIO_INJECTION] === 'enabled' || (nsLabels[ISTIO_REV] !== undefined && nsLabels[ISTIO_INJECTION] === undefined);
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
  if (isSidecarInjected(pod, nsLabels)) return 'sidecar';
  return isAmbientCaptured(pod, nsLabels, systemNamespace) ? 'ambient' : 'none';
}
