// `meshsim kubectl|istioctl ...` and `meshsim shell SCENARIO`. Inside a lab (a run step or a shell,
// which export MESHSIM_LAB) the commands talk to it; otherwise they build the scenario given by
// --scenario (or MESHSIM_SCENARIO) afresh, run the one command and print its answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stderrAround, type CommandResult, type Invocation } from '../lab/invocation';
import { LAB_ENV, startLabServer } from '../lab/server';
import { LabSession } from '../lab/session';
import { applyInitialResources } from '../run/config-steps';
import { ScenarioInputError, World } from '../run';
import { hasErrors, loadScenario, type Scenario } from '../scenario';
import { ExitCode } from './exit-codes';
import { printDiagnostics } from './output';

type SetExit = (code: number) => void;

/** Sends one invocation to a running lab (`port:token:dir`); null when it cannot be reached. */
function callLab(lab: string, inv: Invocation, stdinPath: string): Promise<CommandResult> {
  const [port, token] = lab.split(':');
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('connect', () => {
      const fields = [token!, inv.tool, inv.cwd, inv.pod ?? '', stdinPath, String(inv.args.length), ...inv.args];
      sock.write(fields.map((f) => `${f}\0`).join(''));
    });
    sock.on('data', (b) => chunks.push(b));
    sock.on('error', reject);
    sock.on('end', () => {
      const buf = Buffer.concat(chunks);
      const nl = buf.indexOf(10);
      const [kind, a, b, c] = buf.subarray(0, nl).toString('utf8').split(' ');
      if (kind === 'D') {
        const argv = buf.subarray(nl + 1).toString('utf8').split('\0').slice(0, -1);
        resolve({ stdout: '', stderr: '', exitCode: 0, delegate: { pod: a!, argv } });
        return;
      }
      const before = c && c !== '-' ? requireText(c) : '';
      const after = b && b !== '-' ? requireText(b) : '';
      resolve({ stdout: buf.subarray(nl + 1).toString('utf8'), stderr: before + after, exitCode: Number(a), ...(before ? { stderrLead: before.length } : {}) });
    });
  });
}

function requireText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function loadOrReport(file: string, setExit: SetExit): Scenario | undefined {
  const loaded = loadScenario(file);
  if (hasErrors(loaded.diagnostics) || !loaded.scenario) {
    printDiagnostics(loaded.diagnostics);
    setExit(ExitCode.invalidInput);
    return undefined;
  }
  return loaded.scenario;
}

/** A fresh session on the scenario's initial state, or undefined after reporting its input errors (exit 2). */
function sessionOrReport(scenario: Scenario, setExit: SetExit): LabSession | undefined {
  try {
    return freshSession(scenario);
  } catch (e) {
    if (!(e instanceof ScenarioInputError)) throw e;
    printDiagnostics(e.diagnostics);
    setExit(ExitCode.invalidInput);
    return undefined;
  }
}

function freshSession(scenario: Scenario): LabSession {
  const world = new World(scenario, scenario.seed);
  applyInitialResources(world);
  return new LabSession(world, { context: scenario.clusters[0]!.name });
}

/** `--scenario FILE` / `--scenario=FILE` taken out of a tool's arguments. */
function takeScenario(args: string[]): { file?: string; rest: string[] } {
  const rest: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (a === '--scenario') file = args[++i];
    else if (a.startsWith('--scenario=')) file = a.slice(11);
    else rest.push(a);
  }
  return { file: file ?? process.env.MESHSIM_SCENARIO, rest };
}

async function readStdin(args: string[]): Promise<string | undefined> {
  if (!args.some((a) => a === '-' || a === '-f-' || a === '--filename=-')) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs a delegated `sh -c` from a pod: a local shell whose curl and hostname act from that pod. */
function runDelegate(labDir: string, labEnv: Record<string, string>, d: NonNullable<CommandResult['delegate']>): Promise<number> {
  const child = spawn(d.argv[0]!, d.argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ...labEnv, PATH: `${join(labDir, 'pod')}:${labEnv.PATH ?? process.env.PATH}`, MESHSIM_LAB_POD: d.pod },
  });
  return exitOf(child);
}

async function runTool(tool: string, raw: string[], setExit: SetExit): Promise<void> {
  const { file, rest } = takeScenario(raw);
  const stdin = await readStdin(rest);
  const inv: Invocation = { tool, args: rest, cwd: process.cwd(), ...(stdin === undefined ? {} : { stdin }) };
  const lab = process.env[LAB_ENV];
  let res: CommandResult;
  let labDir: string | undefined;
  let labEnv: Record<string, string> = {};
  let close: (() => Promise<void>) | undefined;
  if (lab) {
    labDir = lab.split(':').slice(2).join(':');
    let stdinPath = '-';
    if (stdin !== undefined) {
      stdinPath = join(labDir, 'io', `in.cli.${process.pid}`);
      writeFileSync(stdinPath, stdin);
    }
    res = await callLab(lab, inv, stdinPath).catch(() => ({ stdout: '', stderr: 'meshsim: the lab session has ended\n', exitCode: 1 }));
  } else {
    if (!file) {
      process.stderr.write(`meshsim ${tool}: not inside a lab; pass --scenario FILE (or set MESHSIM_SCENARIO)\n`);
      setExit(ExitCode.invalidInput);
      return;
    }
    const scenario = loadOrReport(file, setExit);
    const session = scenario && sessionOrReport(scenario, setExit);
    if (!session) return;
    res = session.handle(inv);
    if (res.delegate) {
      const server = await startLabServer(session);
      labDir = server.dir;
      labEnv = server.env;
      close = server.close;
    }
  }
  if (res.delegate && labDir) {
    const code = await runDelegate(labDir, labEnv, res.delegate);
    if (code !== 0) process.stderr.write(`command terminated with exit code ${code}\n`);
    await close?.();
    setExit(code);
    return;
  }
  const [before, after] = stderrAround(res);
  process.stderr.write(before);
  process.stdout.write(res.stdout);
  process.stderr.write(after);
  setExit(res.exitCode);
}

/** The rc file of `meshsim shell`: the user's prompt shows the current context. */
function rcFile(dir: string): string {
  const path = join(dir, 'rc');
  writeFileSync(
    path,
    `[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc
PS1='(meshsim $(kubectl config current-context 2>/dev/null)) \\$ '
echo "meshsim lab: kubectl and istioctl act on the simulated clusters; sleep advances simulated time. exit to leave."
`,
  );
  return path;
}

export async function runShell(file: string, setExit: SetExit): Promise<void> {
  const scenario = loadOrReport(file, setExit);
  const session = scenario && sessionOrReport(scenario, setExit);
  if (!scenario || !session) return;
  const server = await startLabServer(session);
  const child = spawn('/bin/bash', ['--rcfile', rcFile(server.dir), '-i'], { stdio: 'inherit', env: { ...process.env, ...scenario.env, ...server.env } });
  // An interactive bash ignores SIGTERM: a hang-up ends it whatever ended this process.
  const code = await exitOf(child, 'SIGHUP');
  await server.close();
  setExit(code);
}

/**
 * Waits for `child` to end and gives its exit code. A hang-up, kill or interrupt of this process
 * is passed on to it (as `as`, or as the same signal) and waited for, so the caller still removes
 * the lab's folder; the code is then 128 plus that signal's number, as a shell reports it.
 */
function exitOf(child: ChildProcess, as?: NodeJS.Signals): Promise<number> {
  let received: NodeJS.Signals | undefined;
  const pass = (signal: NodeJS.Signals) => {
    received ??= signal;
    child.kill(as ?? signal);
  };
  for (const s of ENDING) process.on(s, pass);
  return new Promise<number>((resolve) => {
    const done = (code: number) => {
      for (const s of ENDING) process.off(s, pass);
      resolve(received ? 128 + constants.signals[received] : code);
    };
    child.on('close', (c) => done(c ?? 1));
    child.on('error', () => done(127));
  });
}

const ENDING: NodeJS.Signals[] = ['SIGHUP', 'SIGTERM', 'SIGINT'];

/** The raw arguments after the command name (commander would eat `--`). */
function argsAfter(program: Command, name: string): string[] {
  const raw = (program as unknown as { rawArgs: string[] }).rawArgs;
  const i = raw.indexOf(name);
  return i < 0 ? [] : raw.slice(i + 1);
}

export function registerLab(program: Command, setExit: SetExit): void {
  for (const tool of ['kubectl', 'istioctl']) {
    program
      .command(tool)
      .description(`${tool} against a scenario's simulated clusters (lab mode; --scenario FILE outside a lab)`)
      .usage('[--scenario FILE] ARGS...')
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .helpOption(false)
      .action(async () => {
        await runTool(tool, argsAfter(program, tool), setExit);
      });
  }
  program
    .command('shell')
    .description('an interactive bash whose kubectl and istioctl act on the simulated clusters')
    .argument('<scenario>', 'scenario file')
    .action(async (file: string) => {
      await runShell(file, setExit);
    });
}
