// `meshsim sweep SCENARIO --seeds 1..32 [--set PATH=V1,V2 ...] [--workers N] [--no-exec] [--html FILE] [-o text|json]`:
// replications on this thread and worker threads, merged per parameter combination and step.
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { formatDiagnostic, scenarioFiles } from '../scenario';
import { readText } from '../scenario/source-files';
import { combinationCount, parseSeeds, parseSet, renderSweepText, runSweep, sweepProblems, type SetParam } from '../sweep';
import { ExitCode } from './exit-codes';
import { outputFileProblems, writeSerialized, writeFileAtomic } from './output';
import { renderSweepHtml } from '../report/html';
import { count, duration, peakRss } from './stats-text';

interface SweepFlags {
  seeds: string;
  set: string[];
  workers?: string;
  output: 'text' | 'json';
  exec: boolean;
  html?: string;
  stats?: boolean;
}

const collect = (v: string, acc: string[]): string[] => [...acc, v];

export function registerSweep(program: Command, setExit: (code: number) => void): void {
  program
    .command('sweep')
    .description('run a scenario over many seeds and parameter values, one thread per core; report means with 95% intervals')
    .argument('<scenario>', 'scenario file, or a folder holding one')
    .option('--seeds <list>', 'seeds: LOW..HIGH ranges and integers, comma-separated', '1..10')
    .option('--set <path=values>', 'vary spec.PATH over comma-separated values, e.g. latency.waypoint.workers=1,2,4 (short for latency.proxies.waypoint.workers; repeatable; combinations are crossed)', collect, [])
    .option('--workers <n>', "threads playing replications, meshsim's own included (default: available cores; 1 starts no worker thread)")
    .option('--no-exec', 'skip run: steps (they execute shell scripts); the steps after them miss what they change')
    .option('--html <file>', 'write the visual report: each step\'s combinations side by side, latency percentiles with their 95% intervals')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--stats', 'print on stderr how the replications were shared among the threads, the wall-clock and CPU time they took, and the peak RSS')
    .action(async (path: string, flags: SweepFlags) => {
      setExit(await sweepCommand(path, flags));
    });
}

function fail(messages: readonly string[]): number {
  for (const m of messages) process.stderr.write(`${m}\n`);
  return ExitCode.invalidInput;
}

/** The one scenario a path names and its text (a folder must hold exactly one, as `run` would find it). */
function scenarioSource(path: string): { file: string; text: string } | { error: string } {
  const found = scenarioFiles(path);
  if ('error' in found) return { error: formatDiagnostic(found.error) };
  if (found.files.length > 1) return { error: `${path}: holds ${found.files.length} scenarios (${found.files.join(', ')}); a sweep takes one, name its file` };
  const file = found.files[0]!;
  const read = readText(file);
  return 'error' in read ? { error: `${file}: ${read.error}` } : { file, text: read.text };
}

/** The lines `sweep --stats` prints: who played what, and what it cost in wall-clock and CPU time. */
export function sweepStats(playedBy: readonly number[], wallMs: number, cpu: NodeJS.CpuUsage): string {
  const total = playedBy.reduce((a, b) => a + b, 0);
  const workers = playedBy.slice(1);
  const shares = workers.length === 0 ? 'all on this thread' : `this thread played ${playedBy[0]}, the worker thread${workers.length === 1 ? '' : 's'} ${workers.join(', ')}`;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return [
    `stats: ${count(total, 'replication')} on ${count(playedBy.length, 'thread')} in ${duration(wallMs)}: ${shares}`,
    `  CPU ${duration(cpuMs)} in all (V8's compiler and garbage collector threads included): ${(cpuMs / wallMs).toFixed(2)} cores busy on average`,
    `  ${peakRss()}`,
    '',
  ].join('\n');
}

async function sweepCommand(path: string, flags: SweepFlags): Promise<number> {
  const errors: string[] = [];
  const seeds = parseSeeds(flags.seeds);
  if (!seeds.ok) errors.push(`meshsim sweep: ${seeds.message}`);
  const params: SetParam[] = [];
  for (const s of flags.set) {
    const p = parseSet(s);
    if (p.ok) params.push(p.value);
    else errors.push(`meshsim sweep: ${p.message}`);
  }
  if (seeds.ok && params.length === flags.set.length) errors.push(...sweepProblems(seeds.value.length, params).map((m) => `meshsim sweep: ${m}`));
  let workers = availableParallelism();
  if (flags.workers !== undefined) {
    workers = Number(flags.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 256) errors.push(`meshsim sweep: --workers must be an integer from 1 to 256, got ${JSON.stringify(flags.workers)}`);
  }
  const scenario = scenarioSource(path);
  if ('error' in scenario) errors.push(scenario.error);
  errors.push(...outputFileProblems('meshsim sweep', { html: flags.html }));
  if (errors.length || !seeds.ok || 'error' in scenario) return fail(errors);

  const total = seeds.value.length * combinationCount(params);
  const bar = process.stderr.isTTY ? new SingleBar({ stream: process.stderr, format: 'sweep [{bar}] {value}/{total} runs | {eta_formatted} left', hideCursor: true, clearOnComplete: true }) : undefined;
  bar?.start(total, 0);
  let outcome;
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    outcome = await runSweep({ file: scenario.file, text: scenario.text, seeds: seeds.value, params, workers, exec: flags.exec, onProgress: (done) => bar?.update(done) });
  } finally {
    bar?.stop();
  }
  if (!outcome.ok) return fail(outcome.errors);
  if (flags.stats) process.stderr.write(sweepStats(outcome.playedBy, performance.now() - started, process.cpuUsage(cpu)));
  if (flags.html) writeFileAtomic(flags.html, renderSweepHtml(outcome.result));
  if (flags.output === 'json') writeSerialized(outcome.result, 'json');
  else process.stdout.write(renderSweepText(outcome.result));
  return outcome.result.passed ? ExitCode.ok : ExitCode.failed;
}
