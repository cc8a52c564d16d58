// Istio's sidecar injector, as the mutating webhook it is: at pod creation only (labelling a
// namespace later does not inject running pods), the pod label wins over the namespace's
// `istio-injection` / `istio.io/rev` labels; injected pods get the istio-proxy container and the
// `sidecar.istio.io/status` annotation that the rest of the mesh recognises them by.
import type { Labels, Pod } from '../k8s/types';

const SIDECAR_STATUS = 'sidecar.istio.io/status';

export function shouldInject(pod: Pod, nsLabels: Labels): boolean {
  if (pod.metadata.annotations?.[SIDECAR_STATUS] !== undefined) return false; // already injected
  if (pod.spec?.hostNetwork) return false;
  const podLabel = pod.metadata.labels?.['sidecar.istio.io/inject'];
  if (podLabel === 'false') return false;
  if (nsLabels['istio-injection'] === 'disabled') return false;
  if (podLabel === 'true') return true;
  return nsLabels['istio-injection'] === 'enabled' || (nsLabels['istio.io/rev'] !== undefined && nsLabels['istio-injection'] === undefined);
}

export function inject(pod: Pod, istioVersion: string): Pod {
  const spec = pod.spec ?? { containers: [] };
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      annotations: { ...(pod.metadata.annotations ?? {}), [SIDECAR_STATUS]: JSON.stringify({ containers: ['istio-proxy'], initContainers: ['istio-init'] }) },
      labels: { ...(pod.metadata.labels ?? {}), 'security.istio.io/tlsMode': 'istio', 'networking.istio.io/tunnel': 'http' },
    },
    spec: {
      ...spec,
      initContainers: [...(spec.initContainers ?? []), { name: 'istio-init', image: `docker.io/istio/proxyv2:${istioVersion}` }],
      containers: [...spec.containers, { name: 'istio-proxy', image: `docker.io/istio/proxyv2:${istioVersion}`, ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }] }],
    },
  };
}
