// Parsed values are frozen as they are built. The clusters' stores keep frozen parts of an applied
// manifest as they are, so a frozen manifest is shared between the loaded scenario and every
// cluster instead of being copied into each; and nothing can change a manifest that a later step
// or another cluster applies again.

/**
 * Plain-object makers by key count. An object made with `new` from a function whose prototype is
 * Object.prototype is an ordinary object, but V8 sizes it to the keys its maker's objects hold: a
 * parser's `{}` grown key by key keeps room for four keys at least (a one-key label map is 56
 * bytes where 32 would do). Beyond a dozen keys V8 stops sizing exactly; such objects are kept.
 */
const MAKERS: (new () => Record<string, unknown>)[] = Array.from({ length: 11 }, () => {
  const Maker = function (this: Record<string, unknown>) {} as unknown as new () => Record<string, unknown>;
  Maker.prototype = Object.prototype;
  return Maker;
});

/**
 * A frozen value equal to a freshly parsed one whose children are final (frozen already): a
 * mapping becomes an exactly sized copy, a sequence one without the spare capacity building it by
 * `push` leaves (a one-item list would otherwise hold room for seventeen).
 */
export function frozenNode(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.slice());
  // Counted rather than listed: Object.keys would allocate an array for every node of every manifest.
  let count = 0;
  for (const k in value) if (Object.prototype.hasOwnProperty.call(value, k)) count++;
  const Maker = MAKERS[count];
  if (Maker === undefined || Object.getPrototypeOf(value) !== Object.prototype) return Object.freeze(value);
  return Object.freeze(Object.assign(new Maker(), value));
}

/** Freezes `value` and everything in it, in place (aliases and cycles included). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
