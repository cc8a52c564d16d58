import { describe, expect, it } from 'vitest';
import { ipToInt, NodeIpam, RangeIpam } from '../../src/cluster/ip';
import { applyOk, deployment, makeCluster, namespace, pods, service } from './fixtures';

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const mask = 2 ** (32 - Number(bits));
  return Math.floor(ipToInt(ip) / mask) === Math.floor(ipToInt(base!) / mask);
}

describe('pod and service IPs', () => {
  it('gives every pod-network pod a unique IP inside its node CIDR; host-network pods (istio-cni-node) take the node\'s', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 30));
    const all = c.list('Pod');
    const onHost = (p: (typeof all)[number]) => (p.spec as { hostNetwork?: boolean }).hostNetwork === true;
    const ips = all.filter((p) => !onHost(p)).map((p) => (p.status as { podIP: string }).podIP);
    expect(new Set(ips).size).toBe(ips.length);
    expect(all.filter(onHost).map((p) => p.metadata.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^istio-cni-node-/)]));
    for (const p of all) {
      const node = c.get('Node', undefined, (p.spec as { nodeName: string }).nodeName)!;
      const ip = (p.status as { podIP: string }).podIP;
      if (onHost(p)) expect(ip).toBe((node.status as { addresses: { address: string }[] }).addresses[0]!.address);
      else expect(inCidr(ip, (node.spec as { podCIDR: string }).podCIDR)).toBe(true);
    }
  });

  it.each([0, 1, 2, 3])('cluster index %i gets its own node, pod and service ranges', (index) => {
    const c = makeCluster({ index });
    const node = c.get('Node', undefined, 'node-a')!;
    expect((node.status as { addresses: { address: string }[] }).addresses[0]!.address).toBe(`172.${18 + index}.0.3`);
    expect((node.spec as { podCIDR: string }).podCIDR).toBe(`10.${244 + index}.0.0/24`);
    expect((c.get('Service', 'default', 'kubernetes')!.spec as { clusterIP: string }).clusterIP).toBe(`10.${96 + index}.0.1`);
  });

  it('never overlaps across clusters', () => {
    const a = makeCluster({ index: 0 });
    const b = makeCluster({ index: 1 });
    for (const c of [a, b]) applyOk(c, 0, namespace('apps'), deployment('apps', 'web', 10), service('apps', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const addrs = (c: typeof a) => [
      ...c.list('Pod').map((p) => (p.status as { podIP: string }).podIP),
      ...c.list('Service').map((s) => (s.spec as { clusterIP: string }).clusterIP),
    ];
    const sa = new Set(addrs(a));
    expect(addrs(b).filter((ip) => sa.has(ip))).toEqual([]);
  });

  it.each([
    ['headless', { clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 80 }] }, 'None', ['None']],
    ['user-given free IP honoured', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }, '10.96.0.50', ['10.96.0.50']],
    ['ExternalName has none', { type: 'ExternalName', externalName: 'example.com' }, undefined, undefined],
  ])('Service ClusterIP: %s', (_t, spec, ip, ips) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), service('apps', 's', spec));
    const s = c.get('Service', 'apps', 's')!.spec as { clusterIP?: string; clusterIPs?: string[] };
    expect(s.clusterIP).toBe(ip);
    expect(s.clusterIPs).toEqual(ips);
  });

  it.each([
    ['already allocated', '10.96.0.1', 'The Service "s" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated'],
    [
      'out of range',
      '10.200.0.1',
      'The Service "s" is invalid: spec.clusterIPs: Invalid value: []string{"10.200.0.1"}: failed to allocate IP 10.200.0.1: the provided IP (10.200.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    ],
  ])('rejects a user ClusterIP that is %s', (_t, ip, error) => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'));
    expect(c.apply(service('apps', 's', { clusterIP: ip, ports: [{ port: 80 }] }), 0)).toEqual({ ok: false, error });
  });

  it('keeps the ClusterIP when a Service is re-applied without one, and frees it on delete', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), service('apps', 's', { clusterIP: '10.96.0.77', ports: [{ port: 80 }] }));
    expect(c.apply(service('apps', 's', { ports: [{ port: 80 }] }), 0)).toMatchObject({ ok: true, action: 'unchanged' });
    c.delete('Service', 'apps', 's', 0);
    applyOk(c, 0, service('apps', 't', { clusterIP: '10.96.0.77', ports: [{ port: 80 }] }));
  });

  it('hostNetwork pods use the node IP', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), deployment('apps', 'h', 1, { hostNetwork: true, nodeName: 'node-b' }));
    expect(pods(c, 'apps')[0]!.ip).toBe('172.18.0.4');
  });

  it('LoadBalancer Services get an external IP and node ports', () => {
    const c = makeCluster();
    applyOk(c, 0, namespace('apps'), service('apps', 'lb', { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] }));
    const s = c.get('Service', 'apps', 'lb')!;
    expect(s.status).toEqual({ loadBalancer: { ingress: [{ ip: '172.18.255.1', ipMode: 'VIP' }] } });
    const nodePort = (s.spec as { ports: { nodePort: number }[] }).ports[0]!.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
  });
});

describe('allocators', () => {
  it('node IPAM hands out .2 to .254 in order and reuses freed addresses after wrapping', () => {
    const ipam = new NodeIpam(ipToInt('10.244.0.0'));
    const got = Array.from({ length: 253 }, () => ipam.allocate());
    expect(got[0]).toBe('10.244.0.2');
    expect(got[252]).toBe('10.244.0.254');
    expect(ipam.allocate()).toBeUndefined();
    ipam.release('10.244.0.9');
    expect(ipam.allocate()).toBe('10.244.0.9');
  });

  it('range IPAM picks random ClusterIPs outside the static band and never twice', () => {
    const r = new RangeIpam(ipToInt('10.96.0.0'), 65536);
    let x = 0;
    const rng = () => ((x = (x * 9301 + 49297) % 233280) / 233280);
    const ips = Array.from({ length: 500 }, () => r.allocateRandom(rng)!);
    expect(new Set(ips).size).toBe(500);
    for (const ip of ips) expect(ipToInt(ip) - ipToInt('10.96.0.0')).toBeGreaterThanOrEqual(256);
  });
});
