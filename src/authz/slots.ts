// Rule lists filed by a few keys (request methods at a waypoint, destination ports at ztunnel), one
// list per key and a last one for any other key, DENY and ALLOW side by side under the same keys.

/**
 * The position of `key`'s lists: its index in `keys`, or `keys.length` (the lists for any key not
 * named). A set names a few keys, so a scan of them beats a hash lookup.
 */
export function slotOf<T>(keys: readonly T[], key: T): number {
  let i = 0;
  while (i < keys.length && keys[i] !== key) i++;
  return i;
}
