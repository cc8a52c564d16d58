// istioctl's shared flags and cobra-style errors (`Error: ...`, exit 1).
import type { Cluster } from '../../cluster';
import type { Pod } from '../../k8s/types';
import { FlagError, parseFlags, type FlagSpec, type ParsedArgs } from '../flags';
import type { LabSession } from '../session';

export const ISTIOCTL_GLOBALS: FlagSpec[] = [
  { name: 'context', value: true },
  { name: 'namespace', short: 'n', value: true },
  { name: 'istioNamespace', short: 'i', value: true },
  { name: 'kubeconfig', short: 'c', value: true },
  { name: 'vklog', value: true },
];

export class IstioctlError extends Error {}

export interface ICtx {
  s: LabSession;
  context: string;
  cluster: Cluster;
  namespace: string;
  explicitNamespace: boolean;
  p: ParsedArgs;
}

export function parseIstioctl(s: LabSession, argv: readonly string[], specs: readonly FlagSpec[]): ICtx {
  let p: ParsedArgs;
  try {
    p = parseFlags(argv, [...ISTIOCTL_GLOBALS, ...specs]);
  } catch (e) {
    if (e instanceof FlagError) throw new IstioctlError(e.message);
    throw e;
  }
  const context = p.flags.get('context') || s.context;
  const cluster = s.clusterOf(context);
  if (!cluster) throw new IstioctlError(`failed to create Kubernetes client: context "${context}" does not exist`);
  const ns = p.flags.get('namespace');
  return { s, context, cluster, namespace: ns || 'default', explicitNamespace: !!ns, p };
}

/** A pod named `<name>[.<namespace>]` (istioctl's pod argument), `defaultNs` when no namespace is given. */
export function podByRef(c: ICtx, ref: string, defaultNs: string): Pod {
  const dot = ref.indexOf('.');
  const name = dot >= 0 ? ref.slice(0, dot) : ref;
  const pod = c.cluster.get('Pod', dot >= 0 ? ref.slice(dot + 1) : defaultNs, name) as Pod | undefined;
  if (!pod) throw new IstioctlError(`pods "${name}" not found`);
  return pod;
}

/** The istiod pod of the context's cluster, in the namespace the install put it in; undefined once it is gone. */
export function istiodPod(c: ICtx): Pod | undefined {
  return (c.cluster.list('Pod', c.s.world.config.rootNamespace) as Pod[]).find((p) => p.metadata.labels?.app === 'istiod');
}

/** When a pod started (its creation), or `fallback` when it has no timestamp. */
export function startedAt(pod: Pod, fallback: number): number {
  return Date.parse(pod.metadata.creationTimestamp ?? '') || fallback;
}
