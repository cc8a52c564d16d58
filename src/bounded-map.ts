// A module-level cache of shared values that can never grow without bound: a map that empties
// itself before taking a new key once it holds `limit` of them. For values many objects repeat
// (port maps, annotations, pod conditions, interned object parts), where a long-lived process
// would otherwise keep every distinct one it ever met. Emptying it only costs the sharing: values
// already handed out stay as they are, and equal ones are made again.
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}
