// JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) on plain JSON values, as the API server
// applies `kubectl patch --type json` and `--type merge`. Pure: inputs are never changed.
import { goJsonType } from './go-format';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `decode`: the patch is not a list of operations at all (the API server's 400, not its 422). */
export type PatchOutcome = { ok: true; value: Json } | { ok: false; error: string; decode?: true };

export function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 7386: objects merge key by key, null removes a key, anything else replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The reference tokens of a JSON Pointer (RFC 6901), or undefined when it is not one. */
function pointer(path: unknown): string[] | undefined {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) return undefined;
  return path === '' ? [] : path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function clone(v: Json): Json {
  return structuredClone(v);
}

function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

/** An array index token: digits without leading zeros, within `max`; `-` is `max` itself when allowed. */
function indexOf(token: string, max: number, dashAllowed: boolean): number | undefined {
  if (token === '-' && dashAllowed) return max;
  if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
  const i = Number(token);
  return i <= max ? i : undefined;
}

class PatchError extends Error {}

/** The container holding the last token of `tokens`, walked in the (already copied) document. */
function parentOf(doc: Json, tokens: string[], op: string, path: string): Json[] | { [key: string]: Json } {
  let node: Json | undefined = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[indexOf(t, node.length - 1, false) ?? -1];
    else if (isObject(node)) node = Object.hasOwn(node, t) ? node[t] : undefined;
    else node = undefined;
    if (node === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return node;
}

function get(doc: Json, tokens: string[], op: string, path: string): Json {
  if (!tokens.length) return doc;
  const parent = parentOf(doc, tokens, op, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = indexOf(last, parent.length - 1, false);
    if (i === undefined) throw new PatchError(`Unable to access invalid index: ${last}: invalid index referenced`);
    return parent[i]!;
  }
  if (!Object.hasOwn(parent, last)) throw new PatchError(`${op} operation does not apply: doc is missing key: ${path}: missing value`);
  return parent[last]!;
}

function remove(doc: Json, tokens: string[], op: string, path: string): Json {
  if (!tokens.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  const parent = parentOf(doc, tokens, op, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = indexOf(last, parent.length - 1, false);
    if (i === undefined) throw new PatchError(`Unable to access invalid index: ${last}: invalid index referenced`);
    return parent.splice(i, 1)[0]!;
  }
  if (!Object.hasOwn(parent, last)) throw new PatchError(`Unable to remove nonexistent key: ${last}: missing value`);
  const v = parent[last]!;
  delete parent[last];
  return v;
}

/** Adds `value` at `tokens`; returns the new document (a whole-document add replaces it). */
function add(doc: Json, tokens: string[], value: Json, op: string, path: string): Json {
  if (!tokens.length) return value;
  const parent = parentOf(doc, tokens, op, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = indexOf(last, parent.length, true);
    if (i === undefined) throw new PatchError(`Unable to access invalid index: ${last}: invalid index referenced`);
    parent.splice(i, 0, value);
  } else parent[last] = value;
  return doc;
}

/** RFC 6902: every operation in order on a copy; the first failing one fails the whole patch. */
export function jsonPatch(target: Json, ops: Json): PatchOutcome {
  if (!Array.isArray(ops)) return { ok: false, error: `json: cannot unmarshal ${goJsonType(ops)} into Go value of type jsonpatch.Patch`, decode: true };
  const notOp = ops.find((op) => !isObject(op));
  if (notOp !== undefined) return { ok: false, error: `json: cannot unmarshal ${goJsonType(notOp)} into Go value of type jsonpatch.Operation`, decode: true };
  let doc = clone(target);
  try {
    for (const raw of ops as { [key: string]: Json }[]) {
      const op = typeof raw['op'] === 'string' ? raw['op'] : '';
      const path = raw['path'];
      const tokens = pointer(path);
      if (tokens === undefined) throw new PatchError(`${op} operation does not apply: invalid path: ${String(path)}`);
      const p = path as string;
      const value = raw['value'];
      switch (op) {
        case 'add':
          if (value === undefined) throw new PatchError('add operation does not apply: missing value');
          doc = add(doc, tokens, clone(value), op, p);
          break;
        case 'remove':
          remove(doc, tokens, op, p);
          break;
        case 'replace':
          if (value === undefined) throw new PatchError('replace operation does not apply: missing value');
          get(doc, tokens, op, p);
          if (!tokens.length) doc = clone(value);
          else {
            remove(doc, tokens, op, p);
            doc = add(doc, tokens, clone(value), op, p);
          }
          break;
        case 'move':
        case 'copy': {
          const from = pointer(raw['from']);
          if (from === undefined) throw new PatchError(`${op} operation does not apply: doc is missing from path: ${String(raw['from'])}: missing value`);
          const moved = op === 'move' ? remove(doc, from, op, raw['from'] as string) : clone(get(doc, from, op, raw['from'] as string));
          doc = add(doc, tokens, moved, op, p);
          break;
        }
        case 'test':
          if (!equal(get(doc, tokens, op, p), value ?? null)) throw new PatchError(`testing value ${p} failed: test failed`);
          break;
        default:
          throw new PatchError(`Unexpected kind: ${op}`);
      }
    }
  } catch (e) {
    if (e instanceof PatchError) return { ok: false, error: e.message };
    throw e;
  }
  return { ok: true, value: doc };
}
