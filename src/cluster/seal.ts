// How objects enter the store: deeply frozen, sharing every part that is already frozen (pod
// templates, label sets, owner references, condition lists), so 10,000 pods of 1,000 ReplicaSets
// hold 1,000 copies of those parts, not 10,000.
//
// Parts not yet frozen are rebuilt key by key instead of being frozen in place. V8 gives every
// object made by spreading and then adding keys (`{ ...a, b }`) a hidden class of its own (and
// freezing it another), a few hundred bytes each; objects built by adding keys in the same order
// share one. Rebuilding also means the store never freezes, or aliases, a caller's objects.
import { BoundedMap } from '../bounded-map';
import { makerFor } from '../exact-objects';

/**
 * A deeply frozen equivalent of `value`: frozen parts are kept as they are, plain objects and
 * arrays are copied (same keys, same order), anything else (a Date, a class instance) is cloned.
 */
export function seal<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = seal(value[i]);
    return Object.freeze(out) as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return Object.freeze(structuredClone(value));
  const src = value as Record<string, unknown>;
  const keys = Object.keys(src);
  const Maker = makerFor(keys.length);
  // One builtin call adds the keys (no per-key property-store lookups); nested parts are then
  // replaced in place, which never changes the object's shape.
  if (hasOwn(src, '__proto__')) return Object.freeze(withProtoKey(src, keys)) as T;
  const out = Object.assign(Maker ? new Maker() : {}, src);
  for (const k of keys) {
    const v = src[k];
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) out[k] = seal(v);
  }
  return Object.freeze(out) as T;
}

/**
 * `seal({ ...base, ...changes })` in one copy: the keys of `base` in their order holding the values
 * of `changes` where it has them, then its new keys. Used for new versions of stored objects,
 * whose unchanged parts are already frozen.
 */
export function sealWith<T extends object>(base: T, changes: Partial<T>): T {
  const src = base as Record<string, unknown>;
  const extra = changes as Record<string, unknown>;
  if (hasOwn(src, '__proto__') || hasOwn(extra, '__proto__')) return seal({ ...base, ...changes });
  let size = Object.keys(src).length;
  for (const k in extra) if (!hasOwn(src, k)) size++;
  const Maker = makerFor(size);
  const out = Object.assign(Maker ? new Maker() : {}, src, extra);
  for (const k in out) {
    const v = out[k];
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) out[k] = seal(v);
  }
  return Object.freeze(out) as T;
}

const interned = new BoundedMap<string, unknown>(1024);

/**
 * JSON-like text of a value that also tells a key holding undefined from a missing key. Written
 * out rather than through a JSON.stringify replacer, which calls back into JS for every value.
 */
function internKey(value: unknown): string {
  if (value === undefined) return '\u0000';
  if (typeof value !== 'object' || value === null) return typeof value === 'string' ? JSON.stringify(value) : String(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) out += i === 0 ? internKey(value[i]) : `,${internKey(value[i])}`;
    return `${out}]`;
  }
  const o = value as Record<string, unknown>;
  out = '{';
  for (const k in o) out += `${out.length === 1 ? '' : ','}${JSON.stringify(k)}:${internKey(o[k])}`;
  return `${out}}`;
}

/**
 * One sealed instance per distinct value (same keys, same order, same values), for small parts
 * many objects repeat word for word: a thousand ReplicaSets of ten ready pods hold one status.
 * Only for values that do repeat: each distinct one is kept (up to a bound).
 */
export function intern<T>(value: T): T {
  const key = internKey(value);
  let v = interned.get(key);
  if (v === undefined) {
    interned.set(key, (v = seal(value)));
  }
  return v as T;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** A copy of an object with an own `__proto__` key, kept as data (assignment would set the prototype). */
function withProtoKey(src: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) Object.defineProperty(out, k, { value: seal(src[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * `{ ...base, ...extra }` for objects on hot paths. Spreading and then adding a key gives the new
 * object a hidden class of its own (slow to copy and enumerate); copying key by key does not.
 */
export function extend<T extends object>(base: T, extra: Partial<T>): T {
  const out = {} as Record<string, unknown>;
  for (const k in base) out[k] = base[k];
  for (const k in extra) out[k] = extra[k];
  return out as T;
}
