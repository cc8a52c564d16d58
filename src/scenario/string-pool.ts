// One copy of each distinct string of a load. A 10,000-pod scenario repeats the same few values
// (`v1`, `http`, `ALLOW`, names, labels, images) across thousands of objects and across the texts
// of one load (the scenario file and every manifest it pulls in); without a pool each occurrence
// is a string of its own for as long as the loaded objects live.

/** Equal strings share one copy for as long as the pool is in use; drop it (or `clear` it) once loading is done. */
export class StringPool {
  private readonly seen = new Map<string, string>();

  own(s: string): string {
    let mine = this.seen.get(s);
    if (mine === undefined) {
      mine = detached(s);
      this.seen.set(mine, mine);
    }
    return mine;
  }

  /**
   * `value` with every string in it taken from the pool (keys aside: V8 shares property names
   * already). Arrays and objects are changed in place, each once however often aliases repeat it.
   */
  ownAll(value: unknown, visited = new Set<object>()): unknown {
    if (typeof value === 'string') return this.own(value);
    if (value === null || typeof value !== 'object' || visited.has(value)) return value;
    visited.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.ownAll(value[i], visited);
    } else {
      const obj = value as Record<string, unknown>;
      for (const k of Object.keys(obj)) obj[k] = this.ownAll(obj[k], visited);
    }
    return value;
  }

  clear(): void {
    this.seen.clear();
  }
}

/**
 * A flat string equal to `s` that shares no storage with the text `s` was cut from. Parsers' strings
 * are slices of their input (V8 makes a substring of 13 or more characters a 32-byte view onto its
 * parent) or concatenations of slices, so one kept value would keep the whole input alive; a
 * round trip through JSON yields a plain sequential copy, the smallest form a string can take.
 */
function detached(s: string): string {
  return s.length < SLICE_MIN ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The shortest substring V8 makes a slice of its parent rather than a copy. */
const SLICE_MIN = 13;
