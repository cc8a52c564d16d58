// Arrays whose elements kind is settled when they are made. V8 gives an empty `[]` the kind for small
// integers and changes it on the first push of an object; optimized code compiled in one run has
// seen both kinds at its push, and a push onto the next run's fresh array deoptimizes it.

/** An empty array already of the kind that holds objects. */
export function objectArray<T>(): T[] {
  const a: (T | undefined)[] = [undefined];
  a.length = 0; // keeps the kind
  return a as T[];
}

/** `n` undefined entries, of the kind that holds objects, to be filled in by index. */
export function slotArray<T>(n: number): (T | undefined)[] {
  return new Array<T | undefined>(n).fill(undefined);
}
