// `kubectl config use-context|current-context|get-contexts` (one context per simulated cluster)
// and `kubectl version`.
import { toKubeJson, toKubeYaml } from '../text/serialize';
import { formatTable } from '../text/table';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { KubectlError, parseCommand } from './common';
import { KUBE_VERSION } from './get';

const KUSTOMIZE_VERSION = 'v5.6.0';

export function runConfig(s: LabSession, argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(s, argv, [{ name: 'output', short: 'o', value: true }, { name: 'minify' }], cwd);
  const [sub, ...rest] = ctx.p.args;
  switch (sub) {
    case 'current-context':
      return { stdout: `${s.context}\n`, stderr: '', exitCode: 0 };
    case 'use-context':
    case 'use': {
      const name = rest[0];
      if (!name) throw new KubectlError("error: Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples");
      if (!s.clusterOf(name)) throw new KubectlError(`error: no context exists with the name: "${name}"`);
      s.context = name;
      return { stdout: `Switched to context "${name}".\n`, stderr: '', exitCode: 0 };
    }
    case 'get-contexts': {
      const names = rest.length ? rest : s.contexts;
      for (const n of names) if (!s.clusterOf(n)) throw new KubectlError(`error: context ${n} not found`);
      if (ctx.p.flags.get('output') === 'name') return { stdout: names.map((n) => `${n}\n`).join(''), stderr: '', exitCode: 0 };
      const rows = [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], ...names.map((n) => [n === s.context ? '*' : '', n, n, n, ''])];
      return { stdout: formatTable(rows), stderr: '', exitCode: 0 };
    }
    default:
      throw new KubectlError(sub ? `error: unknown command "${sub}" for "kubectl config"` : 'error: a subcommand is required: current-context, get-contexts, use-context');
  }
}

export function runVersion(s: LabSession, argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(s, argv, [{ name: 'output', short: 'o', value: true }, { name: 'client' }], cwd);
  const client = ctx.p.flags.has('client');
  const info = (v: string) => ({ major: '1', minor: v.split('.')[1]!, gitVersion: v, platform: 'linux/amd64' });
  const out = ctx.p.flags.get('output');
  const data = { clientVersion: info(KUBE_VERSION), kustomizeVersion: KUSTOMIZE_VERSION, ...(client ? {} : { serverVersion: info(KUBE_VERSION) }) };
  if (out === 'json') return { stdout: toKubeJson(data), stderr: '', exitCode: 0 };
  if (out === 'yaml') return { stdout: toKubeYaml(data), stderr: '', exitCode: 0 };
  if (out) throw new KubectlError(`error: --output must be 'yaml' or 'json'`);
  return { stdout: `Client Version: ${KUBE_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n${client ? '' : `Server Version: ${KUBE_VERSION}\n`}`, stderr: '', exitCode: 0 };
}
