// Parsed values are frozen as they are built. The clusters' stores keep frozen parts of an applied
// manifest as they are, so a frozen manifest is shared between the loaded scenario and every
// cluster instead of being copied into each; and nothing can change a manifest that a later step
// or another cluster applies again.
import { freeze } from 'immer';
import { makerFor } from '../exact-objects';

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
  const Maker = makerFor(count);
  if (Maker === undefined || Object.getPrototypeOf(value) !== Object.prototype) return Object.freeze(value);
  return Object.freeze(Object.assign(new Maker(), value));
}

/** Freezes `value` and everything in it, in place (aliases and cycles included). */
export function deepFreeze<T>(value: T): T {
  return freeze(value, true);
}
