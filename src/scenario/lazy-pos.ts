// Positions come from YAML syntax trees, which loading avoids building: most are read only when
// a problem is reported, so where something came from is worked out when first read.
import type { SourcePos } from './diagnostics';
import type { Path } from './yaml-source';

/** What positions are looked up in: the load context (paths from its document's root). */
export interface Locator {
  at(path: Path): SourcePos;
}

/** Where a located object is: its path in the locator's document, and its position once read. */
interface Place {
  readonly locator: Locator;
  readonly path: Path;
  pos: SourcePos | undefined;
}

const PLACE = Symbol('place');

interface Placed {
  [PLACE]: Place;
}

// The accessors and `at` are shared by every located object and find the object's place through
// `this`: a getter or closure of its own would give each object a hidden class of its own and a
// few closures (~1 KB for each of a generated scenario's hundreds of apps and steps).
const POS: PropertyDescriptor = {
  get(this: Placed): SourcePos {
    const place = this[PLACE];
    return (place.pos ??= place.locator.at(place.path));
  },
  set(this: Placed, value: SourcePos): void {
    this[PLACE].pos = value;
  },
  enumerable: true,
  configurable: true,
};

function at(this: Placed, path: Path): SourcePos {
  const place = this[PLACE];
  return place.locator.at(place.path.length === 0 ? path : [...place.path, ...path]);
}

/**
 * `{ ...head, pos, at, ...tail }` for the value at `path` in `locator`'s document: `pos` is
 * looked up on first read and remembered, and is an own, enumerable property like any other, so
 * spreading or comparing the object sees the position; `at(p)` locates a path inside the value
 * (call it as a method). Where the object is lives under a hidden key.
 */
export function withPos<H extends object, T extends object>(head: H, locator: Locator, path: Path, tail: T): H & { pos: SourcePos; at(path: Path): SourcePos } & T {
  const out: Record<PropertyKey, unknown> = {};
  for (const k of Object.keys(head)) out[k] = (head as Record<string, unknown>)[k];
  Object.defineProperty(out, 'pos', POS);
  out['at'] = at;
  Object.defineProperty(out, PLACE, { value: { locator, path, pos: undefined } satisfies Place });
  return Object.assign(out, tail) as H & { pos: SourcePos; at(path: Path): SourcePos } & T;
}
