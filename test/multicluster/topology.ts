// Two clusters on two networks, each with an east-west gateway, for the reference/ambient.md §5 tables.
import { curl, echo, namespace, service, yamlDocs } from '../helpers/manifests';

export const CLUSTERS = [
  { name: 'cluster1', network: 'network1', nodes: [{ name: 'c1-node-a', region: 'us-east1', zone: 'us-east1-b' }, { name: 'c1-node-b', region: 'us-east1', zone: 'us-east1-c' }] },
  { name: 'cluster2', network: 'network2', nodes: [{ name: 'c2-node-a', region: 'us-west1', zone: 'us-west1-a' }, { name: 'c2-node-b', region: 'us-west1', zone: 'us-west1-b' }] },
];

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

export function eastWestGateway(network: string): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'istio-eastwestgateway', namespace: 'istio-system', labels: { 'topology.istio.io/network': network } },
    spec: {
      gatewayClassName: 'istio-east-west',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', tls: { mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } } }],
    },
  };
}

export interface Side {
  replicas?: number;
  global?: boolean;
  eastWest?: boolean;
  svcExtra?: Record<string, string>;
  trafficDistribution?: string;
  extra?: object[];
}

/** One cluster's copy of `accounts`: an echo answering `accounts-<cluster>` behind a (global) Service. */
export function side(cluster: string, network: string, s: Side = {}): { inline: string; clusters: string[] } {
  const labels = { ...(s.global === false ? {} : { 'istio.io/global': 'true' }), ...(s.svcExtra ?? {}) };
  return {
    clusters: [cluster],
    inline: yamlDocs([
      echo('accounts', 'accounts', `accounts-${cluster}`, { replicas: s.replicas ?? 1 }),
      service('accounts', 'accounts', { labels, port: 8080, targetPort: 8080, trafficDistribution: s.trafficDistribution }),
      ...(s.eastWest === false ? [] : [eastWestGateway(network)]),
      ...(s.extra ?? []),
    ]),
  };
}

export const COMMON = yamlDocs([namespace('accounts', AMBIENT), namespace('finance', AMBIENT), curl('finance', 'curl')]);
export const URL = 'http://accounts.accounts.svc.cluster.local:8080/';
