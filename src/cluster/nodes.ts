// What the scheduler knows about nodes: order, labels, capacity, pod counts per owner and zone,
// and each node's pod IPAM. Kept incrementally so placing a pod costs O(nodes), not O(pods).
import { matchLabels } from '../k8s/object';
import type { Labels } from '../k8s/types';
import { intToIp, NodeCidrAllocator, NodeIpam, type Cidr } from './ip';
import { OwnerCounts } from './owner-counts';
import { SpreadIndex } from './spread-index';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
/** The node lifecycle controller's taint on a node whose kubelet is not Ready. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';

export interface NodeSlot {
  readonly name: string;
  readonly ordinal: number;
  readonly ip: string;
  /** Absent while the pod subnet has no /24 left for the node: it is NotReady and takes no pods. */
  ipam: NodeIpam | undefined;
  labels: Labels;
  zone: string;
  unschedulable: boolean;
  pods: number;
  /** Stable small integers for the node's name and zone, indexing the per-owner counters. */
  readonly nameIndex: number;
  zoneIndex: number;
}

export class NodeTable {
  private readonly slots = new Map<string, NodeSlot>();
  private ordered: NodeSlot[] = [];
  private nextOrdinal = 0;
  /** Never forgotten: a node re-added under an old name takes its old column of the owner counts (cleared when it went). */
  private readonly nameIndex = new Map<string, number>();
  private readonly zoneIndex = new Map<string, number>();
  private readonly byOwner = new OwnerCounts();
  private readonly spread = new SpreadIndex<NodeSlot>();

  private readonly cidrs: NodeCidrAllocator;

  constructor(
    private readonly nodeBase: number,
    pods: Cidr,
    readonly maxPods: number,
  ) {
    this.cidrs = new NodeCidrAllocator(pods);
  }

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
    const known = slot !== undefined;
    if (!slot) {
      const ordinal = this.nextOrdinal++;
      slot = {
        name,
        ordinal,
        ip: intToIp(this.nodeBase + 3 + ordinal),
        ipam: this.nextIpam(),
        labels,
        zone: '',
        unschedulable,
        pods: 0,
        nameIndex: indexOf(this.nameIndex, name),
        zoneIndex: 0,
      };
      this.slots.set(name, slot);
      this.ordered.push(slot);
    } else this.spread.remove(slot);
    slot.labels = labels;
    slot.zone = labels[ZONE_LABEL] ?? '';
    const zoneIndex = indexOf(this.zoneIndex, slot.zone);
    if (known) this.byOwner.rezone(slot.nameIndex, slot.zoneIndex, zoneIndex, this.zoneIndex.size);
    slot.zoneIndex = zoneIndex;
    slot.unschedulable = unschedulable;
    this.spread.add(slot);
    return slot;
  }

  /** Nodes still waiting for a pod /24, in registration order. */
  waitingForCidr(): NodeSlot[] {
    return this.ordered.filter((s) => !s.ipam);
  }

  /** Gives a waiting node a free /24; false when none is free. */
  assignCidr(slot: NodeSlot): boolean {
    slot.ipam = this.nextIpam();
    return slot.ipam !== undefined;
  }

  /** IPAM of the next free /24, if the pod subnet has one. */
  private nextIpam(): NodeIpam | undefined {
    const block = this.cidrs.allocate();
    return block === undefined ? undefined : new NodeIpam(block);
  }

  remove(name: string): void {
    const slot = this.slots.get(name);
    if (!slot) return;
    this.slots.delete(name);
    this.spread.remove(slot);
    // Its pods are deleted next, when the node can no longer count them.
    this.byOwner.forgetNode(slot.nameIndex, slot.zoneIndex);
    if (slot.ipam) this.cidrs.release(slot.ipam.base);
    this.ordered = this.ordered.filter((s) => s.name !== name);
  }

  /** Accounts for a pod bound to (delta 1) or leaving (delta -1) a node. */
  count(owner: string | undefined, nodeName: string, delta: 1 | -1): void {
    const slot = this.slots.get(nodeName);
    if (!slot) return;
    const before = slot.pods;
    // Never below zero, like the per-owner counts (the spread index has no negative levels).
    slot.pods = Math.max(0, before + delta);
    this.spread.moved(slot, before);
    if (owner) this.byOwner.add(owner, slot.nameIndex, slot.zoneIndex, delta, this.nameIndex.size, this.zoneIndex.size);
  }

  /**
   * The node for a new pod: among schedulable nodes matching the selector with room left, the one
   * with the fewest pods of the same owner, then the fewest of the owner in its zone, then the
   * fewest pods overall, then the earliest node. Returns kube-scheduler's failure text otherwise.
   */
  choose(nodeSelector: Labels | undefined, owner: string | undefined): { node: NodeSlot } | { reason: string } {
    const row = owner ? this.byOwner.row(owner) : -1;
    const usual = nodeSelector ? undefined : this.spread.choose(this.byOwner, row, this.maxPods);
    if (usual) return { node: usual };
    let best: NodeSlot | undefined;
    let bOwner = 0;
    let bZone = 0;
    for (const slot of this.ordered) {
      if (!fits(slot, nodeSelector, this.maxPods)) continue;
      // Lexicographic (owner on node, owner in zone, pods on node); node order breaks ties.
      const o = this.byOwner.node(row, slot.nameIndex);
      if (best && o > bOwner) continue;
      const z = this.byOwner.zone(row, slot.zoneIndex);
      if (!best || o < bOwner || z < bZone || (z === bZone && slot.pods < best.pods)) {
        best = slot;
        bOwner = o;
        bZone = z;
      }
    }
    return best ? { node: best } : { reason: this.noFit(nodeSelector) };
  }

  /** kube-scheduler's text for a pod no node can take. */
  private noFit(nodeSelector: Labels | undefined): string {
    const failures = new Map<string, number>();
    for (const slot of this.ordered) {
      const why = unfit(slot, nodeSelector, this.maxPods);
      if (why) failures.set(why, (failures.get(why) ?? 0) + 1);
    }
    const n = this.ordered.length;
    const parts = [...failures].sort(([a], [b]) => (a < b ? -1 : 1)).map(([why, c]) => `${c} ${why}`);
    const detail = parts.length ? ` ${parts.join(', ')}.` : '';
    return `0/${n} nodes are available:${detail} preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
  }
}

function fits(slot: NodeSlot, nodeSelector: Labels | undefined, maxPods: number): boolean {
  return !slot.unschedulable && slot.ipam !== undefined && slot.pods < maxPods && (!nodeSelector || matchLabels(nodeSelector, slot.labels));
}

/** Why a node cannot take a pod (checked in kube-scheduler's order), undefined if it can. */
function unfit(slot: NodeSlot, nodeSelector: Labels | undefined, maxPods: number): string | undefined {
  if (slot.unschedulable) return 'node(s) were unschedulable';
  if (!slot.ipam) return `node(s) had untolerated taint {${NOT_READY_TAINT}: }`;
  if (!matchLabels(nodeSelector, slot.labels)) return "node(s) didn't match Pod's node affinity/selector";
  if (slot.pods >= maxPods) return 'Too many pods';
  return undefined;
}

function indexOf(index: Map<string, number>, key: string): number {
  let i = index.get(key);
  if (i === undefined) index.set(key, (i = index.size));
  return i;
}
