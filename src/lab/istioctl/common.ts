// istioctl's shared flags and cobra-style errors (`Error: ...`, exit 1).
import type { Cluster } from '../../cluster';
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
