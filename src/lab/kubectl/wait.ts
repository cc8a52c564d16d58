// `kubectl rollout status` (restart: rollout-restart.ts) and `kubectl wait`: poll the simulated cluster, advancing simulated
// time one second per poll, until the condition holds or the timeout passes.
import { parseDuration } from '../../scenario';
import type { Condition, Deployment, KubeObject } from '../../k8s/types';
import { resourcePlural, resourceRef } from '../../cluster';
import { boolFlag } from '../flags';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { KubectlError, notFound, nsFor, parseCommand, parseTargets, type Ctx } from './common';
import { listScoped } from './get';
import { runRolloutRestart } from './rollout-restart';

const POLL_MS = 1000;
/** `--timeout=0` / no timeout still ends: a lab never waits longer than this much simulated time. */
const MAX_WAIT_MS = 10 * 60_000;

function timeoutMs(ctx: Ctx, fallback: number): number {
  const t = ctx.p.flags.get('timeout');
  if (t === undefined) return fallback;
  const d = parseDuration(t);
  if (!d.ok) throw new KubectlError(`error: invalid argument "${t}" for "--timeout" flag: time: invalid duration "${t}"`);
  return d.value === 0 ? MAX_WAIT_MS : d.value;
}

/** Polls `check` (true = done) every simulated second until `limitMs`; returns whether it held. */
function poll(s: LabSession, limitMs: number, check: () => boolean): boolean {
  const end = s.world.now + limitMs;
  for (;;) {
    if (check()) return true;
    if (s.world.now + POLL_MS > end) return false;
    s.advance(POLL_MS);
  }
}

function deploymentProgress(d: Deployment): string | undefined {
  const want = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  const updated = st.updatedReplicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const name = d.metadata.name;
  if (updated < want) return `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`;
  if ((st.replicas ?? 0) > updated) return `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...`;
  if (available < updated) return `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`;
  return undefined;
}

/** kubectl's other rollout subcommands: real, so a learner is told they are not emulated. */
const NOT_EMULATED = new Set(['history', 'pause', 'resume', 'undo']);

export function runRollout(s: LabSession, argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(s, argv, [{ name: 'timeout', value: true }, { name: 'watch', short: 'w', value: true }, { name: 'revision', value: true }, { name: 'selector', short: 'l', value: true }, { name: 'field-manager', value: true }], cwd);
  const [sub, ...rest] = ctx.p.args;
  if (sub === 'restart') return runRolloutRestart(s, ctx, rest);
  if (sub && NOT_EMULATED.has(sub)) throw new KubectlError(`error: meshsim does not emulate "kubectl rollout ${sub}"`);
  if (sub !== 'status') throw new KubectlError(sub ? `error: unknown command "${sub}" for "kubectl rollout"` : 'error: Required resource not specified.');
  const { named } = parseTargets(rest, ctx.cluster);
  const t = named[0];
  if (!t) throw new KubectlError('error: required resource not specified');
  if (t.kind !== 'Deployment' && t.kind !== 'DaemonSet' && t.kind !== 'StatefulSet') throw new KubectlError(`error: no status viewer has been implemented for ${t.kind}`);
  const ns = nsFor(ctx, t.kind);
  const lines: string[] = [];
  let last = '';
  const ok = poll(s, timeoutMs(ctx, MAX_WAIT_MS), () => {
    const obj = ctx.cluster.get(t.kind, ns, t.name);
    if (!obj) throw new KubectlError(notFound(t.kind, t.name));
    const progress = t.kind === 'Deployment' ? deploymentProgress(obj as Deployment) : undefined;
    if (progress && progress !== last) lines.push(progress);
    last = progress ?? '';
    return progress === undefined;
  });
  const kindWord = t.kind.toLowerCase();
  if (!ok) return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: 'error: timed out waiting for the condition\n', exitCode: 1 };
  lines.push(t.kind === 'Deployment' ? `deployment "${t.name}" successfully rolled out` : `${kindWord} rolling update complete`);
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: '', exitCode: 0 };
}

type Waiter = (o: KubeObject | undefined) => boolean;

function waiterFor(spec: string): Waiter {
  if (spec === 'delete') return (o) => o === undefined;
  const cond = /^condition=([^=]+)(?:=(.*))?$/i.exec(spec);
  if (cond) {
    const type = cond[1]!.toLowerCase();
    const want = (cond[2] ?? 'True').toLowerCase();
    return (o) => ((o?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some((c) => c.type.toLowerCase() === type && c.status.toLowerCase() === want);
  }
  const jp = /^jsonpath=\{?\.?([^}=]*)\}?(?:=(.*))?$/.exec(spec);
  if (jp) {
    const path = jp[1]!.split('.').filter(Boolean);
    return (o) => {
      let v: unknown = o;
      for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
      return jp[2] === undefined ? v !== undefined : String(v) === jp[2];
    };
  }
  throw new KubectlError(`error: unrecognized condition: "${spec}"`);
}

export function runWait(s: LabSession, argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(
    s,
    argv,
    [
      { name: 'for', value: true },
      { name: 'timeout', value: true },
      { name: 'selector', short: 'l', value: true },
      { name: 'all' },
      { name: 'all-namespaces', short: 'A' },
    ],
    cwd,
  );
  const spec = ctx.p.flags.get('for');
  if (!spec) throw new KubectlError('error: --for must be specified');
  const waiter = waiterFor(spec);
  const { kinds, named } = parseTargets(ctx.p.args, ctx.cluster);
  if (!kinds.length) throw new KubectlError('error: you must specify one or more resources by argument or filename');
  const selector = ctx.p.flags.get('selector');
  const targets = named.length
    ? named.map((n) => {
        if (!ctx.cluster.get(n.kind, nsFor(ctx, n.kind), n.name)) throw new KubectlError(notFound(n.kind, n.name));
        return { kind: n.kind, ns: nsFor(ctx, n.kind), name: n.name };
      })
    : kinds.flatMap((k) => (selector !== undefined || boolFlag(ctx.p, 'all') ? listScoped(ctx, k, boolFlag(ctx.p, 'all-namespaces'), selector) : []).map((o) => ({ kind: k, ns: o.metadata.namespace, name: o.metadata.name })));
  if (!targets.length) throw new KubectlError('error: no matching resources found');
  const limit = timeoutMs(ctx, 30_000);
  const lines: string[] = [];
  const start = s.world.now;
  for (const t of targets) {
    const held = poll(s, Math.max(0, limit - (s.world.now - start)), () => waiter(ctx.cluster.get(t.kind, t.ns, t.name)));
    if (!held) {
      return { stdout: lines.join(''), stderr: `error: timed out waiting for the condition on ${resourcePlural(t.kind)}/${t.name}\n`, exitCode: 1 };
    }
    lines.push(`${resourceRef(t.kind)}/${t.name} ${spec === 'delete' ? 'deleted' : 'condition met'}\n`);
  }
  return { stdout: lines.join(''), stderr: '', exitCode: 0 };
}

