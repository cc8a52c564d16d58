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
  /**
   * How many characters of stderr were written before anything on stdout (curl -v's trace before
   * the body); a terminal shows them above the output. Unset: all of stderr came after.
   */
  stderrLead?: number;
  /** Run this argv in a local shell inside the pod's context (kubectl exec ... -- sh -c ...). */
  delegate?: { pod: string; argv: string[] };
}

/** stderr split where stdout began: what a terminal shows above the output, and below it. */
export function stderrAround(r: CommandResult): [before: string, after: string] {
  const lead = r.stderrLead ?? 0;
  return [r.stderr.slice(0, lead), r.stderr.slice(lead)];
}

export function ok(stdout = '', stderr = ''): CommandResult {
  return { stdout, stderr, exitCode: 0 };
}

export function fail(stderr: string, exitCode = 1, stdout = ''): CommandResult {
  return { stdout, stderr: stderr.endsWith('\n') || stderr === '' ? stderr : `${stderr}\n`, exitCode };
}
