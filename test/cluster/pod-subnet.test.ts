// A cluster's pod subnet is carved into one /24 per node as nodes register, each taking the next
// free /24 after the last one given (wrapping round to freed ones), the way kube-controller-manager's
// range allocator does with --cluster-cidr and a /24 node mask. When
// the subnet has no /24 left, the node is still registered but gets no podCIDR: its CNI plugin
// never initialises, the kubelet reports the network not ready, the node lifecycle controller
// taints it node.kubernetes.io/not-ready:NoSchedule, and kube-scheduler filters it out, until the
// allocator's retry finds a /24 another node's deletion freed.
import { describe, expect, it } from 'vitest';
import { ipToInt, parsePodSubnet, type Cidr } from '../../src/cluster/ip';
import type { KubeObject, Node, Pod } from '../../src/k8s/types';
import { applyOk, deployment, makeCluster, namespace } from './fixtures';

const subnet = (text: string): Cidr => parsePodSubnet(text) as Cidr;
const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `n${i}`, zone: `z${i % 3}` }));

describe('pod subnet', () => {
  it('gives node k the k-th /24 of a subnet wider than a /16, past 256 nodes', () => {
    const c = makeCluster({ nodes: nodes(300), podSubnet: subnet('10.128.0.0/15') });
    const cidrOf = (name: string) => (c.get('Node', undefined, name) as Node).spec!.podCIDR;
    expect(cidrOf('n0')).toBe('10.128.0.0/24');
    expect(cidrOf('n255')).toBe('10.128.255.0/24');
    expect(cidrOf('n256')).toBe('10.129.0.0/24');
    expect(cidrOf('n299')).toBe('10.129.43.0/24');
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 900));
    for (const p of c.list('Pod') as Pod[]) {
      if (p.spec?.hostNetwork) continue;
      const ip = ipToInt(p.status!.podIP!);
      expect(ip >= ipToInt('10.128.0.0') && ip < ipToInt('10.130.0.0')).toBe(true);
    }
  });

  it('leaves a node past the end of the subnet NotReady, tainted and without a podCIDR', () => {
    const c = makeCluster({ nodes: nodes(2), podSubnet: subnet('10.128.0.0/23') });
    applyOk(c, 0, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
    const node = c.get('Node', undefined, 'n2') as Node;
    expect(node.spec?.podCIDR).toBeUndefined();
    expect(node.spec?.taints).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    expect(node.status?.conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'KubeletNotReady',
        message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ]);
    expect((c.get('Node', undefined, 'n1') as Node).spec?.podCIDR).toBe('10.128.1.0/24');
    // The ztunnel DaemonSet tolerates the taint: its pod is bound there but never gets an IP.
    const ztunnel = (c.list('Pod') as Pod[]).find((p) => p.metadata.name.startsWith('ztunnel-') && p.spec?.nodeName === 'n2')!;
    expect(ztunnel.status?.phase).toBe('Pending');
    expect(ztunnel.status?.podIP).toBeUndefined();
  });

  it("gives a deleted node's /24 again once the allocator comes round to it", () => {
    const c = makeCluster({ nodes: nodes(2), podSubnet: subnet('10.128.0.0/22') });
    const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
    const cidrOf = (name: string) => (c.get('Node', undefined, name) as Node).spec?.podCIDR;
    expect(c.delete('Node', undefined, 'n0', 0).ok).toBe(true);
    applyOk(c, 0, node('n2'), node('n3'));
    expect([cidrOf('n2'), cidrOf('n3')]).toEqual(['10.128.2.0/24', '10.128.3.0/24']);
    applyOk(c, 0, node('n4'));
    expect(cidrOf('n4')).toBe('10.128.0.0/24');
    applyOk(c, 0, node('n5'));
    expect(cidrOf('n5')).toBeUndefined();
  });

  it('gives a waiting node the /24 another node frees: it turns Ready, loses the taint and its pods get IPs', () => {
    const c = makeCluster({ nodes: nodes(2), podSubnet: subnet('10.128.0.0/23') });
    applyOk(c, 0, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
    expect(c.delete('Node', undefined, 'n0', 0).ok).toBe(true);
    const n2 = c.get('Node', undefined, 'n2') as Node;
    expect(n2.spec?.podCIDR).toBe('10.128.0.0/24');
    expect(n2.spec?.taints).toBeUndefined();
    expect(n2.status?.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'True', reason: 'KubeletReady' });
    const ztunnel = (c.list('Pod') as Pod[]).find((p) => p.metadata.name.startsWith('ztunnel-') && p.spec?.nodeName === 'n2')!;
    expect(ztunnel.status?.phase).toBe('Running');
    expect(ztunnel.status?.podIP).toMatch(/^10\.128\.0\./);
  });

  it('schedules nothing on a node without a podCIDR, and says why', () => {
    const c = makeCluster({ nodes: nodes(2), podSubnet: subnet('10.128.0.0/23') });
    applyOk(c, 0, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } }, namespace('apps'), deployment('apps', 'web', 6));
    const placed = (c.list('Pod') as Pod[]).filter((p) => p.metadata.namespace === 'apps').map((p) => p.spec!.nodeName);
    expect(placed.sort()).toEqual(['n0', 'n0', 'n0', 'n1', 'n1', 'n1']);
    applyOk(c, 0, deployment('apps', 'pinned', 1, { nodeSelector: { 'kubernetes.io/hostname': 'n2' } }));
    const pinned = (c.list('Pod') as Pod[]).find((p) => p.metadata.name.startsWith('pinned-'))!;
    expect(pinned.status?.phase).toBe('Pending');
    expect(pinned.status?.conditions?.[0]?.message).toBe(
      "0/3 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. " +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it.each([
    ['10.244.0.0/16', { base: ipToInt('10.244.0.0'), prefix: 16 }],
    ['10.128.0.0/13', { base: ipToInt('10.128.0.0'), prefix: 13 }],
    ['192.168.7.0/24', { base: ipToInt('192.168.7.0'), prefix: 24 }],
    ['10.0.0.0/8', { base: ipToInt('10.0.0.0'), prefix: 8 }],
    ['10.244.0.0', 'podSubnet: "10.244.0.0" is not an IPv4 CIDR such as 10.244.0.0/16'],
    ['10.244.0/16', 'podSubnet: "10.244.0/16" is not an IPv4 CIDR such as 10.244.0.0/16'],
    ['fd00::/64', 'podSubnet: "fd00::/64" is not an IPv4 CIDR such as 10.244.0.0/16'],
    ['10.244.0.0/25', 'podSubnet: 10.244.0.0/25 must have a prefix length from /8 to /24 (each node takes a /24)'],
    ['10.0.0.0/7', 'podSubnet: 10.0.0.0/7 must have a prefix length from /8 to /24 (each node takes a /24)'],
    ['10.244.1.0/16', 'podSubnet: 10.244.1.0/16 has host bits set; its block is 10.244.0.0/16'],
  ])('reads %s', (text, expected) => {
    expect(parsePodSubnet(text)).toEqual(expected);
  });
});
