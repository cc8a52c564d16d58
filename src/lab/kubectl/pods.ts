// Resolving kubectl's pod arguments (`POD`, `pod/POD`, `deploy/NAME`, `svc/NAME`, `ds/NAME`) to a running pod.
import type { WorkloadInfo } from '../../control/model';
import { matchLabels } from '../../k8s/object';
import type { Service } from '../../k8s/types';
import { KubectlError, kindOrThrow, notFound, type Ctx } from './common';

export function resolvePod(ctx: Ctx, arg: string): WorkloadInfo {
  const view = ctx.s.world.view(ctx.context);
  const slash = arg.indexOf('/');
  const kind = slash < 0 ? 'Pod' : kindOrThrow(arg.slice(0, slash), ctx.cluster);
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  const ns = ctx.namespace;
  const obj = ctx.cluster.get(kind, ns, name);
  if (!obj) throw new KubectlError(notFound(kind, name));
  let pods: WorkloadInfo[];
  switch (kind) {
    case 'Pod': {
      const w = view.workloadByPod.get(`${ns}/${name}`);
      if (!w) throw new KubectlError(`error: unable to upgrade connection: pod ${name} is not running`);
      return w;
    }
    case 'Service': {
      const sel = (obj as Service).spec?.selector;
      pods = sel ? view.workloads.filter((w) => w.namespace === ns && matchLabels(sel, w.labels)) : [];
      break;
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      pods = view.workloadsByOwner.get(`${ns}/${name}`) ?? [];
      break;
    default:
      throw new KubectlError(`error: cannot attach to ${kind.toLowerCase()}: selector for ${kind.toLowerCase()} not implemented`);
  }
  const pod = pods.find((w) => w.healthy) ?? pods[0];
  if (!pod) throw new KubectlError('error: timed out waiting for the condition');
  return pod;
}
