// What every kubectl command shares: global flags, the context's cluster, the namespace, and
// `TYPE NAME` / `TYPE/NAME` argument parsing.
import { notFoundError, type Cluster } from '../../cluster';
import type { KubeObject } from '../../k8s/types';
import { FlagError, parseFlags, type FlagSpec, type ParsedArgs } from '../flags';
import { fail, type CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { kindForType, namespaced, unknownTypeError } from './resource-types';

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'context', value: true },
  { name: 'namespace', short: 'n', value: true },
  { name: 'kubeconfig', value: true },
  { name: 'cluster', value: true },
  { name: 'user', value: true },
  { name: 'request-timeout', value: true },
  // Accepted and ignored: the lab has one API server per context. Parsed so that a curl option
  // after a forgotten `--` (`exec deploy/curl curl -s URL`) reads as kubectl reads it.
  { name: 'server', short: 's', value: true },
  { name: 'v', short: 'v', value: true },
];

export interface Ctx {
  s: LabSession;
  /** The context (cluster) name. */
  context: string;
  cluster: Cluster;
  namespace: string;
  /** Whether -n was given. */
  explicitNamespace: boolean;
  p: ParsedArgs;
  cwd: string;
  stdin?: string;
}

export class KubectlError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function parseCommand(s: LabSession, argv: readonly string[], specs: readonly FlagSpec[], cwd: string, stdin?: string): Ctx {
  let p: ParsedArgs;
  try {
    p = parseFlags(argv, [...GLOBAL_FLAGS, ...specs]);
  } catch (e) {
    if (e instanceof FlagError) throw new KubectlError(`error: ${e.message}\nSee 'kubectl --help' for usage.`);
    throw e;
  }
  const context = p.flags.get('context') || s.context;
  const cluster = s.clusterOf(context);
  if (!cluster) throw new KubectlError(`error: context was not found for specified context: ${context}`);
  const ns = p.flags.get('namespace');
  return { s, context, cluster, namespace: ns || 'default', explicitNamespace: !!ns, p, cwd, stdin };
}

export function toResult(fn: () => CommandResult): CommandResult {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KubectlError) return fail(e.message, e.exitCode);
    throw e;
  }
}

export function kindOrThrow(type: string, cluster: Cluster): string {
  const kind = kindForType(type, cluster);
  if (!kind) throw new KubectlError(unknownTypeError(type));
  return kind;
}

export interface TypedName {
  kind: string;
  name: string;
}

/**
 * `TYPE NAME...`, `TYPE/NAME...` or `TYPE` (names empty): the resources a get/delete/label names.
 * Returns the kinds asked for and the explicit names (kind → names).
 */
export function parseTargets(args: readonly string[], cluster: Cluster): { kinds: string[]; named: TypedName[] } {
  if (args.length === 0) return { kinds: [], named: [] };
  if (args.every((a) => a.includes('/'))) {
    const named = args.map((a) => {
      const i = a.indexOf('/');
      return { kind: kindOrThrow(a.slice(0, i), cluster), name: a.slice(i + 1) };
    });
    return { kinds: [...new Set(named.map((n) => n.kind))], named };
  }
  if (args.slice(1).some((a) => a.includes('/'))) {
    throw new KubectlError('error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. \'kubectl get resource/<resource_name>\' instead of \'kubectl get resource resource/<resource_name>\'');
  }
  const kinds = args[0]!.split(',').map((t) => kindOrThrow(t, cluster));
  const names = args.slice(1);
  if (names.length && kinds.length > 1) throw new KubectlError('error: you must specify only one resource');
  return { kinds, named: names.map((name) => ({ kind: kinds[0]!, name })) };
}

/** The namespace an object of `kind` is looked up in. */
export function nsFor(ctx: Ctx, kind: string): string | undefined {
  return namespaced(kind) ? ctx.namespace : undefined;
}

export function getOrNotFound(ctx: Ctx, kind: string, name: string): KubeObject {
  const obj = ctx.cluster.get(kind, nsFor(ctx, kind), name);
  if (!obj) throw new KubectlError(notFound(kind, name));
  return obj;
}


export const notFound = notFoundError;
