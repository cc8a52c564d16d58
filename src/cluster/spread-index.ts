// Nodes grouped by zone and, within a zone, by how many pods they hold, each group in node order.
// The scheduler's usual pick (a node with none of the owner's pods, in a zone holding the fewest of
// them, with the fewest pods) is then found by looking at a few nodes instead of all of them: with
// 100,000 pods on 1,000 nodes, scanning every node for every pod was the largest cost of a load.
import type { OwnerCounts } from './owner-counts';

/** What the index needs of a node. */
export interface Spreadable {
  readonly ordinal: number;
  readonly nameIndex: number;
  zoneIndex: number;
  pods: number;
  unschedulable: boolean;
  ipam: unknown;
}

/** One zone's nodes by pod count. */
class ZoneLevels<S extends Spreadable> {
  /** `byPods[p]`: the zone's nodes holding p pods, by ordinal. */
  readonly byPods: S[][] = [];
  /** The lowest pod count any of the zone's nodes holds (meaningless when it has none). */
  least = 0;
  size = 0;

  add(slot: S, pods: number): void {
    while (this.byPods.length <= pods) this.byPods.push([]);
    const level = this.byPods[pods]!;
    level.splice(position(level, slot.ordinal), 0, slot);
    if (this.size++ === 0 || pods < this.least) this.least = pods;
  }

  remove(slot: S, pods: number): void {
    const level = this.byPods[pods]!;
    level.splice(position(level, slot.ordinal), 1);
    if (--this.size > 0) while (this.byPods[this.least]!.length === 0) this.least++;
  }
}

/** Where a node of this ordinal is, or would go, in a level kept in ordinal order. */
function position(level: readonly Spreadable[], ordinal: number): number {
  let lo = 0;
  let hi = level.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (level[mid]!.ordinal < ordinal) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SpreadIndex<S extends Spreadable> {
  private readonly zones: ZoneLevels<S>[] = [];

  /** A node joining with `slot.pods` pods in zone `slot.zoneIndex`. */
  add(slot: S): void {
    while (this.zones.length <= slot.zoneIndex) this.zones.push(new ZoneLevels());
    this.zones[slot.zoneIndex]!.add(slot, slot.pods);
  }

  /** A node leaving, as last added or moved. */
  remove(slot: S): void {
    this.zones[slot.zoneIndex]!.remove(slot, slot.pods);
  }

  /** A node's pod count changed from `from` to its current one. */
  moved(slot: S, from: number): void {
    const zone = this.zones[slot.zoneIndex]!;
    zone.remove(slot, from);
    zone.add(slot, slot.pods);
  }

  /**
   * The node a scan of every node in order would pick for a pod without a node selector (fewest of
   * the owner's pods on the node, then in its zone, then fewest pods, then the earliest node),
   * when that node has none of the owner's pods and its zone has as few of them as any zone with
   * nodes; undefined otherwise, and the caller scans. `row` is the owner's row in `counts`.
   */
  choose(counts: OwnerCounts, row: number, maxPods: number): S | undefined {
    // No zone with nodes has fewer of the owner's pods: a node in one that does is beaten by none.
    let fewest = Infinity;
    for (let z = 0; z < this.zones.length; z++) if (this.zones[z]!.size > 0) fewest = Math.min(fewest, counts.zone(row, z));
    let best: S | undefined;
    for (let z = 0; z < this.zones.length; z++) {
      const zone = this.zones[z]!;
      if (zone.size === 0 || counts.zone(row, z) !== fewest) continue;
      const found = firstFree(zone, counts, row, Math.min(maxPods, best ? best.pods + 1 : maxPods));
      if (found && (!best || found.pods < best.pods || (found.pods === best.pods && found.ordinal < best.ordinal))) best = found;
    }
    return best;
  }
}

/**
 * The zone's node with the fewest pods (below `below`), earliest on ties, that can take a pod and
 * has none of the owner's.
 */
function firstFree<S extends Spreadable>(zone: ZoneLevels<S>, counts: OwnerCounts, row: number, below: number): S | undefined {
  for (let pods = zone.least; pods < below && pods < zone.byPods.length; pods++) {
    for (const slot of zone.byPods[pods]!) {
      if (!slot.unschedulable && slot.ipam !== undefined && counts.node(row, slot.nameIndex) === 0) return slot;
    }
  }
  return undefined;
}
