// `kubectl delete|label|annotate|scale` by TYPE NAME, TYPE/NAME, -l selector or --all.
import type { KubeObject } from '../../k8s/types';
import { boolFlag } from '../flags';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { deleteFromFiles, FILE_FLAGS } from './apply';
import { KubectlError, notFound, nsFor, parseCommand, parseTargets, type Ctx, type TypedName } from './common';
import { listScoped } from './get';

const SELECT_FLAGS = [
  { name: 'selector', short: 'l', value: true },
  { name: 'all' },
  { name: 'all-namespaces', short: 'A' },
  { name: 'overwrite' },
  { name: 'ignore-not-found' },
  { name: 'wait' },
  { name: 'now' },
  { name: 'force' },
  { name: 'grace-period', value: true },
  { name: 'dry-run', value: true },
  { name: 'list' },
];

export interface Selected {
  kind: string;
  namespace?: string;
  name: string;
}

/** The named objects that exist; kubectl's NotFound for each that does not (unless --ignore-not-found), kept going. */
export function existingNamed(ctx: Ctx, named: readonly TypedName[], errors: string[]): Selected[] {
  return named.flatMap((n) => {
    const ns = nsFor(ctx, n.kind);
    if (ctx.cluster.get(n.kind, ns, n.name)) return [{ kind: n.kind, namespace: ns, name: n.name }];
    if (!boolFlag(ctx.p, 'ignore-not-found')) errors.push(notFound(n.kind, n.name));
    return [];
  });
}

/** The objects named by arguments, a selector or --all; errors for missing names (kept going). */
function select(ctx: Ctx, targetArgs: string[], errors: string[]): Selected[] {
  const { kinds, named } = parseTargets(targetArgs, ctx.cluster);
  if (!kinds.length) throw new KubectlError('error: You must provide one or more resources by argument or filename.');
  const selector = ctx.p.flags.get('selector');
  const bulk = selector !== undefined || boolFlag(ctx.p, 'all');
  if (named.length && bulk) throw new KubectlError('error: name cannot be provided when a selector is specified');
  if (!named.length && !bulk) {
    throw new KubectlError('error: resource(s) were provided, but no name was specified');
  }
  if (named.length) return existingNamed(ctx, named, errors);
  return kinds.flatMap((kind) =>
    listScoped(ctx, kind, boolFlag(ctx.p, 'all-namespaces'), selector).map((o: KubeObject) => ({ kind, namespace: o.metadata.namespace, name: o.metadata.name })),
  );
}

function finish(lines: string[], errors: string[]): CommandResult {
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: errors.map((e) => `${e}\n`).join(''), exitCode: errors.length ? 1 : 0 };
}

export function runDelete(s: LabSession, argv: string[], cwd: string, stdin: string | undefined): CommandResult {
  const ctx = parseCommand(s, argv, [...FILE_FLAGS.filter((f) => f.name !== 'selector'), ...SELECT_FLAGS.filter((f) => !['overwrite', 'ignore-not-found', 'wait', 'dry-run'].includes(f.name))], cwd, stdin);
  if (ctx.p.multi.get('filename')?.length) return deleteFromFiles(ctx);
  const errors: string[] = [];
  const lines: string[] = [];
  const targets = select(ctx, ctx.p.args, errors);
  for (const t of targets) {
    const r = ctx.cluster.delete(t.kind, t.namespace, t.name, s.world.now);
    if (r.ok) lines.push(r.message);
    else errors.push(r.error);
  }
  if (!targets.length && !errors.length) {
    const kind = parseTargets(ctx.p.args, ctx.cluster).kinds[0]!;
    return { stdout: '', stderr: nsFor(ctx, kind) ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n', exitCode: 0 };
  }
  s.world.settle();
  return finish(lines, errors);
}

/** `k=v` sets, `k-` removes; the first argument(s) without `=` or a trailing `-` name the objects. */
function splitChanges(args: string[], what: string): { targets: string[]; changes: Record<string, string | null> } {
  const changes: Record<string, string | null> = {};
  const targets: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0) changes[a.slice(0, eq)] = a.slice(eq + 1);
    else if (a.endsWith('-') && targets.length) changes[a.slice(0, -1)] = null;
    else targets.push(a);
  }
  if (!Object.keys(changes).length) throw new KubectlError(`error: at least one ${what} update is required`);
  return { targets, changes };
}

export function runLabel(s: LabSession, argv: string[], cwd: string, field: 'labels' | 'annotations'): CommandResult {
  const ctx = parseCommand(s, argv, SELECT_FLAGS, cwd);
  const { targets, changes } = splitChanges(ctx.p.args, field === 'labels' ? 'label' : 'annotation');
  const errors: string[] = [];
  const lines: string[] = [];
  for (const t of select(ctx, targets, errors)) {
    const op = field === 'labels' ? ctx.cluster.label.bind(ctx.cluster) : ctx.cluster.annotate.bind(ctx.cluster);
    const r = op(t.kind, t.namespace, t.name, changes, { overwrite: boolFlag(ctx.p, 'overwrite') }, s.world.now);
    if (r.ok) lines.push(...r.notices, `${r.ref} ${r.message}`);
    else errors.push(r.error);
  }
  s.world.settle();
  return finish(lines, errors);
}

const SCALE_FLAGS = [...SELECT_FLAGS.filter((f) => ['selector', 'all', 'all-namespaces'].includes(f.name)), { name: 'replicas', value: true }, { name: 'current-replicas', value: true }, { name: 'timeout', value: true }];

/** A non-negative integer flag, -1 when unset (kubectl's own default for both). */
function countFlag(ctx: Ctx, name: string): number {
  const v = ctx.p.flags.get(name);
  if (v === undefined) return -1;
  if (!/^-?\d+$/.test(v)) throw new KubectlError(`error: invalid argument "${v}" for "--${name}" flag: strconv.ParseInt: parsing "${v}": invalid syntax\nSee 'kubectl scale --help' for usage.`);
  return Number(v);
}

/** `kubectl scale --replicas=N TYPE NAME`: spec.replicas of Deployments, ReplicaSets and StatefulSets, with --current-replicas as a precondition. */
export function runScale(s: LabSession, argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(s, argv, SCALE_FLAGS, cwd);
  if (ctx.p.flags.get('replicas') === undefined) throw new KubectlError('error: required flag(s) "replicas" not set');
  const replicas = countFlag(ctx, 'replicas');
  const current = countFlag(ctx, 'current-replicas');
  if (replicas < 0) throw new KubectlError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const errors: string[] = [];
  const lines: string[] = [];
  for (const t of select(ctx, ctx.p.args, errors)) {
    const obj = ctx.cluster.get(t.kind, t.namespace, t.name);
    const was = (obj?.spec as { replicas?: number } | undefined)?.replicas;
    if (current >= 0 && was !== undefined && was !== current) {
      errors.push(`error: Expected replicas to be ${current}, was ${was}`);
      continue;
    }
    const r = ctx.cluster.scale(t.kind, t.namespace, t.name, replicas, s.world.now);
    if (r.ok) lines.push(...r.notices, `${r.ref} ${r.message}`);
    else errors.push(r.error);
  }
  s.world.settle();
  return finish(lines, errors);
}
