// Small ordered sets of strings by key, for the indexes where most keys hold a handful of members
// (a ReplicaSet's pods, the pods sharing one label set, a Service's EndpointSlices). A Set costs
// about 150 bytes with one member and 390 with ten; here a lone member is kept as itself, a few
// as an exact-size array, and only a larger group as a Set. Every form keeps insertion order and
// Set semantics (adding a member already there is a no-op; a member deleted and added again goes
// last), so iterating a group gives what the Set it replaces would.

type Members = string | readonly string[] | Set<string>;

/** Above this many members a group is held as a Set (array updates copy the array). */
const MAX_ARRAY = 16;

const NONE: readonly string[] = Object.freeze([]);

export class Groups<K> {
  private readonly map = new Map<K, Members>();

  /** Number of keys with at least one member. */
  get size(): number {
    return this.map.size;
  }

  /** The members of `key` in insertion order (empty when it has none); not to be kept across writes. */
  get(key: K): Iterable<string> {
    const m = this.map.get(key);
    return m === undefined ? NONE : typeof m === 'string' ? [m] : m;
  }

  add(key: K, member: string): void {
    const m = this.map.get(key);
    if (m === undefined) this.map.set(key, member);
    else if (typeof m === 'string') {
      if (m !== member) this.map.set(key, [m, member]);
    } else if (m instanceof Set) m.add(member);
    else if (!m.includes(member)) this.map.set(key, m.length < MAX_ARRAY ? m.concat(member) : new Set(m).add(member));
  }

  /** Removes a member; a key left without members is dropped. */
  delete(key: K, member: string): void {
    const m = this.map.get(key);
    if (m === undefined) return;
    if (typeof m === 'string') {
      if (m === member) this.map.delete(key);
    } else if (m instanceof Set) {
      if (m.delete(member) && m.size === 0) this.map.delete(key);
    } else {
      const i = m.indexOf(member);
      if (i >= 0) this.map.set(key, m.length === 2 ? m[1 - i]! : without(m, i));
    }
  }

  /** Drops a key and all its members. */
  clear(key: K): void {
    this.map.delete(key);
  }

  /** Keys in the order they first got a member (since they were last left empty). */
  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}

/** A copy of `arr` without element `i`, with no spare capacity. */
function without(arr: readonly string[], i: number): string[] {
  const out = new Array<string>(arr.length - 1);
  for (let j = 0, k = 0; j < arr.length; j++) if (j !== i) out[k++] = arr[j]!;
  return out;
}
