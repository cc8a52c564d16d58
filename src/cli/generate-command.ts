// `meshsim generate -o DIR`: writes a seeded synthetic scenario folder the user can run and edit.
import type { Command } from 'commander';
import { generateScenario, GenerateOptionsError, optionProblems, resolveOptions, writeScenarioFolder, type GenerateInput } from '../generate';
import { parseDuration } from '../scenario/duration';
import { ExitCode } from './exit-codes';

export interface GenerateFlags {
  output: string;
  force: boolean;
  singleFile: boolean;
  name?: string;
  seed?: string;
  clusters?: string;
  regions?: string;
  zones?: string;
  nodesPerZone?: string;
  namespaces?: string;
  services?: string;
  pods?: string;
  fanOut?: string;
  depth?: string;
  waypointFraction?: string;
  policiesPerService?: string;
  routesPerService?: string;
  rps?: string;
  duration?: string;
}

/** Numeric flags: flag key → the option it sets. Ranges are checked by the generator. */
const NUMBERS = {
  seed: 'seed',
  clusters: 'clusters',
  regions: 'regions',
  zones: 'zones',
  nodesPerZone: 'nodesPerZone',
  namespaces: 'namespaces',
  services: 'services',
  pods: 'pods',
  fanOut: 'fanOut',
  depth: 'depth',
  waypointFraction: 'waypointFraction',
  policiesPerService: 'policiesPerService',
  routesPerService: 'routesPerService',
  rps: 'rps',
} as const satisfies Partial<Record<keyof GenerateFlags, keyof GenerateInput>>;

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function registerGenerate(program: Command, setExit: (code: number) => void): void {
  program
    .command('generate')
    .description('write a seeded synthetic scenario folder (scenario.yaml, manifests/, README.md) to run and edit')
    .requiredOption('-o, --output <dir>', 'the folder to write')
    .option('--force', 'replace the folder if it is not empty', false)
    .option('--single-file', 'inline every manifest into scenario.yaml', false)
    .option('--seed <n>', 'seed of every random choice, and of the scenario (default 1)')
    .option('--name <name>', 'metadata.name of the scenario (default generated-seed-N)')
    .option('--clusters <n>', 'clusters, one network each, with east-west gateways (default 1)')
    .option('--regions <n>', 'regions the zones are spread over (default 1)')
    .option('--zones <n>', 'zones per cluster (default 3)')
    .option('--nodes-per-zone <n>', 'nodes per zone (default: enough for 100 pods per node)')
    .option('--namespaces <n>', 'namespaces (default services/10, at least 2)')
    .option('--services <n>', 'services (default 10)')
    .option('--pods <n>', 'service replicas over all clusters (default 3 per service)')
    .option('--fan-out <n>', 'services each service calls at the next level (default 2)')
    .option('--depth <n>', 'call levels below the entry services (default 3)')
    .option('--waypoint-fraction <f>', 'share of namespaces with a waypoint, 0..1 (default 0.25)')
    .option('--policies-per-service <n>', 'AuthorizationPolicies per service (default 1)')
    .option('--routes-per-service <n>', 'HTTPRoutes per service behind a waypoint (default 1)')
    .option('--rps <n>', 'requests per second over all entry services (default 100)')
    .option('--duration <d>', 'how long the traffic runs, e.g. 10s (default 10s)')
    .action((flags: GenerateFlags) => {
      setExit(generateCommand(flags));
    });
}

function generateCommand(flags: GenerateFlags): number {
  const { input, problems } = parseFlags(flags);
  // Flags that are not numbers are left out, so the others are still checked: every problem at once.
  const all = [...problems, ...optionProblems(resolveOptions(input))];
  if (all.length > 0) return fail(all);
  let files: Map<string, string>;
  try {
    files = generateScenario(input);
  } catch (e) {
    if (e instanceof GenerateOptionsError) return fail(e.problems);
    throw e;
  }
  const written = writeScenarioFolder(flags.output, files, { force: flags.force });
  if (!written.ok) return fail([written.error]);
  const o = resolveOptions(input);
  process.stdout.write(
    `wrote ${files.size} files to ${flags.output}: ${o.services} services, ${o.pods} pods, ${o.namespaces} namespaces, ${o.clusters} cluster(s)\n` +
      `run it with: meshsim run ${flags.output}\n`,
  );
  return ExitCode.ok;
}

function fail(problems: string[]): number {
  for (const p of problems) process.stderr.write(`meshsim generate: ${p}\n`);
  return ExitCode.invalidInput;
}

/** The flags as generator input, without (and with a problem for) each that is not a number or duration at all. */
export function parseFlags(flags: GenerateFlags): { input: GenerateInput; problems: string[] } {
  const input: GenerateInput = { singleFile: flags.singleFile };
  if (flags.name !== undefined) input.name = flags.name;
  const problems: string[] = [];
  for (const [flag, option] of Object.entries(NUMBERS) as [keyof typeof NUMBERS, (typeof NUMBERS)[keyof typeof NUMBERS]][]) {
    const text = flags[flag];
    if (text === undefined) continue;
    const n = text.trim() === '' ? NaN : Number(text);
    if (Number.isNaN(n)) problems.push(`--${kebab(flag)}: must be a number, got ${JSON.stringify(text)}`);
    else input[option] = n;
  }
  if (flags.duration !== undefined) {
    const d = parseDuration(flags.duration);
    if (d.ok) input.durationMs = d.value;
    else problems.push(`--duration: ${d.message}`);
  }
  return { input, problems };
}
