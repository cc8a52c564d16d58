// A controller work queue: keys in the order they were added, each at most once (adding a queued
// key is a no-op; a key taken and added again goes last), as a Set used as a FIFO would hold them.
// Taking from the front of a Set leaves deleted entries that every later look at its first key
// steps over again; an array with a moving head and a Set for membership does not.

export class WorkQueue {
  private items: string[] = [];
  private head = 0;
  private readonly queued = new Set<string>();

  get size(): number {
    return this.queued.size;
  }

  has(key: string): boolean {
    return this.queued.has(key);
  }

  add(key: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.items.push(key);
  }

  /** The oldest key, removed from the queue; undefined when empty. */
  take(): string | undefined {
    if (this.head === this.items.length) return undefined;
    const key = this.items[this.head++]!;
    this.queued.delete(key);
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return key;
  }
}
