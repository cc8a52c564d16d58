// apply / delete / label / annotate steps and the scenario's initial resources, against every
// targeted cluster's API server, reported in kubectl's words.
import { freeze } from 'immer';
import type { ApplyResult } from '../cluster/types';
import type { KubeObject } from '../k8s/types';
import type { StepResult } from '../result/types';
import type { ApplyStep, DeleteStep, LabelStep, LoadedResource } from '../scenario';
import { errorAt, type Diagnostic } from '../scenario';
import { ScenarioInputError } from './errors';
import { FAST_PATHS } from '../fast-paths';
import type { World } from './world';

/** Kinds applied before everything else so that objects never wait for their namespace. */
const FIRST_KINDS = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount'];

function applyOrder(resources: readonly LoadedResource[]): LoadedResource[] {
  const rank = (r: LoadedResource) => {
    const i = FIRST_KINDS.indexOf(r.obj.kind);
    return i < 0 ? FIRST_KINDS.length : i;
  };
  return resources.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map((x) => x.r);
}

function applyAll(world: World, resources: readonly LoadedResource[], fallbackClusters: readonly string[]): { changes: string[]; errors: { res: LoadedResource; error: string }[] } {
  const changes: string[] = [];
  const errors: { res: LoadedResource; error: string }[] = [];
  const multi = world.clusters.size > 1;
  const jobs: { res: LoadedResource; cluster: string; result?: ApplyResult }[] = [];
  for (const res of applyOrder(resources)) for (const cluster of res.clusters ?? fallbackClusters) jobs.push({ res, cluster });
  if (FAST_PATHS) {
    // Each cluster applies its objects in order, settling after each, with one snapshot commit.
    const byCluster = new Map<string, typeof jobs>();
    for (const j of jobs) {
      let list = byCluster.get(j.cluster);
      if (!list) byCluster.set(j.cluster, (list = []));
      list.push(j);
    }
    for (const [name, list] of byCluster) {
      const results = world.cluster(name).applyEach(list.map((j) => ({ obj: frozen(j.res.obj), source: j.res.file })), world.now);
      list.forEach((j, i) => (j.result = results[i]));
    }
  } else {
    for (const j of jobs) j.result = world.cluster(j.cluster).apply(frozen(j.res.obj), world.now, { source: j.res.file });
  }
  for (const { res, cluster, result } of jobs) {
    if (result!.ok) changes.push(`${multi ? `[${cluster}] ` : ''}${result!.ref} ${result!.action}`);
    else errors.push({ res, error: multi ? `[${cluster}] ${result!.error}` : result!.error });
  }
  world.settle();
  return { changes, errors };
}

/**
 * A loaded manifest as the clusters get it: frozen in place, once. The store keeps frozen parts as
 * they are, so every cluster shares the scenario's objects instead of copying them, and nothing
 * can change a manifest that a later step or another cluster applies again.
 */
function frozen(obj: KubeObject): KubeObject {
  return freeze(obj, true);
}

/** The scenario's `spec.resources`, applied at time 0; a failure is an input error at the object. */
export function applyInitialResources(world: World): string[] {
  const all = [...world.clusters.keys()];
  const { changes, errors } = applyAll(world, world.scenario.resources, all);
  if (errors.length) {
    const diags: Diagnostic[] = errors.map((e) => errorAt(e.res.pos, e.error));
    throw new ScenarioInputError(diags);
  }
  return changes;
}

function finishConfigStep(step: { name: string; expect: { error?: string } }, type: StepResult['type'], startMs: number, changes: string[], errors: string[]): StepResult {
  const failures: string[] = [];
  const want = step.expect.error;
  if (want !== undefined) {
    if (!errors.some((e) => e.includes(want))) failures.push(`expected an error containing ${JSON.stringify(want)}; ${errors.length ? `got: ${errors.join('; ')}` : 'the step succeeded'}`);
  } else failures.push(...errors);
  return { name: step.name, type, passed: failures.length === 0, failures, startMs, endMs: startMs, changes: [...changes, ...errors] };
}

export function runApplyStep(world: World, step: ApplyStep): StepResult {
  const startMs = world.now;
  const { changes, errors } = applyAll(world, step.resources, step.clusters);
  const rejected = step.rejected.flatMap((r) => r.diagnostics.map((d) => d.message));
  return finishConfigStep(step, 'apply', startMs, changes, [...errors.map((e) => e.error), ...rejected]);
}

export function runDeleteStep(world: World, step: DeleteStep): StepResult {
  const startMs = world.now;
  const changes: string[] = [];
  const errors: string[] = [];
  for (const name of step.clusters) {
    const r = world.cluster(name).delete(step.target.kind, step.target.namespace, step.target.name, world.now);
    const tag = step.clusters.length > 1 ? `[${name}] ` : '';
    if (r.ok) changes.push(tag + r.message);
    else errors.push(tag + r.error);
  }
  world.settle();
  return finishConfigStep(step, 'delete', startMs, changes, errors);
}

export function runLabelStep(world: World, step: LabelStep): StepResult {
  const startMs = world.now;
  const changes: string[] = [];
  const errors: string[] = [];
  for (const name of step.clusters) {
    const c = world.cluster(name);
    const r =
      step.field === 'labels'
        ? c.label(step.target.kind, step.target.namespace, step.target.name, step.changes, { overwrite: true }, world.now)
        : c.annotate(step.target.kind, step.target.namespace, step.target.name, step.changes, { overwrite: true }, world.now);
    const tag = step.clusters.length > 1 ? `[${name}] ` : '';
    if (r.ok) changes.push(`${tag}${r.ref} ${r.message}`, ...r.notices.map((n) => tag + n));
    else errors.push(tag + r.error);
  }
  world.settle();
  return finishConfigStep(step, 'label', startMs, changes, errors);
}
