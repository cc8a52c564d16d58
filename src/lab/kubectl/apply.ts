// `kubectl apply -f` and `kubectl delete -f`: files, folders (-R), `-` for stdin, and the Istio
// sample URLs when the sample is present under the working directory (there is no network).
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { groupOf, isBuiltInType, kindOf, resourceRef, type Cluster } from '../../cluster';
import type { PathIssue } from '../../k8s/issues';
import type { KubeObject } from '../../k8s/types';
import { formatDiagnostic, loadManifests, type Diagnostic, type LoadedResource, type ManifestLoad, type ManifestOptions, type RejectedObject } from '../../scenario';
import { refusal, refusedByKubectl, webhookWarnings, type Refusal } from './refusals';
import { boolFlag } from '../flags';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { KubectlError, parseCommand, type Ctx } from './common';
import { namespaced } from './resource-types';

const FILE_FLAGS = [
  { name: 'filename', short: 'f', value: true, repeat: true },
  { name: 'recursive', short: 'R' },
  { name: 'dry-run', value: true },
  { name: 'server-side' },
  { name: 'force-conflicts' },
  { name: 'field-manager', value: true },
  { name: 'validate', value: true },
  { name: 'overwrite' },
  { name: 'wait' },
  { name: 'ignore-not-found' },
  { name: 'selector', short: 'l', value: true },
  { name: 'output', short: 'o', value: true },
];

/** A raw GitHub URL of an Istio sample, read from `samples/...` under the working directory. */
function localPath(cwd: string, path: string): string {
  const sample = /^https?:\/\/raw\.githubusercontent\.com\/istio\/istio\/[^/]+\/(samples\/.+)$/.exec(path);
  if (sample) {
    const local = join(cwd, sample[1]!);
    if (existsSync(local)) return local;
    throw new KubectlError(`error: unable to read URL "${path}": meshsim has no network; put the sample at ${sample[1]} under the working directory`);
  }
  if (/^https?:\/\//.test(path)) throw new KubectlError(`error: unable to read URL "${path}": meshsim has no network; download the file and apply it by path`);
  if (path === '-') return path;
  const local = isAbsolute(path) ? path : join(cwd, path);
  if (!existsSync(local)) throw new KubectlError(`error: the path "${path}" does not exist`);
  return local;
}

/** The objects of the -f files; `validate` replaces the full check (patch only needs to name its objects). */
export function loadFiles(ctx: Ctx, validate?: (obj: unknown) => PathIssue[]): LoadedResource[] {
  return load(ctx, { ...(validate ? { validate } : {}) }).resources;
}

/**
 * The objects of the -f files for `apply` and `create`, which send each one on its own: the objects
 * the cluster would refuse come back in `rejected`, to be refused in their turn. Problems kubectl
 * finds before sending anything (the YAML, an object without apiVersion, kind or name) stop it all.
 */
function loadToSend(ctx: Ctx): { resources: LoadedResource[]; rejected: RejectedObject[] } {
  const loaded = load(ctx, { rejectInvalid: true });
  const unnamed = loaded.rejected.filter(refusedByKubectl);
  if (unnamed.length) throw stopped(ctx, unnamed.flatMap((r) => r.diagnostics));
  return loaded;
}

/** `message` with the working directory left out of the file names in it. */
function relative(ctx: Ctx, message: string): string {
  return message.split(`${ctx.cwd}/`).join('');
}

function load(ctx: Ctx, opts: Pick<ManifestOptions, 'validate' | 'rejectInvalid'>): ManifestLoad {
  const files = ctx.p.multi.get('filename') ?? [];
  if (!files.length) throw new KubectlError('error: must specify one of -f and -k');
  const loaded = loadManifests(
    files.map((f) => localPath(ctx.cwd, f)),
    { stdin: ctx.stdin, stdinLabel: 'STDIN', ...opts },
  );
  if (loaded.diagnostics.some((d) => d.severity === 'error')) throw stopped(ctx, loaded.diagnostics);
  return loaded;
}

/** kubectl stopping before it sends anything: each error an `error: FILE:LINE:COL: message` line. */
function stopped(ctx: Ctx, diagnostics: readonly Diagnostic[]): KubectlError {
  return new KubectlError(diagnostics.filter((d) => d.severity === 'error').map((d) => `error: ${relative(ctx, formatDiagnostic(d))}`).join('\n'));
}

export function targetNamespace(ctx: Ctx, obj: KubeObject, kind: string): string | undefined {
  if (!namespaced(kind)) return undefined;
  const own = obj.metadata.namespace;
  if (own && ctx.explicitNamespace && own !== ctx.namespace) {
    throw new KubectlError(
      `error: the namespace from the provided object "${own}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  return own ?? ctx.namespace;
}

/** `group/Kind` of every CustomResourceDefinition in the cluster. */
function customTypes(cluster: Cluster): Set<string> {
  const out = new Set<string>();
  for (const crd of cluster.list('CustomResourceDefinition')) {
    const spec = (crd as { spec?: { group?: unknown; names?: { kind?: unknown } } }).spec;
    if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string') out.add(`${spec.group}/${spec.names.kind}`);
  }
  return out;
}

/**
 * kubectl's error for an object whose type the API server does not serve: a kind in the wrong
 * group (`apps` Pod, core Deployment) or a custom resource whose CRD is not installed. kubectl
 * maps every object before applying any, so a CRD in the same file does not count yet.
 */
function unservedError(obj: KubeObject, kind: string, source: string, custom: ReadonlySet<string>): string | undefined {
  if (isBuiltInType(kind, obj.apiVersion) || custom.has(`${groupOf(obj.apiVersion)}/${obj.kind}`)) return undefined;
  return `error: resource mapping not found for name: "${obj.metadata.name}" namespace: "${obj.metadata.namespace ?? ''}" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`;
}

/** The file as kubectl names it in messages: relative to the working directory when under it. */
function sourceLabel(file: string, cwd: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}

export function runApply(s: LabSession, argv: string[], cwd: string, stdin: string | undefined, verb: 'apply' | 'create' = 'apply'): CommandResult {
  const ctx = parseCommand(s, argv, FILE_FLAGS, cwd, stdin);
  const dryRun = ctx.p.flags.get('dry-run');
  if (dryRun !== undefined && !['client', 'server', 'none'].includes(dryRun)) {
    throw new KubectlError(`error: Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
  }
  // A client dry run sends nothing: every problem is kubectl's own, found before any object.
  const { resources, rejected } = dryRun === 'client' ? { resources: loadFiles(ctx), rejected: [] } : loadToSend(ctx);
  if (!resources.length && !rejected.length) throw new KubectlError(`error: no objects passed to ${verb}`);
  const lines: string[] = [];
  const errors: (string | Refusal)[] = [];
  const warnings: string[] = [];
  const custom = customTypes(ctx.cluster);
  const refuse = (r: RejectedObject): void => {
    const obj = r.obj as KubeObject;
    const kind = kindOf(obj);
    const source = sourceLabel(r.file, cwd);
    const namespace = targetNamespace(ctx, obj, kind);
    errors.push(unservedError(obj, kind, source, custom) ?? refusal(r, source, { namespace, exists: ctx.cluster.get(kind, namespace, obj.metadata.name) !== undefined }));
  };
  let next = 0;
  resources.forEach((r, i) => {
    for (; next < rejected.length && rejected[next]!.before <= i; next++) refuse(rejected[next]!);
    const kind = kindOf(r.obj);
    const source = sourceLabel(r.file, cwd);
    const unserved = unservedError(r.obj, kind, source, custom);
    if (unserved) {
      errors.push(unserved);
      return;
    }
    const ns = targetNamespace(ctx, r.obj, kind);
    const obj = structuredClone(r.obj);
    if (ns) obj.metadata.namespace = ns;
    if (dryRun === 'client' || dryRun === 'server') {
      const exists = ctx.cluster.get(kind, ns, obj.metadata.name);
      lines.push(`${resourceRef(kind, obj.apiVersion)}/${obj.metadata.name} ${exists ? 'configured' : 'created'} (${dryRun === 'client' ? 'dry run' : 'server dry run'})`);
      if (dryRun === 'server') warnings.push(...webhookWarnings(r.obj));
      return;
    }
    const res = ctx.cluster.apply(obj, s.world.now, { source });
    // An unchanged object is not sent, so no webhook sees it.
    if (res.ok && res.action !== 'unchanged') warnings.push(...webhookWarnings(r.obj));
    if (res.ok) lines.push(`${res.ref} ${boolFlag(ctx.p, 'server-side') && res.action !== 'unchanged' ? 'serverside-applied' : res.action}`);
    else errors.push(res.error);
  });
  for (; next < rejected.length; next++) refuse(rejected[next]!);
  s.world.settle();
  // Warnings come as each object is admitted, failures once all were sent.
  const warned = warnings.map((w) => `Warning: ${w}\n`).join('');
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: warned + failures(ctx, errors), exitCode: errors.length ? 1 : 0 };
}

/**
 * kubectl's stderr for the objects that failed: one failure as it is (a newline added only when it
 * has none: Istio's error lists end in a blank line), several each on a line of its own (where a
 * 422 reads differently).
 */
function failures(ctx: Ctx, errors: readonly (string | Refusal)[]): string {
  if (errors.length === 1) {
    const e = errors[0]!;
    const text = typeof e === 'string' ? e : relative(ctx, e.text);
    return text.endsWith('\n') ? text : `${text}\n`;
  }
  return errors.map((e) => `${typeof e === 'string' ? e : relative(ctx, e.amongOthers)}\n`).join('');
}

/** `kubectl delete -f`: the objects of the files, in order. */
export function deleteFromFiles(ctx: Ctx): CommandResult {
  const lines: string[] = [];
  const errors: string[] = [];
  const custom = customTypes(ctx.cluster);
  const resources = loadFiles(ctx);
  // kubectl's delete visits nothing, and says so where `get` would.
  if (!resources.length) return { stdout: 'No resources found\n', stderr: '', exitCode: 0 };
  for (const r of resources) {
    const kind = kindOf(r.obj);
    const unserved = unservedError(r.obj, kind, sourceLabel(r.file, ctx.cwd), custom);
    if (unserved) {
      errors.push(unserved);
      continue;
    }
    const res = ctx.cluster.delete(kind, targetNamespace(ctx, r.obj, kind), r.obj.metadata.name, ctx.s.world.now);
    if (res.ok) lines.push(res.message);
    else if (!boolFlag(ctx.p, 'ignore-not-found')) errors.push(res.error);
  }
  ctx.s.world.settle();
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: errors.map((e) => `${e}\n`).join(''), exitCode: errors.length ? 1 : 0 };
}

export { FILE_FLAGS };
