// `kubectl rollout restart TYPE[/NAME] [-l SELECTOR]`: kubectl's strategic merge patch of the pod
// template's `kubectl.kubernetes.io/restartedAt` annotation (the time to the second, RFC 3339),
// which rolls the pods like any template change. A restart within the same second patches
// nothing, and kubectl refuses it as the real one does.
import { resourcePlural, rfc3339 } from '../../cluster';
import type { KubeObject } from '../../k8s/types';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { KubectlError, parseTargets, type Ctx } from './common';
import { existingNamed, type Selected } from './mutate';
import { listScoped } from './get';

const RESTARTABLE = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

function targets(ctx: Ctx, args: string[], errors: string[]): Selected[] {
  const { kinds, named } = parseTargets(args, ctx.cluster);
  if (!kinds.length) throw new KubectlError('error: required resource not specified');
  if (named.length) return existingNamed(ctx, named, errors);
  return kinds.flatMap((kind) => listScoped(ctx, kind, false, ctx.p.flags.get('selector')).map((o: KubeObject) => ({ kind, namespace: o.metadata.namespace, name: o.metadata.name })));
}

export function runRolloutRestart(s: LabSession, ctx: Ctx, args: string[]): CommandResult {
  const errors: string[] = [];
  const lines: string[] = [];
  const found = targets(ctx, args, errors);
  if (!found.length && !errors.length) return { stdout: '', stderr: `No resources found in ${ctx.namespace} namespace.\n`, exitCode: 0 };
  const at = rfc3339(s.nowEpochMs);
  for (const t of found) {
    if (!RESTARTABLE.has(t.kind)) {
      errors.push(`error: ${resourcePlural(t.kind)} "${t.name}" restarting is not supported`);
      continue;
    }
    const obj = ctx.cluster.get(t.kind, t.namespace, t.name) as { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } } | undefined;
    if (obj?.spec?.template?.metadata?.annotations?.[RESTARTED_AT] === at) {
      errors.push(`error: failed to create patch for ${t.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
      continue;
    }
    const r = ctx.cluster.patch(t.kind, t.namespace, t.name, 'strategic', { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } }, s.world.now);
    if (r.ok) lines.push(`${r.ref} restarted`);
    else errors.push(`error: failed to patch: ${r.error}`);
  }
  s.world.settle();
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: errors.map((e) => `${e}\n`).join(''), exitCode: errors.length ? 1 : 0 };
}
