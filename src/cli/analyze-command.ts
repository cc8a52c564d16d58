// `meshsim analyze -f MANIFESTS...`: offline diagnostics with Istio's IST codes where Istio has the
// check and meshsim's MSH codes otherwise. Exit 0 when clean, 79 (istioctl's code) when a finding
// reaches the failure threshold (Error by default), 2 for invalid input.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { analyzeObjects, exceedsThreshold, formatFindings, formatFindingsLog, messageType, parseSuppression, type Level, type Suppression } from '../analyze';
import { formatDiagnostic, hasErrors, loadManifests, sortDiagnostics } from '../scenario';
import { ExitCode } from './exit-codes';
import { useColor } from './output';

export interface AnalyzeFlags {
  filename?: string[];
  output?: 'log' | 'json' | 'yaml';
  suppress?: string[];
  failureThreshold?: string;
  color?: boolean;
}

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** What `-f -` reads. */
  stdin?: () => string;
}

const LEVELS: Level[] = ['Info', 'Warning', 'Error'];

function parseLevel(text: string): Level | undefined {
  return LEVELS.find((l) => l.toLowerCase() === text.toLowerCase());
}

/** Runs the analysis on the given manifest paths and returns the exit code. */
export function analyzeCommand(paths: readonly string[], flags: AnalyzeFlags, io: CommandIO): number {
  const fail = (message: string) => {
    io.stderr(`meshsim analyze: ${message}\n`);
    return ExitCode.invalidInput;
  };
  const all = [...(flags.filename ?? []), ...paths];
  if (all.length === 0) return fail('no manifests given (use -f FILE_OR_FOLDER, or -f - for standard input)');
  const threshold = flags.failureThreshold === undefined ? 'Error' : parseLevel(flags.failureThreshold);
  if (!threshold) return fail(`--failure-threshold must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(flags.failureThreshold)}`);
  const suppress: Suppression[] = [];
  for (const s of flags.suppress ?? []) {
    const parsed = parseSuppression(s);
    if (!parsed) return fail(`${s} is not a valid suppression value: expected CODE=Kind namespace/name (for example IST0102=Namespace default, MSH0014=Gateway *)`);
    if (!messageType(parsed.code)) io.stderr(`Warning: Supplied message code '${parsed.code}' is an unknown message code and will not have any effect.\n`);
    suppress.push(parsed);
  }
  const stdin = all.includes('-') && io.stdin ? io.stdin() : undefined;
  const loaded = loadManifests(all, stdin === undefined ? {} : { stdin });
  const diagnostics = sortDiagnostics(loaded.diagnostics);
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  if (hasErrors(diagnostics)) return ExitCode.invalidInput;

  const findings = analyzeObjects(loaded.resources, { suppress });
  const output = flags.output ?? 'log';
  if (output === 'log') {
    const text = formatFindingsLog(findings, 'default', { columns: true, color: flags.color === true, files: all });
    // Like istioctl, the "no issues" line goes to stderr so stdout stays empty.
    if (findings.length === 0) io.stderr(text);
    else io.stdout(text);
  } else {
    io.stdout(formatFindings(findings, output));
  }
  return exceedsThreshold(findings, threshold) ? ExitCode.analyzeFindings : ExitCode.ok;
}

export function registerAnalyze(program: Command, setExit: (code: number) => void): void {
  program
    .command('analyze')
    .description('offline diagnostics of manifests (Istio IST codes where they exist, meshsim MSH codes otherwise)')
    .argument('[paths...]', 'more manifest files or folders')
    .option('-f, --filename <paths...>', 'manifest files or folders (recursive); - reads standard input')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['log', 'json', 'yaml']).default('log'))
    .option('-S, --suppress <CODE=RESOURCE>', 'suppress a code on a resource, e.g. "IST0102=Namespace default" (* globs; repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--failure-threshold <level>', 'lowest level that makes the exit code 79: Info, Warning or Error (default Error)')
    .action((paths: string[], flags: AnalyzeFlags) => {
      setExit(
        analyzeCommand(paths, { ...flags, color: useColor(process.stdout) }, {
          stdout: (t) => process.stdout.write(t),
          stderr: (t) => process.stderr.write(t),
          stdin: () => readFileSync(0, 'utf8'),
        }),
      );
    });
}
