// One command run inside a lab (a kubectl, istioctl, curl or sleep call from a script) and its answer.

export interface Invocation {
  tool: string;
  args: string[];
  cwd: string;
  /** Standard input, when the command reads it (`apply -f -`). */
  stdin?: string;
  /** `namespace/pod` when the command runs inside a pod (curl within `kubectl exec ... sh -c`). */
  pod?: string;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Run this argv in a local shell inside the pod's context (kubectl exec ... -- sh -c ...). */
  delegate?: { pod: string; argv: string[] };
}

export function ok(stdout = '', stderr = ''): CommandResult {
  return { stdout, stderr, exitCode: 0 };
}

export function fail(stderr: string, exitCode = 1, stdout = ''): CommandResult {
  return { stdout, stderr: stderr.endsWith('\n') || stderr === '' ? stderr : `${stderr}\n`, exitCode };
}
