// `meshsim diff A [B] [--before STEP] [--after STEP]`: the same traffic against two states of a mesh
// (two scenario files, or one scenario before and after named steps), listing the flows whose
// outcome, path or deciding rule changed. Exit 0 when none changed, 1 when some did, 2 invalid input.
import { Option, type Command } from 'commander';
import { diffVariants, flowsOfSteps, playScenario, probeFlows, stepNames, type DiffResult, type Flow } from '../explain';
import { renderDiffText } from '../report/explain-text';
import { ScenarioInputError } from '../run';
import { hasErrors, loadScenario, sortDiagnostics, type Scenario } from '../scenario';
import { ExitCode } from './exit-codes';
import { printDiagnostics, writeSerialized, useColor, type OutputFormat } from './output';

interface DiffFlags {
  before?: string;
  after?: string;
  traffic: 'auto' | 'steps' | 'probe';
  methods: string;
  seed?: string;
  output: OutputFormat;
  exec: boolean;
}

function fail(message: string): number {
  process.stderr.write(`meshsim diff: ${message}\n`);
  return ExitCode.invalidInput;
}

function load(path: string): Scenario | undefined {
  const loaded = loadScenario(path);
  const diagnostics = sortDiagnostics(loaded.diagnostics);
  printDiagnostics(diagnostics);
  return hasErrors(diagnostics) ? undefined : loaded.scenario;
}

export function registerDiff(program: Command, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('send the same traffic through two variants of a mesh and list the flows whose outcome, path or deciding rule changed')
    .argument('<a>', 'scenario file (the "before" variant)')
    .argument('[b]', 'scenario file (the "after" variant); omit it to compare A before/after named steps')
    .option('--before <step>', 'with one scenario: the state just before this step')
    .option('--after <step>', 'with one scenario: the state just after this step')
    .addOption(new Option('--traffic <source>', "the request steps of the scenarios, a probe matrix (every client x every Service port), or 'auto' (steps when there are any)").choices(['auto', 'steps', 'probe']).default('auto'))
    .option('--methods <list>', 'methods for the probe matrix, comma-separated', 'GET')
    .option('--seed <n>', 'overrides the scenarios\' seed')
    .option('--no-exec', 'skip run: steps (they execute shell scripts); what they change is then missing from the compared states')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .action(async (a: string, b: string | undefined, flags: DiffFlags) => setExit(await diffCommand(a, b, flags)));
}

async function diffCommand(pathA: string, pathB: string | undefined, flags: DiffFlags): Promise<number> {
  if (pathB !== undefined && (flags.before !== undefined || flags.after !== undefined)) return fail('--before/--after compare steps of one scenario; give either two scenarios or one scenario with --before/--after');
  if (pathB === undefined && flags.before === undefined && flags.after === undefined) return fail('give a second scenario, or --before STEP and/or --after STEP');
  const seedOverride = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seedOverride !== undefined && !Number.isInteger(seedOverride)) return fail(`--seed must be an integer, got ${JSON.stringify(flags.seed)}`);
  const methods = flags.methods.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean);
  if (methods.length === 0 || methods.some((m) => !/^[A-Z]+$/.test(m))) return fail(`--methods must be a comma-separated list of HTTP methods, got ${JSON.stringify(flags.methods)}`);
  const a = load(pathA);
  const b = pathB === undefined ? a : load(pathB);
  if (!a || !b) return ExitCode.invalidInput;
  const names = stepNames(a);
  for (const s of [flags.before, flags.after]) if (s !== undefined && !names.includes(s)) return fail(`scenario ${a.name} has no step named ${JSON.stringify(s)} (steps: ${names.map((n) => JSON.stringify(n)).join(', ')})`);
  const seed = seedOverride ?? a.seed;
  let result: DiffResult;
  try {
    const single = pathB === undefined;
    // One scenario: before STEP vs after STEP (either defaults to the other, i.e. that one step's effect).
    const before = await playScenario(a, { seed, exec: flags.exec, ...(single ? { before: flags.before ?? flags.after } : {}) });
    const after = await playScenario(b, { seed, exec: flags.exec, ...(single ? { after: flags.after ?? flags.before } : {}) });
    for (const n of new Set([...before.notices, ...after.notices])) process.stderr.write(`meshsim diff: ${n}\n`);
    const stepFlows: Flow[] = single ? flowsOfSteps(a) : [...flowsOfSteps(a), ...flowsOfSteps(b)];
    const useSteps = flags.traffic === 'steps' || (flags.traffic === 'auto' && stepFlows.length > 0);
    const flows = useSteps ? stepFlows : [...probeFlows(before.world, methods), ...probeFlows(after.world, methods)];
    if (flows.length === 0) return fail('no traffic to compare: the scenarios have no request steps and no client workloads to probe from');
    result = diffVariants({ before: before.world, after: after.world, flows, seed });
  } catch (e) {
    if (e instanceof ScenarioInputError) {
      printDiagnostics(e.diagnostics);
      return ExitCode.invalidInput;
    }
    throw e;
  }
  if (flags.output === 'text') process.stdout.write(renderDiffText(result, { color: useColor(process.stdout) }));
  else writeSerialized(result, flags.output);
  return result.changes.length === 0 ? ExitCode.ok : ExitCode.failed;
}
