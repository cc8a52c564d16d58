// Strategic merge patch, `kubectl patch`'s default, for the built-in kinds meshsim keeps: like a
// JSON merge patch, except that the lists Kubernetes declares with a merge key (containers by
// name, container ports by containerPort, Service ports by port, ...) merge element by element,
// `$patch: delete` removes an element or a map and `$patch: replace` replaces instead of merging.
// The merge keys are those of k8s.io/api's `patchMergeKey` tags for the fields a mesh touches.
import { isObject, type Json } from './json-patch';
import { goValue } from './go-format';

type ListStrategy = { key: string } | 'union';

const POD_SPEC_LISTS: Record<string, ListStrategy> = {
  containers: { key: 'name' },
  initContainers: { key: 'name' },
  ephemeralContainers: { key: 'name' },
  volumes: { key: 'name' },
  imagePullSecrets: { key: 'name' },
  hostAliases: { key: 'ip' },
  topologySpreadConstraints: { key: 'topologyKey' },
};

const CONTAINER_LISTS: Record<string, ListStrategy> = {
  ports: { key: 'containerPort' },
  env: { key: 'name' },
  volumeMounts: { key: 'mountPath' },
  volumeDevices: { key: 'devicePath' },
};

const CONTAINER_FIELDS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Where the pod spec sits in an object of each kind that carries one. */
const POD_SPEC_AT: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const startsWith = (path: readonly string[], prefix: readonly string[]): boolean => prefix.every((p, i) => path[i] === p);

/** How the list at `path` (field names from the object's root, no indexes) merges; undefined: replaced whole. */
export function listStrategy(kind: string, path: readonly string[]): ListStrategy | undefined {
  if (path.length === 2 && path[0] === 'metadata') return path[1] === 'finalizers' ? 'union' : path[1] === 'ownerReferences' ? { key: 'uid' } : undefined;
  if (kind === 'Service' && path.length === 2 && path[0] === 'spec' && path[1] === 'ports') return { key: 'port' };
  const at = POD_SPEC_AT[kind];
  if (!at || !startsWith(path, at)) return undefined;
  const rel = path.slice(at.length);
  if (rel.length === 1) return POD_SPEC_LISTS[rel[0]!];
  if (rel.length === 2 && CONTAINER_FIELDS.has(rel[0]!)) return CONTAINER_LISTS[rel[1]!];
  return undefined;
}

export type SmpOutcome = { ok: true; value: Json } | { ok: false; error: string };

class SmpError extends Error {}

/** A map patch without its directives. */
function withoutDirectives(patch: { [key: string]: Json }): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(patch)) if (!k.startsWith('$')) out[k] = isObject(v) ? withoutDirectives(v) : v;
  return out;
}

function mergeMap(kind: string, path: string[], target: Json | undefined, patch: { [key: string]: Json }): Json | undefined {
  const directive = patch['$patch'];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return withoutDirectives(patch);
  if (directive !== undefined) throw new SmpError(`Unable to find the merge key or patch directive: ${String(directive)}`);
  const out: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    // $setElementOrder, $retainKeys and $deleteFromPrimitiveList are what kubectl apply computes, not what users write.
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    const merged = mergeValue(kind, [...path, k], out[k], v);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function mergeValue(kind: string, path: string[], target: Json | undefined, patch: Json): Json | undefined {
  if (isObject(patch)) return mergeMap(kind, path, target, patch);
  if (Array.isArray(patch)) return mergeList(kind, path, Array.isArray(target) ? target : [], patch);
  return patch;
}

/**
 * The merged list in the API server's order: the patch's items in the patch's order, with the
 * items only the server had slotted in by their order in the original list (a new item with no
 * place there comes first), as Kubernetes' normalizeElementOrder does.
 */
function ordered(merged: Json[], patchKeys: readonly Json[], serverKeys: readonly Json[], keyOf: (v: Json) => Json): Json[] {
  const inPatch = (v: Json) => patchKeys.includes(keyOf(v));
  const right = merged.filter(inPatch).sort((a, b) => patchKeys.indexOf(keyOf(a)) - patchKeys.indexOf(keyOf(b)));
  const left = merged.filter((v) => !inPatch(v));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]!);
    else if (i >= left.length) out.push(right[j++]!);
    else {
      const li = serverKeys.indexOf(keyOf(left[i]!));
      const ri = serverKeys.indexOf(keyOf(right[j]!));
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++]! : right[j++]!);
    }
  }
  return out;
}

function mergeList(kind: string, path: string[], target: Json[], patch: Json[]): Json {
  const strategy = listStrategy(kind, path);
  if (!strategy) return patch.map((v) => (isObject(v) ? withoutDirectives(v) : v));
  if (strategy === 'union') {
    const merged = [...target];
    for (const v of patch) if (!merged.includes(v)) merged.push(v);
    return ordered(merged, patch, target, (v) => v);
  }
  const { key } = strategy;
  if (patch.some((v) => isObject(v) && v['$patch'] === 'replace')) {
    return patch.filter((v) => !(isObject(v) && v['$patch'] === 'replace')).map((v) => (isObject(v) ? withoutDirectives(v) : v));
  }
  const keyOf = (v: Json): Json => (isObject(v) ? (v[key] ?? null) : v);
  const merged = [...target];
  const patchKeys: Json[] = [];
  for (const item of patch) {
    if (!isObject(item) || item[key] === undefined) throw new SmpError(`map: ${goValue(item)} does not contain declared merge key: ${key}`);
    const at = merged.findIndex((x) => keyOf(x) === item[key]);
    if (item['$patch'] === 'delete') {
      if (at >= 0) merged.splice(at, 1);
      continue;
    }
    patchKeys.push(item[key]!);
    if (at >= 0) merged[at] = mergeMap(kind, path, merged[at], item) ?? merged[at]!;
    else merged.push(withoutDirectives(item));
  }
  return ordered(merged, patchKeys, target.map(keyOf), keyOf);
}

/** Applies a strategic merge patch to an object of a built-in `kind`. */
export function strategicMergePatch(kind: string, target: Json, patch: { [key: string]: Json }): SmpOutcome {
  try {
    return { ok: true, value: mergeMap(kind, [], target, patch) ?? {} };
  } catch (e) {
    if (e instanceof SmpError) return { ok: false, error: e.message };
    throw e;
  }
}
