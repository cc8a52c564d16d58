// A bounded string-keyed memo for per-request parsing (identities, IPs, tokens). Each compiled index owns
// its memos, so nothing is shared between configurations and nothing is global.
export class Memo<T> {
  private readonly map = new Map<string, T>();

  constructor(
    private readonly compute: (key: string) => T,
    private readonly limit = 50_000,
  ) {}

  get(key: string): T {
    let v = this.map.get(key);
    if (v === undefined && !this.map.has(key)) {
      if (this.map.size >= this.limit) this.map.clear();
      v = this.compute(key);
      this.map.set(key, v);
    }
    return v as T;
  }
}
