// The user-facing writes (kubectl apply / delete / label / annotate / scale) with kubectl's
// results and error texts. Each validates fully before writing, so a failed call changes nothing.
import type { KubeObject, Labels } from '../k8s/types';
import { admitUpdate, validateWrite } from './admission';
import { canonicalJson } from './names';
import { notFoundError, resourcePlural, resourceRef } from './resources';
import type { Runtime } from './runtime';
import { bucketNamespace, storageKind } from './state';
import type { ApplyResult, DeleteResult, PatchResult } from './types';

/** Metadata the API server owns: a write's own values for them are ignored. */
export const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'deletionTimestamp'] as const;
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

/**
 * kubectl apply's three-way merge of a metadata map: the keys the last apply wrote and this one
 * drops are removed, this one's are set, and keys others wrote (kubectl label, controllers) stay.
 */
function mergeMap(base: Labels | undefined, last: Labels | undefined, over: Labels | undefined): Labels | undefined {
  if (!base && !over) return undefined;
  const out: Labels = { ...base };
  for (const k of Object.keys(last ?? {})) if (!over || !(k in over)) delete out[k];
  Object.assign(out, over);
  return Object.keys(out).length || over ? out : undefined;
}

/** kubectl apply's effect on an existing object: metadata maps merged, spec and other fields replaced, status kept. */
function mergeApplied(existing: KubeObject, obj: KubeObject, kind: string, last: { labels?: Labels; annotations?: Labels } | undefined): KubeObject {
  const { apiVersion, metadata, spec, status: _ignored, kind: _k, ...rest } = obj;
  const em = existing.metadata;
  const merged: KubeObject = {
    apiVersion,
    kind: existing.kind,
    metadata: { ...em },
    ...rest,
  };
  const labels = mergeMap(em.labels, last?.labels, metadata.labels);
  const annotations = mergeMap(em.annotations, last?.annotations, metadata.annotations);
  if (labels) merged.metadata.labels = labels;
  else delete merged.metadata.labels;
  if (annotations) merged.metadata.annotations = annotations;
  else delete merged.metadata.annotations;
  if (metadata.ownerReferences) merged.metadata.ownerReferences = metadata.ownerReferences;
  let nextSpec = spec;
  if (kind === 'Pod') nextSpec = existing.spec;
  else if (SCALABLE.has(kind) && spec && (spec as { replicas?: number }).replicas === undefined) {
    // Like a three-way apply: a replica count the manifest never set (e.g. after `kubectl scale`) stays.
    nextSpec = { ...(spec as object), replicas: (existing.spec as { replicas?: number }).replicas };
  }
  if (nextSpec !== undefined) merged.spec = nextSpec;
  if (existing.status !== undefined) merged.status = existing.status;
  return merged;
}

export function applyObject(rt: Runtime, input: KubeObject, source: string): ApplyResult {
  if (!input || typeof input !== 'object' || typeof input.kind !== 'string' || !input.kind) {
    return { ok: false, error: `error: error validating "${source}": error validating data: kind not set` };
  }
  if (!input.metadata?.name) return { ok: false, error: `error: error when retrieving current configuration from "${source}": resource name may not be empty` };
  // Shallow copies are enough: the store seals (copies and freezes) whatever it keeps.
  const { status: _status, ...rest } = input;
  const obj = { ...rest, metadata: { ...input.metadata } } as KubeObject;
  // Deleting a key that is not there still costs a runtime call; manifests seldom carry these.
  for (const f of SERVER_FIELDS) if (f in obj.metadata) delete obj.metadata[f];
  const kind = storageKind(obj.apiVersion, obj.kind);
  const name = obj.metadata.name;
  const ns = bucketNamespace(kind, obj.metadata.namespace);
  const ref = `${resourceRef(kind, obj.apiVersion)}/${name}`;
  if (ns) {
    obj.metadata.namespace = ns;
    if (!rt.get('Namespace', '', ns)) return { ok: false, error: `Error from server (NotFound): error when creating "${source}": namespaces "${ns}" not found` };
  }
  const existing = rt.get(kind, ns, name);
  const invalid = validateWrite(rt, obj, kind, existing);
  if (invalid) return { ok: false, error: invalid };
  // Kept for as long as the object: one flat string, where a template keeps a chain of four
  // 32-byte concatenation nodes.
  const key = [kind, ns, name].join('/');
  const { labels, annotations } = obj.metadata;
  if (!existing) {
    const created = rt.create(obj, kind);
    rt.lastApplied.set(key, { uid: created.metadata.uid ?? '', labels, annotations });
    return { ok: true, action: 'created', ref };
  }
  const prev = rt.lastApplied.get(key);
  const last = prev !== undefined && prev.uid === existing.metadata.uid ? prev : undefined;
  rt.lastApplied.set(key, { uid: existing.metadata.uid ?? '', labels, annotations });
  const next = admitUpdate(rt, existing, mergeApplied(existing, obj, kind, last), kind);
  if (canonicalJson(next) === canonicalJson(existing)) return { ok: true, action: 'unchanged', ref };
  rt.replace(existing, next, kind);
  return { ok: true, action: 'configured', ref };
}

export function deleteObject(rt: Runtime, kind: string, namespace: string | undefined, name: string): DeleteResult {
  const ns = bucketNamespace(kind, namespace);
  if (!rt.get(kind, ns, name)) return { ok: false, error: notFoundError(kind, name) };
  if (kind === 'Namespace' && UNDELETABLE_NAMESPACES.has(name)) {
    return { ok: false, error: `Error from server (Forbidden): namespaces "${name}" is forbidden: this namespace may not be deleted` };
  }
  rt.remove(kind, ns, name);
  const ref = resourceRef(kind);
  return { ok: true, ref: `${ref}/${name}`, message: `${ref} "${name}" deleted${ns ? ` from ${ns} namespace` : ''}` };
}

/** Go's utilerrors aggregate formatting: one error as is, several as `[a, b]`. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

export function patchMetadata(
  rt: Runtime,
  field: 'labels' | 'annotations',
  kind: string,
  namespace: string | undefined,
  name: string,
  changes: Record<string, string | null>,
  overwrite: boolean,
): PatchResult {
  const ns = bucketNamespace(kind, namespace);
  const obj = rt.get(kind, ns, name);
  if (!obj) return { ok: false, error: notFoundError(kind, name) };
  const current = obj.metadata[field] ?? {};
  const keys = Object.keys(changes).sort();
  if (!overwrite) {
    const clashes = keys.filter((k) => changes[k] !== null && k in current && current[k] !== changes[k]);
    if (clashes.length && field === 'labels') {
      return { ok: false, error: `error: ${aggregate(clashes.map((k) => `'${k}' already has a value (${current[k]}), and --overwrite is false`))}` };
    }
    if (clashes.length) {
      return { ok: false, error: `error: --overwrite is false but found the following declared annotation(s): ${clashes.map((k) => `'${k}' already has a value (${current[k]})`).join('; ')}` };
    }
  }
  const notices: string[] = [];
  const next: Labels = { ...current };
  let added = 0;
  let removed = 0;
  for (const k of keys) {
    const v = changes[k];
    if (v === null) {
      if (k in next) {
        delete next[k];
        removed++;
      } else if (field === 'labels') notices.push(`label "${k}" not found.`);
    } else if (next[k] !== v) {
      next[k] = v!;
      added++;
    }
  }
  const ref = `${resourceRef(kind)}/${name}`;
  if (added || removed) {
    rt.replace(obj, { ...obj, metadata: { ...obj.metadata, [field]: next } }, kind);
  }
  const message = field === 'annotations' ? 'annotated' : added && removed ? 'modified' : added ? 'labeled' : removed ? 'unlabeled' : 'not labeled';
  return { ok: true, ref, message, notices };
}

export function scaleObject(rt: Runtime, kind: string, namespace: string | undefined, name: string, replicas: number): PatchResult {
  const ns = bucketNamespace(kind, namespace);
  const obj = rt.get(kind, ns, name);
  if (!obj) return { ok: false, error: notFoundError(kind, name) };
  if (!SCALABLE.has(kind)) return { ok: false, error: `error: no objects passed to scale ${resourcePlural(kind)} "${name}"` };
  if (!Number.isInteger(replicas) || replicas < 0) return { ok: false, error: 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0' };
  const spec = obj.spec as { replicas?: number };
  if (spec.replicas !== replicas) rt.replace(obj, { ...obj, spec: { ...spec, replicas } }, kind);
  return { ok: true, ref: `${resourceRef(kind)}/${name}`, message: 'scaled', notices: [] };
}
