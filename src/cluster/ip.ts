// IPv4 address plans and allocators. Each cluster index owns its own ranges, so clusters never overlap
// (the scenario loader refuses a podSubnet that would):
//   nodes       172.(18+i).0.0/16   (control plane .0.2, nodes from .0.3; load balancers from .255.1)
//   pods        10.(244+i).0.0/16   one /24 per node, like kind's host-local IPAM (a cluster's
//                                   podSubnet may replace it: a /16 holds only 256 nodes)
//   services    10.(96+i).0.0/16    (first address is the `kubernetes` Service)

export const MAX_CLUSTERS = 12;

export function ipToInt(ip: string): number {
  const p = ip.split('.');
  if (p.length !== 4) return NaN;
  let n = 0;
  for (const part of p) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return NaN;
    n = n * 256 + Number(part);
  }
  return n;
}

/** Dotted quad of `n`, as one flat string (a pod keeps its IP for life; joined pieces would stay behind it). */
export function intToIp(n: number): string {
  return [Math.floor(n / 16777216) % 256, Math.floor(n / 65536) % 256, Math.floor(n / 256) % 256, n % 256].join('.');
}

/** An IPv4 block: its first address and prefix length. */
export interface Cidr {
  base: number;
  prefix: number;
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function cidrText(c: Cidr): string {
  return `${intToIp(c.base)}/${c.prefix}`;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);
}

/**
 * A cluster's pod subnet as kube-controller-manager takes `--cluster-cidr`: an IPv4 block it
 * carves into one /24 per node, so its prefix is at most 24 and at least 8 (node and cluster
 * mask sizes may differ by 16 at most). Returns the reason when the text is not one.
 */
export function parsePodSubnet(text: string): Cidr | string {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  const base = m ? ipToInt(m[1]!) : NaN;
  if (!m || Number.isNaN(base)) return `podSubnet: ${JSON.stringify(text)} is not an IPv4 CIDR such as 10.244.0.0/16`;
  const prefix = Number(m[2]);
  if (prefix < 8 || prefix > 24) return `podSubnet: ${text} must have a prefix length from /8 to /24 (each node takes a /24)`;
  const aligned = base - (base % cidrSize({ base, prefix }));
  if (aligned !== base) return `podSubnet: ${text} has host bits set; its block is ${cidrText({ base: aligned, prefix })}`;
  return { base, prefix };
}

/** The pod subnet a cluster gets when its scenario names none: kind's 10.244.0.0/16, shifted per cluster. */
export function defaultPodSubnet(index: number): Cidr {
  return { base: ipToInt(`10.${244 + index}.0.0`), prefix: 16 };
}

/** How many nodes a pod subnet holds (one /24 each). */
export function podSubnetNodes(c: Cidr): number {
  return cidrSize(c) / 256;
}

export interface AddressPlan {
  /** Node, control-plane and load-balancer addresses. */
  nodes: Cidr;
  controlPlaneIp: string;
  /** The pod subnet, carved into one /24 per node by NodeCidrAllocator. */
  pods: Cidr;
  /** The Service range; its first address is the `kubernetes` Service. */
  services: Cidr;
  lbBase: number;
}

/** The ranges of cluster `index`; `pods` replaces its default pod subnet. */
export function addressPlan(index: number, pods: Cidr = defaultPodSubnet(index)): AddressPlan {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_CLUSTERS) {
    throw new RangeError(`cluster index ${index} out of range 0..${MAX_CLUSTERS - 1}`);
  }
  const nodes = nodeRange(index);
  return {
    nodes,
    controlPlaneIp: intToIp(nodes.base + 2),
    pods,
    services: { base: ipToInt(`10.${96 + index}.0.0`), prefix: 16 },
    lbBase: nodes.base + 255 * 256,
  };
}

/** The node range of cluster `index` (node, control-plane and load-balancer addresses). */
export function nodeRange(index: number): Cidr {
  return { base: ipToInt(`172.${18 + index}.0.0`), prefix: 16 };
}

/**
 * kube-controller-manager's range allocator over a pod subnet: each new node takes the next free
 * /24 after the last one given out, wrapping round, so a deleted node's /24 is reused once the
 * allocator comes back to it. Undefined when every /24 is taken.
 */
export class NodeCidrAllocator {
  private readonly used: Uint8Array;
  private next = 0;

  constructor(private readonly subnet: Cidr) {
    this.used = new Uint8Array(podSubnetNodes(subnet));
  }

  /** The first address of the /24 given out. */
  allocate(): number | undefined {
    const n = this.used.length;
    for (let i = 0; i < n; i++) {
      const k = (this.next + i) % n;
      if (this.used[k]) continue;
      this.used[k] = 1;
      this.next = (k + 1) % n;
      return this.subnet.base + k * 256;
    }
    return undefined;
  }

  release(base: number): void {
    const k = (base - this.subnet.base) / 256;
    if (Number.isInteger(k) && k >= 0 && k < this.used.length) this.used[k] = 0;
  }
}

/** host-local IPAM of one node's /24: hands out .2–.254 in order, wrapping past freed addresses. */
export class NodeIpam {
  private readonly used = new Uint8Array(256);
  private next = 2;
  constructor(readonly base: number) {}

  get cidr(): string {
    return `${intToIp(this.base)}/24`;
  }

  allocate(): string | undefined {
    for (let i = 0; i < 253; i++) {
      const host = ((this.next - 2 + i) % 253) + 2;
      if (!this.used[host]) {
        this.used[host] = 1;
        this.next = host + 1 > 254 ? 2 : host + 1;
        return intToIp(this.base + host);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const host = ipToInt(ip) - this.base;
    if (host >= 0 && host < 256) this.used[host] = 0;
  }
}

/** A range of `size` addresses from `base` (Service ClusterIPs, load-balancer IPs). */
export class RangeIpam {
  private readonly used = new Set<number>();
  constructor(
    readonly base: number,
    readonly size: number,
  ) {}

  contains(ip: string): boolean {
    const off = ipToInt(ip) - this.base;
    return off > 0 && off < this.size - 1;
  }

  isFree(ip: string): boolean {
    return this.contains(ip) && !this.used.has(ipToInt(ip) - this.base);
  }

  /** Takes a specific address; false if outside the range or taken. */
  reserve(ip: string): boolean {
    if (!this.isFree(ip)) return false;
    this.used.add(ipToInt(ip) - this.base);
    return true;
  }

  /** Next free address at or after offset `from`, wrapping; undefined when full. */
  allocateFrom(from: number): string | undefined {
    const span = this.size - 2;
    for (let i = 0; i < span; i++) {
      const off = ((from - 1 + i) % span) + 1;
      if (!this.used.has(off)) {
        this.used.add(off);
        return intToIp(this.base + off);
      }
    }
    return undefined;
  }

  /**
   * Like the API server: dynamic ClusterIPs come from the upper part of the range (the lower
   * band, min(max(16, size/16), 256) addresses, is kept for user-chosen IPs), picked at random.
   */
  allocateRandom(rng: () => number): string | undefined {
    const band = Math.min(Math.max(16, Math.floor(this.size / 16)), 256);
    const dynamic = this.size - 1 - band;
    return this.allocateFrom(band + Math.floor(rng() * dynamic));
  }

  release(ip: string): void {
    this.used.delete(ipToInt(ip) - this.base);
  }
}
