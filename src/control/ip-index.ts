// Workloads by pod IP. A Map holds three words per entry plus its hash table (~44 B a pod at 10,000
// pods); this open-addressing table holds a 32-bit position into the view's workload list and the
// IP's 32-bit hash per slot (~13 B a pod), hashing the IP's characters on lookup. The hash is
// compared before a workload is read: most lookups are of Service VIPs, which miss after a few
// probes, and reading a workload per probe costs a cache miss in a large mesh.
import type { WorkloadInfo } from './model';

/** FNV-1a over the UTF-16 code units, with a final mix so that nearby IPs spread over the table. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
}

export class IpIndex {
  /** Position + 1 in `workloads` of the workload owning each slot's IP; 0 for an empty slot. */
  private readonly slots: Int32Array;
  /** The hash of each filled slot's IP. */
  private readonly hashes: Int32Array;
  private readonly mask: number;
  private count = 0;

  /** Every workload of `workloads` that `indexed` accepts; of two with one IP, the later wins (as Map.set). */
  constructor(
    private readonly workloads: readonly WorkloadInfo[],
    indexed: (w: WorkloadInfo) => boolean = () => true,
  ) {
    // A power of two at most 3/4 full, so probe runs stay short.
    let capacity = 8;
    while (capacity * 3 < workloads.length * 4) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < workloads.length; i++) if (indexed(workloads[i]!)) this.put(i);
  }

  private put(position: number): void {
    const ip = this.workloads[position]!.ip;
    const h = hashOf(ip);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const at = this.slots[s]!;
      if (at === 0) {
        this.count++;
      } else if (this.hashes[s] !== h || this.workloads[at - 1]!.ip !== ip) continue;
      this.slots[s] = position + 1;
      this.hashes[s] = h;
      return;
    }
  }

  /** How many distinct IPs are indexed. */
  get size(): number {
    return this.count;
  }

  get(ip: string): WorkloadInfo | undefined {
    const h = hashOf(ip);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const at = this.slots[s]!;
      if (at === 0) return undefined;
      if (this.hashes[s] !== h) continue;
      const w = this.workloads[at - 1]!;
      if (w.ip === ip) return w;
    }
  }

  has(ip: string): boolean {
    return this.get(ip) !== undefined;
  }
}
