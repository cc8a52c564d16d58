// Deterministic names and identifiers, generated the way Kubernetes does but from a seeded stream.

/** Kubernetes' alphabet for generated names (no vowels, no look-alike digits). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `utilrand.String(n)`: n characters drawn from the safe alphabet. */
export function randomSuffix(rng: () => number, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SAFE_ALPHABET[Math.floor(rng() * SAFE_ALPHABET.length) % SAFE_ALPHABET.length];
  return s;
}

const encoder = new TextEncoder();

/** FNV-1a, 32 bits, over the UTF-8 bytes of `s`. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // ASCII is its own UTF-8; anything else is hashed from the encoded bytes.
    if (c >= 0x80) return fnvBytes(encoder.encode(s));
    h = Math.imul(h ^ c, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function fnvBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

/** `rand.SafeEncodeString`: every character mapped into the safe alphabet by its code. */
export function safeEncode(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHABET[ch.codePointAt(0)! % SAFE_ALPHABET.length];
  return out;
}

/** JSON with object keys sorted, so equal values always give equal strings. */
export function canonicalJson(v: unknown): string {
  // Written out rather than through a JSON.stringify replacer, which would build a sorted copy of
  // every object only to have it serialised; values JSON cannot hold go through JSON.stringify.
  if (typeof v !== 'object' || v === null || typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      const text = unwritable(item) ? 'null' : canonicalJson(item);
      out += i === 0 ? text : `,${text}`;
    }
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  let out = '{';
  for (const k of sortedKeys(o)) {
    const val = o[k];
    if (unwritable(val)) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(k)}:${canonicalJson(val)}`;
  }
  return `${out}}`;
}

/** What JSON has no text for: written as null in an array, left out of an object. */
function unwritable(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * The keys of `o` sorted, then in the order an object built from them enumerates them: keys that
 * are array indices first, by value (the hashes of stored templates were made that way).
 */
function sortedKeys(o: object): string[] {
  // Object.keys lists index keys first: an object with any has one first.
  const keys = Object.keys(o);
  if (keys.length === 0 || !isArrayIndex(keys[0]!)) return keys.sort();
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isArrayIndex(k)).sort()];
}

function isArrayIndex(k: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;
}

/**
 * The `pod-template-hash` label: like the ReplicaSet controller, FNV-32a of the pod template,
 * its decimal value safe-encoded. (Kubernetes hashes Go's dump of the struct, meshsim hashes
 * canonical JSON, so values differ from a real cluster's but are stable per template.)
 */
export function podTemplateHash(template: object): string {
  // Stored templates are frozen, so the hash of one template object never changes.
  let h = hashCache.get(template);
  if (h === undefined) {
    h = safeEncode(String(fnv32a(canonicalJson(template))));
    if (Object.isFrozen(template)) hashCache.set(template, h);
  }
  return h;
}

const hashCache = new WeakMap<object, string>();

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const HEX = '0123456789abcdef';
const DASH = 45;
const uidChars = new Array<number>(36);

/**
 * A UUIDv4-shaped uid derived from the cluster's seed and a counter (no randomness consumed).
 * Built as one flat string: every object keeps its uid, and a string assembled from slices keeps a
 * tree of its pieces (several hundred bytes) alive behind it.
 */
export function makeUid(seed: number, counter: number): string {
  let pos = 0;
  for (let i = 0; i < 4; i++) {
    const w = mix32(seed ^ mix32(counter * 4 + i + 1));
    for (let shift = 28; shift >= 0; shift -= 4) {
      const digit = i * 8 + 7 - shift / 4;
      let nibble = (w >>> shift) & 0xf;
      if (digit === 12) nibble = 4; // version
      else if (digit === 16) nibble = (nibble & 0x3) | 0x8; // variant
      if (pos === 8 || pos === 13 || pos === 18 || pos === 23) uidChars[pos++] = DASH;
      uidChars[pos++] = HEX.charCodeAt(nibble);
    }
  }
  return String.fromCharCode.apply(null, uidChars);
}

let lastMs = NaN;
let lastStamp = '';
/** RFC 3339 with second precision, as the API server writes timestamps. */
export function rfc3339(epochMs: number): string {
  if (epochMs !== lastMs) {
    lastMs = epochMs;
    lastStamp = new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastStamp;
}
