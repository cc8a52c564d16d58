// Decoded JSON values as Go's fmt prints them with %v, for texts Kubernetes' Go code writes
// (API server messages, kubectl's custom columns).

/** How Go's encoding/json names a decoded JSON value's type in its unmarshal errors. */
export function goJsonType(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/** `map[image:x]` (keys sorted), `[a b]`, `<nil>`; strings bare. */
export function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  return v === null || v === undefined ? '<nil>' : String(v);
}
