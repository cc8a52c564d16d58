// How a child's ownerReference finds its owner: by kind and name, in the child's namespace for a
// namespaced owner, and only when the uid matches (Kubernetes' garbage collector resolves owners
// the same way; a namespaced owner named from another namespace or from a cluster-scoped child
// is treated as absent).
import { describe, expect, it } from 'vitest';
import { defaultPodSubnet } from '../../src/cluster/ip';
import { Runtime } from '../../src/cluster/runtime';
import type { ClusterState } from '../../src/cluster/state';
import type { KubeObject, OwnerReference } from '../../src/k8s/types';
import { T0 } from './fixtures';

function runtime(): Runtime {
  const empty: ClusterState = { cluster: 'c', version: 0, objects: new Map() };
  const rt = new Runtime(
    { name: 'c', network: 'n', index: 0, nodes: [], trustDomain: 'cluster.local', rootNamespace: 'istio-system', startTime: T0, rng: () => 0, podReadyDelayMs: 0, domainSuffix: 'cluster.local', maxPodsPerNode: 110, istioVersion: '1.28.0', podSubnet: defaultPodSubnet(0) },
    empty,
  );
  const put = (kind: string, apiVersion: string, ns: string, name: string, uid: string): void => {
    const obj: KubeObject = { apiVersion, kind: kind.split('.')[0]!, metadata: { name, uid, ...(ns ? { namespace: ns } : {}) } };
    rt.insert(kind, ns, obj);
  };
  put('ReplicaSet', 'apps/v1', 'a', 'rs', 'u-rs');
  put('Node', 'v1', '', 'node-1', 'u-node');
  put('Gateway.networking.istio.io', 'networking.istio.io/v1', 'a', 'gw', 'u-istio-gw');
  put('Gateway', 'gateway.networking.k8s.io/v1', 'a', 'gw', 'u-k8s-gw');
  return rt;
}

const ref = (apiVersion: string, kind: string, name: string, uid: string): OwnerReference => ({ apiVersion, kind, name, uid });

describe('Runtime.owner', () => {
  it.each([
    { why: 'same namespace, same uid', ref: ref('apps/v1', 'ReplicaSet', 'rs', 'u-rs'), ns: 'a', want: 'u-rs' },
    { why: 'a namespaced owner in another namespace', ref: ref('apps/v1', 'ReplicaSet', 'rs', 'u-rs'), ns: 'b', want: undefined },
    { why: 'a namespaced owner of a cluster-scoped child', ref: ref('apps/v1', 'ReplicaSet', 'rs', 'u-rs'), ns: undefined, want: undefined },
    { why: 'the name now belongs to another uid', ref: ref('apps/v1', 'ReplicaSet', 'rs', 'u-old'), ns: 'a', want: undefined },
    { why: 'the uid under another kind', ref: ref('apps/v1', 'Deployment', 'rs', 'u-rs'), ns: 'a', want: undefined },
    { why: 'a cluster-scoped owner of a namespaced child', ref: ref('v1', 'Node', 'node-1', 'u-node'), ns: 'a', want: 'u-node' },
    { why: 'a cluster-scoped owner of a cluster-scoped child', ref: ref('v1', 'Node', 'node-1', 'u-node'), ns: undefined, want: 'u-node' },
    { why: "Istio's Gateway by its API group", ref: ref('networking.istio.io/v1', 'Gateway', 'gw', 'u-istio-gw'), ns: 'a', want: 'u-istio-gw' },
    { why: 'the Gateway API Gateway of the same name', ref: ref('gateway.networking.k8s.io/v1', 'Gateway', 'gw', 'u-k8s-gw'), ns: 'a', want: 'u-k8s-gw' },
    { why: 'a reference without uid', ref: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs' } as OwnerReference, ns: 'a', want: undefined },
  ])('$why', ({ ref: r, ns, want }) => {
    expect(runtime().owner(r, ns)?.metadata.uid).toBe(want);
  });
});
