// Small ordered groups of members by key, for the indexes where most keys hold a handful of members
// (a ReplicaSet's pods, the pods sharing one label set, an owner's children). A Set costs about 150
// bytes with one member and 390 with ten; here a lone member is kept as itself, a few as an
// exact-size array, and only a larger group in a Map by id. A member is known by its id (a string
// is its own): adding one whose id is there puts it in that one's place, a member deleted and added
// again goes last, so iterating a group gives what a Set (or an insertion-ordered Map by id) would.

type Members<M> = M | readonly M[] | Map<string, M>;

/** Above this many members a group is held as a Map (array updates copy the array). */
const MAX_ARRAY = 16;

const NONE: readonly never[] = Object.freeze([]);

const ownId = (m: unknown): string => m as string;

export class Groups<K, M = string> {
  private readonly map = new Map<K, Members<M>>();

  /** `idOf` names a member; members must not be arrays or Maps themselves. */
  constructor(private readonly idOf: (m: M) => string = ownId) {}

  /** Number of keys with at least one member. */
  get size(): number {
    return this.map.size;
  }

  /** The members of `key` in insertion order (empty when it has none); not to be kept across writes. */
  get(key: K): Iterable<M> {
    const m = this.map.get(key);
    if (m === undefined) return NONE;
    if (m instanceof Map) return m.values();
    return Array.isArray(m) ? (m as readonly M[]) : [m as M];
  }

  /** Adds a member, or puts it in the place of the one with the same id. */
  add(key: K, member: M): void {
    const id = this.idOf(member);
    const m = this.map.get(key);
    if (m === undefined) this.map.set(key, member);
    else if (m instanceof Map) m.set(id, member);
    else if (!Array.isArray(m)) {
      if (m !== member) this.map.set(key, this.idOf(m as M) === id ? member : [m as M, member]);
    } else {
      const arr = m as readonly M[];
      const i = arr.findIndex((x) => this.idOf(x) === id);
      if (i >= 0) {
        if (arr[i] === member) return;
        const copy = arr.slice();
        copy[i] = member;
        this.map.set(key, copy);
      } else if (arr.length < MAX_ARRAY) this.map.set(key, arr.concat([member]));
      else this.map.set(key, new Map([...arr, member].map((x) => [this.idOf(x), x])));
    }
  }

  /** Removes the member with this id; a key left without members is dropped. */
  delete(key: K, id: string): void {
    const m = this.map.get(key);
    if (m === undefined) return;
    if (m instanceof Map) {
      if (m.delete(id) && m.size === 0) this.map.delete(key);
    } else if (!Array.isArray(m)) {
      if (this.idOf(m as M) === id) this.map.delete(key);
    } else {
      const arr = m as readonly M[];
      const i = arr.findIndex((x) => this.idOf(x) === id);
      if (i >= 0) this.map.set(key, arr.length === 2 ? arr[1 - i]! : without(arr, i));
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
function without<M>(arr: readonly M[], i: number): M[] {
  const out = new Array<M>(arr.length - 1);
  for (let j = 0, k = 0; j < arr.length; j++) if (j !== i) out[k++] = arr[j]!;
  return out;
}
