// Plays a `run:` step: the script runs in the real /bin/bash with the lab's kubectl, istioctl and
// sleep first on PATH (sleep advances simulated time at once; every kubectl/istioctl call takes
// COMMAND_TICK_MS of simulated time). Its output and exit code are checked against `expect`, and
// every request curl sent from `kubectl exec` is recorded like a request step's.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LabSession } from '../lab/session';
import { startLabServer } from '../lab/server';
import type { RunExpect, RunStep } from '../scenario';
import type { StepResult } from '../result/types';
import { round3 } from './latency';
import { RECORD_LIMIT } from './request-step';
import { SummaryBuilder } from './summary';
import type { World } from './world';

/** Wall-clock limit of one script, so no script can hang a run. */
export const RUN_STEP_WALL_LIMIT_MS = 300_000;

interface Ran {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function runScript(script: string, cwd: string, env: NodeJS.ProcessEnv, wallLimitMs = RUN_STEP_WALL_LIMIT_MS): Promise<Ran> {
  return new Promise((resolvePromise) => {
    const child = spawn('/bin/bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, wallLimitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8') + (timedOut ? `meshsim: the script was stopped after ${wallLimitMs / 1000}s of wall-clock time\n` : '');
      resolvePromise({ stdout: Buffer.concat(out).toString('utf8'), stderr, exitCode: code ?? (signal ? 128 + 9 : 1) });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolvePromise({ stdout: '', stderr: `meshsim: cannot run /bin/bash: ${e.message}\n`, exitCode: 127 });
    });
  });
}

function shown(text: string): string {
  return text === '' ? '(nothing)' : JSON.stringify(text.length > 2000 ? `${text.slice(0, 2000)}...` : text);
}

/** The failures of a run step's expectations, each showing what was printed. */
export function checkRunExpect(expect: RunExpect, ran: Ran): string[] {
  const failures: string[] = [];
  const wantCode = expect.exitCode ?? 0;
  if (ran.exitCode !== wantCode) failures.push(`exit code ${ran.exitCode}, expected ${wantCode}; stdout: ${shown(ran.stdout)}; stderr: ${shown(ran.stderr)}`);
  if (expect.stdout !== undefined && ran.stdout !== expect.stdout && ran.stdout !== `${expect.stdout}\n`) {
    failures.push(`stdout was ${shown(ran.stdout)}, expected ${shown(expect.stdout)}`);
  }
  for (const s of expect.stdoutContains ?? []) if (!ran.stdout.includes(s)) failures.push(`stdout does not contain ${JSON.stringify(s)}; stdout: ${shown(ran.stdout)}`);
  if (expect.stderr !== undefined && ran.stderr !== expect.stderr && ran.stderr !== `${expect.stderr}\n`) {
    failures.push(`stderr was ${shown(ran.stderr)}, expected ${shown(expect.stderr)}`);
  }
  for (const s of expect.stderrContains ?? []) if (!ran.stderr.includes(s)) failures.push(`stderr does not contain ${JSON.stringify(s)}; stderr: ${shown(ran.stderr)}`);
  return failures;
}

export async function runRunStep(world: World, step: RunStep): Promise<StepResult> {
  const startMs = world.now;
  const session = new LabSession(world, { context: step.cluster, label: `step/${step.name}` });
  const server = await startLabServer(session);
  let ran: Ran;
  try {
    // Relative paths in a script are relative to the scenario file (inline scenarios: the current directory).
    const dir = dirname(resolve(world.scenario.file));
    const cwd = existsSync(dir) ? dir : process.cwd();
    ran = await runScript(step.script, cwd, { ...process.env, ...world.scenario.env, ...server.env });
  } finally {
    await server.close();
  }
  const failures = checkRunExpect(step.expect, ran);
  const result: StepResult = {
    name: step.name,
    type: 'run',
    passed: failures.length === 0,
    failures,
    startMs: round3(startMs),
    endMs: round3(world.now),
    stdout: ran.stdout,
    stderr: ran.stderr,
    exitCode: ran.exitCode,
  };
  if (session.requests.length) {
    const summary = new SummaryBuilder();
    for (const r of session.requests) summary.add(r);
    result.summary = summary.build();
    result.requests = session.requests.slice(0, RECORD_LIMIT);
    if (session.requests.length > RECORD_LIMIT) result.sampled = true;
  }
  return result;
}
