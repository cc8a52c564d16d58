// Plain objects sized to their keys. An object made with `new` from a function whose prototype is
// Object.prototype is an ordinary object, but V8 sizes it to the keys its maker's objects hold, so
// small objects carry no spare slots and no separate property array: a `{}` grown key by key keeps
// room for four keys at least (a one-key label map is 56 bytes where 32 would do). Beyond a dozen
// keys V8 stops sizing exactly. Shared by the scenario's parsed values and the clusters' stored
// objects, so both sides of a shared manifest part come from the same makers.

type Maker = new () => Record<string, unknown>;

const MAKERS: Maker[] = Array.from({ length: 11 }, () => {
  const Maker = function (this: Record<string, unknown>) {} as unknown as Maker;
  Maker.prototype = Object.prototype;
  return Maker;
});

/** The maker of plain objects holding `keys` keys, or undefined when there are too many to size exactly. */
export function makerFor(keys: number): Maker | undefined {
  return MAKERS[keys];
}
