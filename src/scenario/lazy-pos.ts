// Positions come from YAML syntax trees, which loading avoids building: most are read only when
// a problem is reported, so where something came from is worked out when first read.
import type { SourcePos } from './diagnostics';

/**
 * `{ ...head, pos, ...tail }`, with `pos` computed on first read and remembered. It is an own,
 * enumerable property like any other, so spreading or comparing the object sees the position.
 */
export function withPos<H extends object, T extends object>(head: H, locate: () => SourcePos, tail: T): H & { pos: SourcePos } & T {
  let pos: SourcePos | undefined;
  const out = {
    ...head,
    get pos(): SourcePos {
      return (pos ??= locate());
    },
    set pos(value: SourcePos) {
      pos = value;
    },
  };
  return Object.assign(out, tail);
}
