// `kubectl exec`: the command runs "in" a pod. curl goes through the simulated mesh; echo, cat,
// hostname, env, true/false and sleep are answered here; `sh -c`/`bash -c` scripts are handed back
// to the caller to run in a local shell whose curl and hostname act from the pod.
import type { WorkloadInfo } from '../../control/model';
import { curlFromPod } from '../curl-tool';
import { sleepMs } from '../sleep';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { KubectlError, parseCommand, type Ctx } from './common';
import { resolvePod } from './pods';

const EXEC_FLAGS = [
  { name: 'container', short: 'c', value: true },
  { name: 'stdin', short: 'i' },
  { name: 'tty', short: 't' },
  { name: 'quiet', short: 'q' },
  { name: 'pod-running-timeout', value: true },
];

const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/bash']);

function podEnv(ctx: Ctx, pod: WorkloadInfo): string {
  const kube = ctx.cluster.get('Service', 'default', 'kubernetes');
  const ip = (kube?.spec as { clusterIP?: string } | undefined)?.clusterIP ?? '';
  const vars: [string, string][] = [
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', pod.name],
    ...(pod.pod.spec?.containers[0]?.env ?? []).map((e): [string, string] => [e.name, e.value ?? '']),
    ['KUBERNETES_SERVICE_HOST', ip],
    ['KUBERNETES_SERVICE_PORT', '443'],
    ['KUBERNETES_PORT', `tcp://${ip}:443`],
    ['HOME', '/root'],
  ];
  return vars.map(([k, v]) => `${k}=${v}\n`).join('');
}

/** Runs one command in the pod (not through a shell). */
function inPod(ctx: Ctx, pod: WorkloadInfo, cmd: string[]): CommandResult {
  const [bin, ...args] = cmd;
  const name = bin!.split('/').pop()!;
  const files = ctx.s.podFiles.get(`${ctx.context}/${pod.namespace}/${pod.name}`);
  switch (name) {
    case 'curl':
      return curlFromPod(ctx.s, ctx.context, pod, args);
    case 'echo': {
      const noNewline = args[0] === '-n';
      return { stdout: `${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`, stderr: '', exitCode: 0 };
    }
    case 'hostname':
      return { stdout: `${pod.name}\n`, stderr: '', exitCode: 0 };
    case 'env':
    case 'printenv':
      return { stdout: podEnv(ctx, pod), stderr: '', exitCode: 0 };
    case 'true':
      return { stdout: '', stderr: '', exitCode: 0 };
    case 'false':
      return { stdout: '', stderr: '', exitCode: 1 };
    case 'sleep': {
      const ms = sleepMs(args);
      if (typeof ms === 'string') return { stdout: '', stderr: `${ms}\n`, exitCode: 1 };
      ctx.s.advance(ms);
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    case 'cat': {
      let out = '';
      for (const f of args) {
        const content = f === '/etc/hostname' ? `${pod.name}\n` : files?.get(f);
        if (content === undefined) return { stdout: out, stderr: `cat: ${f}: No such file or directory\n`, exitCode: 1 };
        out += content;
      }
      return { stdout: out, stderr: '', exitCode: 0 };
    }
    default:
      return {
        stdout: '',
        stderr: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${bin}": executable file not found in $PATH: unknown\n`,
        exitCode: 126,
      };
  }
}

export function runExec(s: LabSession, argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(s, argv, EXEC_FLAGS, cwd);
  const target = ctx.p.args[0];
  if (!target) throw new KubectlError("error: expected 'exec (POD | TYPE/NAME) -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command\nSee 'kubectl exec -h' for help and examples");
  if (ctx.p.args.length > 1 || !ctx.p.rest) {
    throw new KubectlError('error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee \'kubectl exec -h\' for help and examples');
  }
  if (!ctx.p.rest.length) throw new KubectlError("error: you must specify at least one command for the container");
  const pod = resolvePod(ctx, target);
  const container = ctx.p.flags.get('container');
  const containers = pod.pod.spec?.containers.map((c) => c.name) ?? [];
  if (container && !containers.includes(container)) throw new KubectlError(`error: unable to upgrade connection: container not found ("${container}")`);
  const cmd = ctx.p.rest;
  let result: CommandResult;
  if (SHELLS.has(cmd[0]!) && cmd[1] === '-c' && cmd.length >= 3) {
    return { stdout: '', stderr: '', exitCode: 0, delegate: { pod: `${ctx.context}/${pod.namespace}/${pod.name}`, argv: ['/bin/sh', ...cmd.slice(1)] } };
  }
  result = inPod(ctx, pod, cmd);
  if (result.exitCode !== 0) result = { ...result, stderr: `${result.stderr}command terminated with exit code ${result.exitCode}\n` };
  return result;
}
