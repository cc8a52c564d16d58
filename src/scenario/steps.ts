// `spec.steps`: each step has a name and exactly one action key, which picks its schema.
// Steps are checked one by one so every mistake in every step is reported.
import type { LoadContext } from './context';
import { STEP_SCHEMAS } from './schema';
import type { RawStep } from './schema';
import { withPos } from './lazy-pos';
import { loadSource, sourceOf } from './sources';
import type { ObjectRef, RequestStep, Step, StepBase, StepKind } from './types';
import { isPlainObject } from './values';
import type { Path } from './yaml-source';

export const STEP_KINDS = Object.keys(STEP_SCHEMAS) as StepKind[];
const COMMON_FIELDS = new Set(['name', 'description', 'expect', 'cluster']);

type ActionOf<S> = S extends unknown ? Omit<S, keyof StepBase> : never;
/** What a step holds besides the fields every step has. */
type StepAction = ActionOf<Step>;

/** Parses a list of steps; undefined entries are steps with errors (already reported). */
export function parseSteps(ctx: LoadContext, raw: readonly unknown[], path: Path, names = new Map<string, Path>()): (Step | undefined)[] {
  return raw.map((step, i) => parseStep(ctx, step, [...path, i], names));
}

function parseStep(ctx: LoadContext, raw: unknown, path: Path, names: Map<string, Path>): Step | undefined {
  if (!isPlainObject(raw)) {
    ctx.error(path, `a step is a mapping with a name and one of: ${STEP_KINDS.join(', ')}`);
    return undefined;
  }
  checkUniqueName(ctx, raw.name, path, names);
  const kinds = STEP_KINDS.filter((k) => k in raw);
  if (kinds.length === 0) {
    const unknown = Object.keys(raw).filter((k) => !COMMON_FIELDS.has(k));
    for (const key of unknown) ctx.errorAtKey([...path, key], `unknown step kind "${key}"${suggestion(key, STEP_KINDS)}`);
    if (unknown.length === 0) ctx.error(path, `step has no action: add one of ${STEP_KINDS.join(', ')}`);
    return undefined;
  }
  if (kinds.length > 1) {
    ctx.errorAtKey([...path, kinds[1]!], `a step has one action, this one has "${kinds[0]}" and "${kinds[1]}"`);
    return undefined;
  }
  return buildStep(ctx, kinds[0]!, raw, path, names);
}

/** Remembers where each name was first used; positions are looked up only for a duplicate. */
function checkUniqueName(ctx: LoadContext, name: unknown, path: Path, names: Map<string, Path>): void {
  if (typeof name !== 'string' || name === '') return;
  const here = [...path, 'name'];
  const first = names.get(name);
  if (first) ctx.diags.error(ctx.at(here), `duplicate step name "${name}" (first used at line ${ctx.at(first).line})`);
  else names.set(name, here);
}

function buildStep(ctx: LoadContext, kind: StepKind, raw: Record<string, unknown>, path: Path, names: Map<string, Path>): Step | undefined {
  /** The common fields (the position looked up when first read), then the action's own. */
  const step = ({ name, description }: { name: string; description?: string | undefined }, action: StepAction): Step => {
    const base: StepBase = withPos({ name, ...(description === undefined ? {} : { description }) }, ctx, path, {});
    return Object.assign(base, action) as Step;
  };
  const all = ctx.clusterNames ?? [];
  /** The clusters an object step acts on: the one named, or all of them. */
  const clustersOf = (cluster: string | undefined, field: Path): string[] | undefined => {
    if (cluster === undefined) return all;
    return ctx.checkCluster(cluster, [...path, ...field]) ? [cluster] : undefined;
  };
  const oneCluster = (cluster: string | undefined, field: Path): string | undefined => {
    if (cluster === undefined) return all[0] ?? '';
    return ctx.checkCluster(cluster, [...path, ...field]) ? cluster : undefined;
  };

  switch (kind) {
    case 'apply': {
      const s = ctx.parse(STEP_SCHEMAS.apply, raw, path);
      if (!s) return undefined;
      const clusters = clustersOf(s.apply.cluster, ['apply', 'cluster']);
      const source = sourceOf(s.apply);
      const load = loadSource(ctx, source, [...path, 'apply'], clusters ?? [], s.expect.error !== undefined);
      if (!clusters) return undefined;
      return step(s, { type: 'apply', source, clusters, resources: load.resources, rejected: load.rejected, expect: s.expect });
    }
    case 'delete': {
      const s = ctx.parse(STEP_SCHEMAS.delete, raw, path);
      if (!s) return undefined;
      const clusters = clustersOf(s.delete.cluster, ['delete', 'cluster']);
      if (!clusters) return undefined;
      return step(s, { type: 'delete', target: objectRef(s.delete), clusters, expect: s.expect });
    }
    case 'label':
    case 'annotate': {
      const s = kind === 'label' ? ctx.parse(STEP_SCHEMAS.label, raw, path) : ctx.parse(STEP_SCHEMAS.annotate, raw, path);
      if (!s) return undefined;
      const body = 'label' in s ? { ref: s.label, changes: s.label.labels } : { ref: s.annotate, changes: s.annotate.annotations };
      const clusters = clustersOf(body.ref.cluster, [kind, 'cluster']);
      if (!clusters) return undefined;
      const field = kind === 'label' ? 'labels' : 'annotations';
      return step(s, { type: 'label', field, target: objectRef(body.ref), clusters, changes: body.changes, expect: s.expect });
    }
    case 'request': {
      const s = ctx.parse(STEP_SCHEMAS.request, raw, path);
      if (!s) return undefined;
      const cluster = oneCluster(s.request.cluster, ['request', 'cluster']);
      if (cluster === undefined) return undefined;
      return step(s, requestStep(s, cluster));
    }
    case 'run': {
      const s = ctx.parse(STEP_SCHEMAS.run, raw, path);
      if (!s) return undefined;
      const cluster = oneCluster(s.cluster, ['cluster']);
      if (cluster === undefined) return undefined;
      return step(s, { type: 'run', script: s.run, cluster, expect: s.expect });
    }
    case 'wait': {
      const s = ctx.parse(STEP_SCHEMAS.wait, raw, path);
      if (!s) return undefined;
      return step(s, { type: 'wait', durationMs: s.wait });
    }
    case 'parallel': {
      const s = ctx.parse(STEP_SCHEMAS.parallel, raw, path);
      if (!s) return undefined;
      const steps = parseSteps(ctx, s.parallel, [...path, 'parallel'], names);
      if (steps.some((x) => x === undefined)) return undefined;
      return step(s, { type: 'parallel', steps: steps as Step[] });
    }
  }
}

function objectRef(r: { kind: string; namespace?: string; name: string }): ObjectRef {
  return { kind: r.kind, ...(r.namespace === undefined ? {} : { namespace: r.namespace }), name: r.name };
}

function requestStep(s: RawStep<'request'>, cluster: string): Omit<RequestStep, keyof StepBase> {
  const r = s.request;
  const target: RequestStep['target'] =
    r.pod !== undefined ? { kind: 'pod', ...r.pod, ...(r.port === undefined ? {} : { port: r.port }), path: r.path ?? '/' } : { kind: 'url', url: r.url ?? '' };
  const count = r.count ?? (r.duration === undefined ? 1 : undefined);
  return {
    type: 'request',
    cluster,
    from: r.from,
    target,
    method: r.method,
    headers: r.headers,
    ...(r.body === undefined ? {} : { body: r.body }),
    ...(count === undefined ? {} : { count }),
    ...(r.rate === undefined ? {} : { rate: { perSecond: r.rate, arrival: r.arrival ?? 'poisson' } }),
    ...(r.concurrency === undefined ? {} : { concurrency: r.concurrency }),
    ...(r.duration === undefined ? {} : { durationMs: r.duration }),
    ...(r.timeout === undefined ? {} : { timeoutMs: r.timeout }),
    explain: r.explain,
    expect: s.expect,
  };
}

/** ` (did you mean "request"?)` when a close known name exists. */
export function suggestion(word: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
