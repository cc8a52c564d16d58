// Loading Kubernetes manifests the way `kubectl apply -f` takes them: files, folders (recursive),
// `-` for stdin, multi-document YAML or JSON, and `kind: List`. Every object is validated and
// each problem is reported at its place in the file.
import type { KubeObject } from '../k8s/types';
import type { PathIssue } from '../k8s/issues';
import { validateObject } from '../k8s/validate';
import { errorAt, fileLevel } from './diagnostics';
import type { Diagnostic, SourcePos } from './diagnostics';
import { MANIFEST_EXTENSIONS, listFiles, readText } from './source-files';
import { SourcedObject } from './sourced-object';
import type { StringPool } from './string-pool';
import { describe, isPlainObject } from './values';
import { parseYaml } from './yaml-source';
import type { Path, PositionMapper, SourceDoc } from './yaml-source';

export interface LoadedResource {
  obj: KubeObject;
  file: string;
  /** Index of the object's document in its file (0-based, counting empty documents). */
  docIndex: number;
  /** Index inside the `items` of a `kind: List` document, when the object came from one. */
  listIndex?: number;
  /** Where the object starts. */
  pos: SourcePos;
  /** Where a path inside the object (`['spec','rules',0]`) is in the file. */
  at(path: Path): SourcePos;
  /** The clusters the object is applied to; set by the scenario loader, undefined for plain manifest loads. */
  clusters?: string[];
}

/** An object that failed validation, with its problems (kept for steps that expect a rejection). */
export interface RejectedObject {
  obj: unknown;
  file: string;
  docIndex: number;
  listIndex?: number;
  pos: SourcePos;
  at(path: Path): SourcePos;
  diagnostics: Diagnostic[];
  /** The problems as the validator found them (paths inside the object, refusal stages). */
  issues: PathIssue[];
  /** How many of the load's valid objects come before it in file order. */
  before: number;
}

export interface ManifestLoad {
  /** Objects that validated without errors, in file order. */
  resources: LoadedResource[];
  diagnostics: Diagnostic[];
  rejected: RejectedObject[];
}

export interface ManifestOptions {
  /** The text `-` stands for (the caller reads stdin). */
  stdin?: string;
  /** How `-` is named in diagnostics; default `<stdin>`. */
  stdinLabel?: string;
  /** Where the paths were named (e.g. a scenario's `file:` value); a missing path is reported there. A function is asked only then. */
  origin?: SourcePos | (() => SourcePos);
  /** Report validation failures only in `rejected`, not as diagnostics (for steps that expect an error). */
  rejectInvalid?: boolean;
  /** Replaces the object validator (tests, or callers with their own rules). */
  validate?: (obj: unknown) => PathIssue[];
  /** Shares equal strings with the other texts of the same load. */
  strings?: StringPool;
  /** Gives an embedded text again when its positions are asked for later (then it is not kept). */
  reread?: () => string;
}

export function loadManifests(paths: readonly string[], opts: ManifestOptions = {}): ManifestLoad {
  const out: ManifestLoad = { resources: [], diagnostics: [], rejected: [] };
  /** A problem with a path itself: at the place that named it, or at the path. */
  const pathProblem = (path: string, message: string, severity: 'error' | 'warning' = 'error') => {
    const origin = typeof opts.origin === 'function' ? opts.origin() : opts.origin;
    const d = origin ? { ...origin, message: `${path}: ${message}` } : { ...fileLevel(path), message };
    out.diagnostics.push({ ...d, severity });
  };
  for (const path of paths) {
    if (path === '-') {
      if (opts.stdin === undefined) pathProblem('-', 'no standard input to read');
      else merge(out, loadManifestText(opts.stdin, opts.stdinLabel ?? '<stdin>', opts));
      continue;
    }
    const listing = listFiles(path, MANIFEST_EXTENSIONS);
    if ('error' in listing) {
      pathProblem(path, listing.error);
      continue;
    }
    if (listing.files.length === 0) pathProblem(path, `no ${MANIFEST_EXTENSIONS.join(', ')} files in this folder`, 'warning');
    for (const file of listing.files) {
      const read = readText(file);
      if ('error' in read) pathProblem(file, read.error);
      else merge(out, loadManifestText(read.text, file, opts));
    }
  }
  return out;
}

/** Loads manifests from text; `fileLabel` names it in diagnostics. `mapPos` places text embedded in another file. */
export function loadManifestText(text: string, fileLabel: string, opts: ManifestOptions & { mapPos?: PositionMapper } = {}): ManifestLoad {
  const out: ManifestLoad = { resources: [], diagnostics: [], rejected: [] };
  const parsed = parseYaml(text, fileLabel, opts.mapPos, { strings: opts.strings, reread: opts.reread });
  out.diagnostics.push(...parsed.diagnostics);
  for (const doc of parsed.docs) {
    if (isPlainObject(doc.value) && doc.value.kind === 'List' && 'items' in doc.value) {
      const items = doc.value.items;
      if (!Array.isArray(items)) {
        out.diagnostics.push(errorAt(doc.at(['items']), 'items of a List must be a sequence'));
        continue;
      }
      items.forEach((item, i) => addObject(out, item, doc, ['items', i], i, opts));
    } else {
      addObject(out, doc.value, doc, [], undefined, opts);
    }
  }
  // Every object's own position is taken; the trees are parsed again if a later problem needs more.
  parsed.release();
  return out;
}

function addObject(out: ManifestLoad, obj: unknown, doc: SourceDoc, prefix: Path, listIndex: number | undefined, opts: ManifestOptions): void {
  const issues: PathIssue[] = isPlainObject(obj)
    ? safeValidate(opts.validate ?? validateObject, obj)
    : [{ path: [], message: `expected a Kubernetes object (a mapping), got ${describe(obj)}`, severity: 'error' }];
  if (issues.length === 0) {
    out.resources.push(new SourcedObject(doc, listIndex));
    return;
  }
  const at = (path: Path): SourcePos => doc.at([...prefix, ...path]);
  const diagnostics = issues.map((issue) => ({ ...at(issue.path), message: issue.message, severity: issue.severity }));
  const invalid = diagnostics.some((d) => d.severity === 'error');
  if (invalid) {
    out.rejected.push({ file: doc.file, docIndex: doc.index, pos: at([]), at, ...(listIndex === undefined ? {} : { listIndex }), obj, diagnostics, issues, before: out.resources.length });
    if (opts.rejectInvalid) return;
  }
  out.diagnostics.push(...diagnostics);
  if (!invalid) out.resources.push(new SourcedObject(doc, listIndex));
}

/** A validator bug must not turn into a stack trace for the user. */
function safeValidate(validate: (obj: unknown) => PathIssue[], obj: unknown): PathIssue[] {
  try {
    return validate(obj);
  } catch (e) {
    return [{ path: [], message: `cannot validate object: ${e instanceof Error ? e.message : String(e)}`, severity: 'error' }];
  }
}

function merge(into: ManifestLoad, from: ManifestLoad): void {
  const offset = into.resources.length;
  into.resources.push(...from.resources);
  into.diagnostics.push(...from.diagnostics);
  for (const r of from.rejected) into.rejected.push({ ...r, before: r.before + offset });
}
