// The API server's PATCH: a JSON patch, JSON merge patch or strategic merge patch applied to the
// stored object, then checked as any write is (schema, admission), with the API server's errors
// as kubectl prints them. Server-owned fields (uid, resourceVersion, status, ...) keep their
// stored values, as the main resource's endpoint ignores changes to them.
import { goJsonType } from '../k8s/go-format';
import { isObject, jsonPatch, mergePatch, type Json } from '../k8s/json-patch';
import { strategicMergePatch } from '../k8s/strategic-merge';
import { formatPath } from '../k8s/schemas/messages';
import type { KubeObject } from '../k8s/types';
import { validateObject } from '../k8s/validate';
import { admitUpdate, validateWrite } from './admission';
import { canonicalJson } from './names';
import { SERVER_FIELDS } from './operations';
import { isBuiltInType, notFoundError, resourceRef } from './resources';
import type { Runtime } from './runtime';
import { bucketNamespace } from './state';

export type PatchType = 'strategic' | 'merge' | 'json';

export type PatchObjectResult = { ok: true; ref: string; changed: boolean; object: KubeObject } | { ok: false; error: string };

/** What a patch cannot move: the server's metadata and the object's namespace (the URL's). */
const SERVER_METADATA = [...SERVER_FIELDS, 'namespace'] as const;

function patched(obj: KubeObject, kind: string, type: PatchType, patch: Json): { ok: true; value: Json } | { ok: false; error: string } {
  const doc = obj as unknown as Json;
  if (type === 'json') {
    const r = jsonPatch(doc, patch);
    if (r.ok) return r;
    // A patch that does not decode is the API server's 400; one that decodes but does not apply is
    // its 422, which carries the patch library's message as its one cause, with no field.
    return { ok: false, error: r.decode ? `Error from server (BadRequest): ${r.error}` : `The request is invalid: : ${r.error}` };
  }
  // JSON null decodes into an empty map: a patch that changes nothing.
  if (patch === null) return { ok: true, value: doc };
  if (!isObject(patch)) {
    return { ok: false, error: `Error from server (BadRequest): error decoding patch: json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}` };
  }
  if (type === 'merge') return { ok: true, value: mergePatch(doc, patch) };
  if (!isBuiltInType(kind, obj.apiVersion)) {
    const slash = obj.apiVersion.indexOf('/');
    return {
      ok: false,
      error: `error: application/strategic-merge-patch+json is not supported by ${obj.apiVersion.slice(0, slash)}/${obj.apiVersion.slice(slash + 1)}, Kind=${obj.kind}: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    };
  }
  const r = strategicMergePatch(kind, doc, patch);
  return r.ok ? r : { ok: false, error: `Error from server: ${r.error}` };
}

/** What the stored object keeps whatever the patch says: its identity, server metadata and status. */
function keepServerFields(existing: KubeObject, next: KubeObject): KubeObject {
  const metadata = { ...next.metadata };
  for (const f of SERVER_METADATA) {
    if (existing.metadata[f] === undefined) delete metadata[f];
    else (metadata as Record<string, unknown>)[f] = existing.metadata[f];
  }
  const out: KubeObject = { ...next, metadata };
  if (existing.status === undefined) delete out.status;
  else out.status = existing.status;
  return out;
}

/** Patches the stored object; with `dryRun`, checks and returns the result without storing it. */
export function patchObject(rt: Runtime, kind: string, namespace: string | undefined, name: string, type: PatchType, patch: Json, dryRun = false): PatchObjectResult {
  const ns = bucketNamespace(kind, namespace);
  const existing = rt.get(kind, ns, name);
  if (!existing) return { ok: false, error: notFoundError(kind, name) };
  const result = patched(existing, kind, type, patch);
  if (!result.ok) return result;
  if (!isObject(result.value) || !isObject(result.value['metadata'])) {
    return { ok: false, error: `The request is invalid: : the patched ${resourceRef(kind)} "${name}" is not an object with metadata` };
  }
  const value = result.value as unknown as KubeObject;
  if (value.metadata.name !== name) {
    return { ok: false, error: `Error from server (BadRequest): the name of the object (${String(value.metadata.name)}) does not match the name on the URL (${name})` };
  }
  if (value.kind !== existing.kind || value.apiVersion !== existing.apiVersion) {
    return { ok: false, error: `Error from server (BadRequest): the kind or apiVersion of the object (${String(value.apiVersion)}, Kind=${String(value.kind)}) does not match ${existing.apiVersion}, Kind=${existing.kind}` };
  }
  const next = keepServerFields(existing, value);
  const issues = validateObject(next).filter((i) => i.severity === 'error');
  if (issues.length) {
    const causes = issues.map((i) => {
      const at = formatPath(i.path);
      return i.message.startsWith(`${at}: `) ? i.message : `${at}: ${i.message}`;
    });
    return { ok: false, error: `The ${existing.kind} "${name}" is invalid: ${causes.join(', ')}` };
  }
  const invalid = validateWrite(rt, next, kind, existing);
  if (invalid) return { ok: false, error: invalid };
  const admitted = admitUpdate(rt, existing, next, kind);
  const ref = `${resourceRef(kind, existing.apiVersion)}/${name}`;
  if (canonicalJson(admitted) === canonicalJson(existing)) return { ok: true, ref, changed: false, object: existing };
  return { ok: true, ref, changed: true, object: dryRun ? admitted : rt.replace(existing, admitted, kind) };
}
