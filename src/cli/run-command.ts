// `meshsim run PATH`: plays scenario files and reports every step.
import { Option, type Command } from 'commander';
import { MetricsCollector, renderJUnit, renderOtlpTraces, renderText } from '../report';
import { renderHtml } from '../report/html';
import type { RunResult } from '../result/types';
import { RESULT_API_VERSION } from '../result/types';
import { runScenario, ScenarioInputError } from '../run';
import { RECORD_LIMIT } from '../run/request-step';
import { hasErrors, loadScenarios, sortDiagnostics } from '../scenario';
import { ExitCode } from './exit-codes';
import { printLatencyProfile } from './latency-profile';
import { StepProgress } from './progress';
import { RunStats } from './run-stats';
import type { World } from '../run/world';
import { outputFileProblems, printDiagnostics, writeSerialized, useColor, writeFileAtomic, type OutputFormat } from './output';

interface RunFlags {
  output: OutputFormat;
  seed?: string;
  exec: boolean;
  html?: string;
  junit?: string;
  trace?: string;
  metrics?: string;
  latencyProfile?: boolean;
  stats?: boolean;
  keep?: string;
}


export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run a scenario file (or every scenario in a folder) and report every step')
    .argument('<path>', 'scenario file or folder')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .option('--seed <n>', 'override the scenario seed')
    .option('--no-exec', 'skip run: steps (they execute shell scripts)')
    .option('--latency-profile', 'print the latency model in force (defaults with spec.latency applied) and exit')
    .option('--html <file>', 'write the visual report')
    .option('--junit <file>', 'write JUnit XML (one testcase per step)')
    .option('--trace <file>', 'write OTLP JSON traces')
    .option('--metrics <file>', 'write Prometheus metrics')
    .option('--keep <n>', `requests each request step keeps in full in the result (default ${RECORD_LIMIT}); its summary and expectations count them all`)
    .option('--stats', 'print on stderr where the time and memory went: load, play, heap per pod')
    .action(async (path: string, flags: RunFlags) => {
      setExit(await runCommand(path, flags));
    });
}

async function runCommand(path: string, flags: RunFlags): Promise<number> {
  // Every problem with the flags is reported at once, before anything runs.
  const problems: string[] = [];
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seed !== undefined && !Number.isInteger(seed)) problems.push(`meshsim run: --seed must be an integer, got ${JSON.stringify(flags.seed)}`);
  const records = flags.keep === undefined ? undefined : Number(flags.keep);
  if (records !== undefined && !(Number.isInteger(records) && records >= 0)) problems.push(`meshsim run: --keep must be a whole number of requests, got ${JSON.stringify(flags.keep)}`);
  problems.push(...outputFileProblems('meshsim run', { html: flags.html, junit: flags.junit, trace: flags.trace, metrics: flags.metrics }));
  if (problems.length) {
    for (const m of problems) process.stderr.write(`${m}\n`);
    return ExitCode.invalidInput;
  }
  const stats = flags.stats ? new RunStats() : undefined;
  const loaded = loadScenarios(path);
  stats?.parsed(loaded.scenarios.length);
  const diagnostics = sortDiagnostics(loaded.diagnostics);
  if (hasErrors(diagnostics)) {
    printDiagnostics(diagnostics);
    return ExitCode.invalidInput;
  }
  printDiagnostics(diagnostics); // warnings
  if (flags.latencyProfile) {
    try {
      for (const scenario of loaded.scenarios) printLatencyProfile(scenario);
    } catch (e) {
      if (e instanceof ScenarioInputError) {
        printDiagnostics(e.diagnostics);
        return ExitCode.invalidInput;
      }
      throw e;
    }
    return ExitCode.ok;
  }
  const results: RunResult[] = [];
  // Counted as the runs play: the result keeps only the first requests of a large step.
  const metrics = flags.metrics ? new MetricsCollector() : undefined;
  for (const scenario of loaded.scenarios) {
    try {
      const progress = new StepProgress(scenario.name);
      try {
        const run = (onLoaded?: (world: World) => void) => runScenario(scenario, { seed, records, noExec: !flags.exec, onStep: (done, total, name) => progress.update(done, total, name), onLoaded, onRequest: metrics?.add });
        results.push(await (stats ? stats.around(run) : run()));
      } finally {
        progress.stop();
      }
    } catch (e) {
      if (e instanceof ScenarioInputError) {
        printDiagnostics(e.diagnostics);
        return ExitCode.invalidInput;
      }
      throw e;
    }
  }
  // Files are written whole or not at all, and only after every scenario ran.
  if (flags.junit) writeFileAtomic(flags.junit, renderJUnit(results));
  if (flags.trace) writeFileAtomic(flags.trace, `${JSON.stringify(renderOtlpTraces(results, { startTimeUnixMs: loaded.scenarios[0]?.startTime }))}\n`);
  if (flags.metrics && metrics) writeFileAtomic(flags.metrics, metrics.render());
  if (flags.html) writeFileAtomic(flags.html, renderHtml(results.length === 1 ? results[0]! : results));
  if (flags.output === 'text') {
    const color = useColor(process.stdout);
    process.stdout.write(results.map((r) => renderText(r, { color })).join('\n'));
  } else {
    const value = results.length === 1 ? results[0] : { apiVersion: RESULT_API_VERSION, kind: 'RunResultList', items: results };
    writeSerialized(value, flags.output);
  }
  if (stats) process.stderr.write(stats.render());
  return results.every((r) => r.passed) ? ExitCode.ok : ExitCode.failed;
}
