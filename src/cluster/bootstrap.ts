// What a fresh kind-like cluster with Istio's ambient profile installed contains before any user
// object: system namespaces, nodes, the `kubernetes` Service, Istio's and the Gateway API's CRDs,
// istiod, the istio-cni and ztunnel DaemonSets and (through the GatewayClass controller) Istio's
// GatewayClasses.
import type { KubeObject } from '../k8s/types';
import { nodeLabels } from './admission';
import { NETWORK_LABEL } from './controllers/gatewayNames';
import { intToIp } from './ip';
import { installedCrds } from './resources';
import type { Runtime } from './runtime';

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
/** Istio's node agents (CNI, ztunnel) run on Linux nodes only. */
const LINUX = { 'kubernetes.io/os': 'linux' };

export function bootstrap(rt: Runtime): void {
  const { rootNamespace, network, istioVersion } = rt.opts;
  for (const name of SYSTEM_NAMESPACES) if (name !== rootNamespace) rt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  rt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: rootNamespace, labels: network ? { [NETWORK_LABEL]: network } : {} } });
  for (const n of rt.opts.nodes) {
    rt.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: nodeLabels(n.region, n.zone, n.labels) }, spec: {} });
  }
  kubernetesService(rt);
  for (const crd of installedCrds()) rt.create(crd);
  rt.enqueue('gatewayClass', 'GatewayClass//istio');
  const ns = rootNamespace;
  const istiodLabels = { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' };
  rt.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istiod', namespace: ns, labels: { app: 'istiod' } } });
  rt.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istiod', namespace: ns, labels: istiodLabels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { istio: 'pilot' } },
      template: {
        metadata: { labels: { ...istiodLabels, 'sidecar.istio.io/inject': 'false', 'istio.io/dataplane-mode': 'none' } },
        spec: {
          serviceAccountName: 'istiod',
          containers: [
            {
              name: 'discovery',
              image: `docker.io/istio/pilot:${istioVersion}`,
              ports: [8080, 15010, 15012, 15014, 15017].map((containerPort) => ({ containerPort, protocol: 'TCP' as const })),
            },
          ],
        },
      },
    },
  });
  rt.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istiod', namespace: ns, labels: istiodLabels },
    spec: {
      selector: { app: 'istiod', istio: 'pilot' },
      ports: [
        { name: 'grpc-xds', port: 15010, protocol: 'TCP' },
        { name: 'https-dns', port: 15012, protocol: 'TCP' },
        { name: 'https-webhook', port: 443, targetPort: 15017, protocol: 'TCP' },
        { name: 'http-monitoring', port: 15014, protocol: 'TCP' },
      ],
    },
  });
  // The CNI node agent: host-network, one per Linux node; it sets up each ambient pod's redirection.
  const cni = 'istio-cni-node';
  rt.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istio-cni', namespace: ns, labels: { app: 'istio-cni' } } });
  rt.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: cni, namespace: ns, labels: { 'k8s-app': cni, 'istio.io/rev': 'default', 'app.kubernetes.io/name': 'istio-cni' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': cni } },
      template: {
        metadata: { labels: { 'k8s-app': cni, 'sidecar.istio.io/inject': 'false', 'istio.io/dataplane-mode': 'none', 'app.kubernetes.io/name': 'istio-cni' } },
        spec: {
          hostNetwork: true,
          nodeSelector: LINUX,
          serviceAccountName: 'istio-cni',
          containers: [{ name: 'install-cni', image: `docker.io/istio/install-cni:${istioVersion}`, ports: [{ containerPort: 15014, name: 'metrics', protocol: 'TCP' }] }],
        },
      },
    },
  });
  rt.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ztunnel', namespace: ns, labels: { app: 'ztunnel' } } });
  rt.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ztunnel', namespace: ns, labels: { app: 'ztunnel' } },
    spec: {
      selector: { matchLabels: { app: 'ztunnel' } },
      template: {
        metadata: { labels: { app: 'ztunnel', 'sidecar.istio.io/inject': 'false', 'istio.io/dataplane-mode': 'none' } },
        spec: {
          nodeSelector: LINUX,
          serviceAccountName: 'ztunnel',
          containers: [{ name: 'istio-proxy', image: `docker.io/istio/ztunnel:${istioVersion}`, ports: [{ containerPort: 15020, name: 'ztunnel-stats', protocol: 'TCP' }] }],
        },
      },
    },
  });
}

/** The API server's own Service: the first ClusterIP, 443 → 6443 on the control plane. */
function kubernetesService(rt: Runtime): void {
  const clusterIP = intToIp(rt.plan.services.base + 1);
  rt.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  rt.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [rt.plan.controlPlaneIp], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  } as KubeObject);
}
