// Builders for the authz tables: manifests as compact literals, connections/requests with defaults.
import type { AuthorizationPolicy, AuthorizationPolicySpec, PeerAuthentication, RequestAuthentication } from '../../src/k8s/types';
import type { WaypointRequest, ZtunnelConnection } from '../../src/authz';

export const ROOT = 'istio-system';
export const TD = 'cluster.local';

export function ap(nsName: string, spec: AuthorizationPolicySpec, annotations?: Record<string, string>): AuthorizationPolicy {
  const [namespace, name] = nsName.split('/') as [string, string];
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { namespace, name, ...(annotations ? { annotations } : {}) }, spec };
}

export function pa(nsName: string, spec: NonNullable<PeerAuthentication['spec']>, creationTimestamp?: string): PeerAuthentication {
  const [namespace, name] = nsName.split('/') as [string, string];
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { namespace, name, ...(creationTimestamp ? { creationTimestamp } : {}) }, spec };
}

export function ra(nsName: string, spec: NonNullable<RequestAuthentication['spec']>): RequestAuthentication {
  const [namespace, name] = nsName.split('/') as [string, string];
  return { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { namespace, name }, spec };
}

export const id = (ns: string, sa: string, td = TD) => `spiffe://${td}/ns/${ns}/sa/${sa}`;

export function conn(over: Partial<ZtunnelConnection> = {}): ZtunnelConnection {
  return { srcIdentity: id('client', 'curl'), srcIp: '10.0.0.5', dstIp: '10.0.1.9', dstPort: 8080, ...over };
}

export function req(over: Partial<WaypointRequest> = {}): WaypointRequest {
  return {
    srcIdentity: id('client', 'curl'),
    srcIp: '10.0.0.5',
    dstIp: '10.96.0.10',
    dstPort: 8080,
    host: 'svc.ns.svc.cluster.local:8080',
    method: 'GET',
    path: '/',
    headers: {},
    protocol: 'http',
    ...over,
  };
}

export const WORKLOAD = { namespace: 'ns', labels: { app: 'svc' } };
