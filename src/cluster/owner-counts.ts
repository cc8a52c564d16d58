// How many pods of each owner run on each node and in each zone, for the scheduler's spreading.
// Owners are rows of two shared tables (columns: a node name's index, a zone's index) rather than
// holders of typed arrays of their own: a thousand ReplicaSets then cost two buffers instead of
// five thousand small heap objects.

/** A cell at this value holds its real count in the overflow map. */
const SATURATED = 255;

/**
 * A growable row-major table of byte cells; cells outside it read as 0. Counts are nearly always
 * small (an owner's pods on one node), but a pod bound by `nodeName` skips the capacity check, so
 * a count past 254 saturates its cell and lives in a map keyed by (row, column) instead.
 */
class Table {
  private cells = new Uint8Array(0);
  private rows = 0;
  private cols = 0;
  private readonly overflow = new Map<number, number>();

  get(row: number, col: number): number {
    if (row >= this.rows || col >= this.cols) return 0;
    const v = this.cells[row * this.cols + col]!;
    return v === SATURATED ? this.overflow.get(overflowKey(row, col))! : v;
  }

  /**
   * Adds `delta` to a cell, never going below zero; returns 1 when the cell became non-zero, -1
   * when it became zero, else 0. `width` is how many columns the table should have room for.
   */
  bump(row: number, col: number, delta: number, width: number): number {
    if (row >= this.rows || col >= this.cols) this.grow(row, col, width);
    const before = this.get(row, col);
    const after = Math.max(0, before + delta);
    const i = row * this.cols + col;
    if (after >= SATURATED) {
      this.cells[i] = SATURATED;
      this.overflow.set(overflowKey(row, col), after);
    } else {
      this.cells[i] = after;
      if (before >= SATURATED) this.overflow.delete(overflowKey(row, col));
    }
    return !before === !after ? 0 : after ? 1 : -1;
  }

  /** Room for `row` and `col`: exactly `width` columns at first, then growing by a quarter. */
  private grow(row: number, col: number, width: number): void {
    const rows = row < this.rows ? this.rows : Math.max(row + 1, Math.ceil(this.rows * 1.25));
    const cols = col < this.cols ? this.cols : Math.max(col + 1, width, Math.ceil(this.cols * 1.25));
    const cells = new Uint8Array(rows * cols);
    if (cols === this.cols) cells.set(this.cells);
    else for (let r = 0; r < this.rows; r++) cells.set(this.cells.subarray(r * this.cols, (r + 1) * this.cols), r * cols);
    this.cells = cells;
    this.rows = rows;
    this.cols = cols;
  }
}

/** The overflow map's key of a cell; stays valid when the table grows. */
function overflowKey(row: number, col: number): number {
  return row * 0x100000 + col;
}

/**
 * Per-owner pod counts by node-name index and zone index. A count never goes below zero, and an
 * owner left with nothing counted gives its row back.
 */
export class OwnerCounts {
  private readonly rows = new Map<string, number>();
  private readonly freeRows: number[] = [];
  /** Non-zero cells of each row (in both tables). */
  private readonly live: number[] = [];
  private readonly onNode = new Table();
  private readonly inZone = new Table();

  /** The owner's row for `node` and `zone`, or -1 when nothing of it is counted. */
  row(owner: string): number {
    return this.rows.get(owner) ?? -1;
  }

  /** Pods of the owner in `row` on the node with this name index (0 for row -1). */
  node(row: number, nameIndex: number): number {
    return row < 0 ? 0 : this.onNode.get(row, nameIndex);
  }

  /** Pods of the owner in `row` in the zone with this index (0 for row -1). */
  zone(row: number, zoneIndex: number): number {
    return row < 0 ? 0 : this.inZone.get(row, zoneIndex);
  }

  /**
   * A node's pods now count in zone `to` instead of `from` (the node was relabelled), for every
   * owner, as kube-scheduler reads a node's zone from its labels when it spreads.
   */
  rezone(nameIndex: number, from: number, to: number, zones: number): void {
    if (from === to) return;
    for (const row of this.rows.values()) {
      const pods = this.onNode.get(row, nameIndex);
      // The node's own count stays, so the row keeps a non-zero cell.
      if (pods > 0) this.live[row]! += this.inZone.bump(row, from, -pods, zones) + this.inZone.bump(row, to, pods, zones);
    }
  }

  /** A node is gone, and its pods with it: nothing of any owner counts on it, or in its zone for it. */
  forgetNode(nameIndex: number, zoneIndex: number): void {
    // A Map may lose the entry being visited: freeing a row here is safe.
    for (const [owner, row] of this.rows) {
      const pods = this.onNode.get(row, nameIndex);
      if (pods > 0) this.settle(owner, row, this.onNode.bump(row, nameIndex, -pods, 0) + this.inZone.bump(row, zoneIndex, -pods, 0));
    }
  }

  /** Counts a pod of `owner` arriving on (delta 1) or leaving (delta -1) a node; `names`/`zones` are how many indexes exist. */
  add(owner: string, nameIndex: number, zoneIndex: number, delta: 1 | -1, names: number, zones: number): void {
    let row = this.rows.get(owner);
    if (row === undefined) {
      // Nothing counted yet: a departure leaves every count at zero.
      if (delta < 0) return;
      row = this.freeRows.pop() ?? this.live.push(0) - 1;
      this.rows.set(owner, row);
    }
    this.settle(owner, row, this.onNode.bump(row, nameIndex, delta, names) + this.inZone.bump(row, zoneIndex, delta, zones));
  }

  /** Accounts for cells of the owner's row that became non-zero or zero; a row left with none is given back. */
  private settle(owner: string, row: number, change: number): void {
    if ((this.live[row]! += change) !== 0) return;
    this.rows.delete(owner);
    this.freeRows.push(row);
  }
}
