// kubectl's command dispatch. Flags may come before the subcommand (`kubectl -n x get pods`).
import { fail, type CommandResult, type Invocation } from '../invocation';
import type { LabSession } from '../session';
import { runApply } from './apply';
import { toResult } from './common';
import { runConfig, runVersion } from './config';
import { runDescribe } from './describe';
import { runExec } from './exec';
import { runGet } from './get';
import { runLogs } from './logs';
import { runDelete, runLabel, runScale } from './mutate';
import { runPatch } from './patch';
import { runRollout, runWait } from './wait';

type Handler = (s: LabSession, argv: string[], inv: Invocation) => CommandResult;

const COMMANDS: Record<string, Handler> = {
  get: (s, a, i) => runGet(s, a, i.cwd),
  apply: (s, a, i) => runApply(s, a, i.cwd, i.stdin),
  create: (s, a, i) => runApply(s, a, i.cwd, i.stdin, 'create'),
  delete: (s, a, i) => runDelete(s, a, i.cwd, i.stdin),
  label: (s, a, i) => runLabel(s, a, i.cwd, 'labels'),
  annotate: (s, a, i) => runLabel(s, a, i.cwd, 'annotations'),
  scale: (s, a, i) => runScale(s, a, i.cwd),
  patch: (s, a, i) => runPatch(s, a, i.cwd, i.stdin),
  describe: (s, a, i) => runDescribe(s, a, i.cwd),
  exec: (s, a, i) => runExec(s, a, i.cwd),
  logs: (s, a, i) => runLogs(s, a, i.cwd),
  rollout: (s, a, i) => runRollout(s, a, i.cwd),
  wait: (s, a, i) => runWait(s, a, i.cwd),
  config: (s, a, i) => runConfig(s, a, i.cwd),
  version: (s, a, i) => runVersion(s, a, i.cwd),
  // A kind cluster has no metrics-server: kubectl's own answer then.
  top: () => fail('error: Metrics API not available'),
};

/** kubectl's other commands: real, so a learner copying them from a guide is told they are not emulated. */
const NOT_EMULATED = new Set([
  'alpha', 'api-resources', 'api-versions', 'attach', 'auth', 'autoscale', 'certificate', 'cluster-info', 'completion', 'cordon', 'cp', 'debug', 'diff',
  'drain', 'edit', 'explain', 'expose', 'kustomize', 'plugin', 'port-forward', 'proxy', 'replace', 'run', 'set', 'taint', 'uncordon',
]);

/** Global flags that take a value, so the subcommand can be found after them. */
const VALUE_GLOBALS = new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '--request-timeout', '-v', '-s', '--server']);

export function runKubectl(s: LabSession, inv: Invocation): CommandResult {
  const argv = inv.args;
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) i += VALUE_GLOBALS.has(argv[i]!) ? 2 : 1;
  const name = argv[i];
  if (name === undefined) {
    return { stdout: 'kubectl controls the Kubernetes cluster manager (meshsim lab emulation).\n\nUsage:\n  kubectl [flags] [options]\n', stderr: '', exitCode: 0 };
  }
  const handler = COMMANDS[name];
  if (!handler && NOT_EMULATED.has(name)) return fail(`error: meshsim does not emulate "kubectl ${name}"`);
  if (!handler) return fail(`error: unknown command "${name}" for "kubectl"\n\nRun 'kubectl --help' for usage.`);
  const rest = [...argv.slice(0, i), ...argv.slice(i + 1)];
  return toResult(() => handler(s, rest, inv));
}
