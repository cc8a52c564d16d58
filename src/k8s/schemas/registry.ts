// The schema for each simulated kind, keyed by `apiVersion kind` for every served version.
import type { z } from 'zod';
import { daemonSet, deployment, replicaSet, statefulSet } from './apps';
import { endpointSlice, namespace, node, pod, service, serviceAccount } from './core';
import { gateway, gatewayClass, grpcRoute, httpRoute, referenceGrant, tcpRoute, tlsRoute } from './gateway';
import { destinationRule, serviceEntry, telemetry, virtualService, workloadEntry } from './networking';
import { authorizationPolicy, peerAuthentication, requestAuthentication } from './security';

const GW = 'gateway.networking.k8s.io';

const entries: [versions: string[], kind: string, schema: z.ZodType][] = [
  [['v1'], 'Namespace', namespace],
  [['v1'], 'Node', node],
  [['v1'], 'ServiceAccount', serviceAccount],
  [['v1'], 'Pod', pod],
  [['v1'], 'Service', service],
  [['discovery.k8s.io/v1'], 'EndpointSlice', endpointSlice],
  [['apps/v1'], 'Deployment', deployment],
  [['apps/v1'], 'ReplicaSet', replicaSet],
  [['apps/v1'], 'StatefulSet', statefulSet],
  [['apps/v1'], 'DaemonSet', daemonSet],
  [[`${GW}/v1`, `${GW}/v1beta1`], 'GatewayClass', gatewayClass],
  [[`${GW}/v1`, `${GW}/v1beta1`], 'Gateway', gateway],
  [[`${GW}/v1`, `${GW}/v1beta1`], 'HTTPRoute', httpRoute],
  [[`${GW}/v1`], 'GRPCRoute', grpcRoute],
  [[`${GW}/v1`, `${GW}/v1beta1`], 'ReferenceGrant', referenceGrant],
  [[`${GW}/v1alpha2`], 'TCPRoute', tcpRoute],
  [[`${GW}/v1alpha2`, `${GW}/v1alpha3`], 'TLSRoute', tlsRoute(false)],
  [[`${GW}/v1`], 'TLSRoute', tlsRoute(true)],
  [['security.istio.io/v1', 'security.istio.io/v1beta1'], 'AuthorizationPolicy', authorizationPolicy],
  [['security.istio.io/v1', 'security.istio.io/v1beta1'], 'PeerAuthentication', peerAuthentication],
  [['security.istio.io/v1', 'security.istio.io/v1beta1'], 'RequestAuthentication', requestAuthentication],
  [['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'], 'VirtualService', virtualService],
  [['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'], 'DestinationRule', destinationRule],
  [['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'], 'ServiceEntry', serviceEntry],
  [['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'], 'WorkloadEntry', workloadEntry],
  [['telemetry.istio.io/v1', 'telemetry.istio.io/v1alpha1'], 'Telemetry', telemetry],
];

const registry = new Map<string, z.ZodType>();
for (const [versions, kind, schema] of entries) for (const v of versions) registry.set(`${v} ${kind}`, schema);

/** The schema for an apiVersion/kind meshsim simulates, or undefined. */
export function schemaFor(apiVersion: string, kind: string): z.ZodType | undefined {
  return registry.get(`${apiVersion} ${kind}`);
}

/** Every (apiVersion, kind) pair with a schema, e.g. for listing supported kinds. */
export function simulatedKinds(): { apiVersion: string; kind: string }[] {
  return [...registry.keys()].map((k) => {
    const [apiVersion, kind] = k.split(' ') as [string, string];
    return { apiVersion, kind };
  });
}
