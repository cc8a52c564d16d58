// What the scheduler knows about nodes: order, labels, capacity, pod counts per owner and zone,
// and each node's pod IPAM. Kept incrementally so placing a pod costs O(nodes), not O(pods).
import { matchLabels } from '../k8s/object';
import type { Labels } from '../k8s/types';
import { intToIp, NodeIpam } from './ip';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';

export interface NodeSlot {
  readonly name: string;
  readonly ordinal: number;
  readonly ip: string;
  readonly ipam: NodeIpam;
  labels: Labels;
  zone: string;
  unschedulable: boolean;
  pods: number;
}

export class NodeTable {
  private readonly slots = new Map<string, NodeSlot>();
  private ordered: NodeSlot[] = [];
  private nextOrdinal = 0;
  private readonly byOwnerNode = new Map<string, Map<string, number>>();
  private readonly byOwnerZone = new Map<string, Map<string, number>>();

  constructor(
    private readonly nodeBase: number,
    private readonly podBase: number,
    readonly maxPods: number,
  ) {}

  get(name: string): NodeSlot | undefined {
    return this.slots.get(name);
  }

  /** Nodes in creation order. */
  list(): readonly NodeSlot[] {
    return this.ordered;
  }

  /** Registers a node (or refreshes its labels); returns its slot with IP and pod CIDR. */
  upsert(name: string, labels: Labels, unschedulable: boolean): NodeSlot {
    let slot = this.slots.get(name);
    if (!slot) {
      const ordinal = this.nextOrdinal++;
      if (ordinal > 255) throw new RangeError('at most 256 nodes per cluster (one pod /24 each)');
      slot = {
        name,
        ordinal,
        ip: intToIp(this.nodeBase + 3 + ordinal),
        ipam: new NodeIpam(this.podBase + ordinal * 256),
        labels,
        zone: '',
        unschedulable,
        pods: 0,
      };
      this.slots.set(name, slot);
      this.ordered.push(slot);
    }
    slot.labels = labels;
    slot.zone = labels[ZONE_LABEL] ?? '';
    slot.unschedulable = unschedulable;
    return slot;
  }

  remove(name: string): void {
    if (!this.slots.delete(name)) return;
    this.ordered = this.ordered.filter((s) => s.name !== name);
  }

  /** Accounts for a pod bound to (delta 1) or leaving (delta -1) a node. */
  count(owner: string | undefined, nodeName: string, delta: 1 | -1): void {
    const slot = this.slots.get(nodeName);
    if (!slot) return;
    slot.pods += delta;
    if (!owner) return;
    bump(this.byOwnerNode, owner, nodeName, delta);
    bump(this.byOwnerZone, owner, slot.zone, delta);
  }

  /**
   * The node for a new pod: among schedulable nodes matching the selector with room left, the one
   * with the fewest pods of the same owner, then the fewest of the owner in its zone, then the
   * fewest pods overall, then the earliest node. Returns kube-scheduler's failure text otherwise.
   */
  choose(nodeSelector: Labels | undefined, owner: string | undefined): { node: NodeSlot } | { reason: string } {
    let best: NodeSlot | undefined;
    let bOwner = 0;
    let bZone = 0;
    const failures = new Map<string, number>();
    const fail = (why: string) => failures.set(why, (failures.get(why) ?? 0) + 1);
    const onNode = owner ? this.byOwnerNode.get(owner) : undefined;
    const inZone = owner ? this.byOwnerZone.get(owner) : undefined;
    for (const slot of this.ordered) {
      if (slot.unschedulable) fail('node(s) were unschedulable');
      else if (!matchLabels(nodeSelector, slot.labels)) fail("node(s) didn't match Pod's node affinity/selector");
      else if (slot.pods >= this.maxPods) fail('Too many pods');
      else {
        // Lexicographic (owner on node, owner in zone, pods on node); node order breaks ties.
        const o = onNode?.get(slot.name) ?? 0;
        const z = inZone?.get(slot.zone) ?? 0;
        if (!best || o < bOwner || (o === bOwner && (z < bZone || (z === bZone && slot.pods < best.pods)))) {
          best = slot;
          bOwner = o;
          bZone = z;
        }
      }
    }
    if (best) return { node: best };
    const n = this.ordered.length;
    const parts = [...failures].sort(([a], [b]) => (a < b ? -1 : 1)).map(([why, c]) => `${c} ${why}`);
    const detail = parts.length ? ` ${parts.join(', ')}.` : '';
    return {
      reason: `0/${n} nodes are available:${detail} preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`,
    };
  }
}

function bump(index: Map<string, Map<string, number>>, owner: string, key: string, delta: number): void {
  let m = index.get(owner);
  if (!m) index.set(owner, (m = new Map()));
  const v = (m.get(key) ?? 0) + delta;
  if (v > 0) m.set(key, v);
  else m.delete(key);
  if (m.size === 0) index.delete(owner);
}
