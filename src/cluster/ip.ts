// IPv4 address plans and allocators. Each cluster index owns its own ranges, so clusters never overlap:
//   nodes       172.(18+i).0.0/16   (control plane .0.2, nodes from .0.3; load balancers from .255.1)
//   pods        10.(244+i).0.0/16   one /24 per node, like kind's host-local IPAM
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

export interface AddressPlan {
  /** First address of the node /16. */
  nodeBase: number;
  controlPlaneIp: string;
  /** First address of the pod /16; node ordinal k owns the /24 at podBase + k*256. */
  podBase: number;
  serviceCidr: string;
  serviceBase: number;
  lbBase: number;
}

export function addressPlan(index: number): AddressPlan {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_CLUSTERS) {
    throw new RangeError(`cluster index ${index} out of range 0..${MAX_CLUSTERS - 1}`);
  }
  const nodeBase = ipToInt(`172.${18 + index}.0.0`);
  const serviceBase = ipToInt(`10.${96 + index}.0.0`);
  return {
    nodeBase,
    controlPlaneIp: intToIp(nodeBase + 2),
    podBase: ipToInt(`10.${244 + index}.0.0`),
    serviceCidr: `10.${96 + index}.0.0/16`,
    serviceBase,
    lbBase: nodeBase + 255 * 256,
  };
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
