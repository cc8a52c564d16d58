// Equality of plain data as JSON sees it, without building the two JSON texts: controllers compare
// a freshly computed status or slice with the stored one on every pass.

/** Whether a value is left out of a JSON object (and written as null in an array). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function hasToJson(v: object): boolean {
  return typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

/** `JSON.stringify(a) === JSON.stringify(b)`, including key order, for plain objects, arrays and scalars. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const objA = typeof a === 'object' && a !== null;
  const objB = typeof b === 'object' && b !== null;
  if ((objA && hasToJson(a)) || (objB && hasToJson(b))) return JSON.stringify(a) === JSON.stringify(b);
  // An object's text ({…} or […]) is never a scalar's (or absent, as undefined's is): a status
  // written for the first time is unequal to the missing one without being serialized.
  if (objA !== objB) return false;
  if (!objA) return JSON.stringify(a) === JSON.stringify(b);
  const arrA = Array.isArray(a);
  if (arrA !== Array.isArray(b)) return false;
  if (arrA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const u = omitted(x[i]) ? null : x[i];
      const v = omitted(y[i]) ? null : y[i];
      if (!jsonEqual(u, v)) return false;
    }
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < kx.length && omitted(x[kx[i]!])) i++;
    while (j < ky.length && omitted(y[ky[j]!])) j++;
    if (i === kx.length || j === ky.length) return i === kx.length && j === ky.length;
    const k = kx[i]!;
    if (k !== ky[j] || !jsonEqual(x[k], y[k])) return false;
    i++;
    j++;
  }
}
