// `meshsim request -f MANIFESTS... --from NS/WORKLOAD URL`: one request through a set of
// manifests, with its full path and decisions (`--explain`: the per-hop walkthrough). Exit 0 when it
// got a response, 1 otherwise.
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { explainRequest, meshStateOf, playScenario, type ExplainedHop } from '../explain';
import { renderExplainText } from '../report/explain-text';
import { renderRequestText } from '../report/request-text';
import { runScenario, ScenarioInputError } from '../run';
import { hasErrors, loadScenarioText, sortDiagnostics } from '../scenario';
import { ExitCode } from './exit-codes';
import { printDiagnostics, writeSerialized, useColor, type OutputFormat } from './output';

interface RequestFlags {
  filename: string[];
  from: string;
  request: string;
  header: string[];
  output: OutputFormat;
  seed?: string;
  explain?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

export function registerRequest(program: Command, setExit: (code: number) => void): void {
  program
    .command('request')
    .description('send one request through a set of manifests and show its path and decisions')
    .argument('<url>', 'http://service.namespace.svc.cluster.local:port/path, a VIP or a pod IP')
    .requiredOption('-f, --filename <path>', 'manifest file or folder (repeatable)', collect, [])
    .requiredOption('--from <ns/workload>', 'the client: NAMESPACE/WORKLOAD (Deployment or Pod name)')
    .option('-X, --request <method>', 'HTTP method', 'GET')
    .option('-H, --header <header>', "request header 'Name: value' (repeatable)", collect, [])
    .option('--seed <n>', 'seed for load balancing and latency', '1')
    .option('--explain', 'print the per-hop walkthrough')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .action(async (url: string, flags: RequestFlags) => setExit(await requestCommand(url, flags)));
}

function fail(message: string): number {
  process.stderr.write(`meshsim request: ${message}\n`);
  return ExitCode.invalidInput;
}

async function requestCommand(url: string, flags: RequestFlags): Promise<number> {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(flags.from)) return fail(`--from must be NAMESPACE/WORKLOAD, got ${JSON.stringify(flags.from)}`);
  const headers: Record<string, string> = {};
  for (const h of flags.header) {
    const i = h.indexOf(':');
    if (i <= 0) return fail(`-H must be 'Name: value', got ${JSON.stringify(h)}`);
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const seed = Number(flags.seed);
  if (!Number.isInteger(seed)) return fail(`--seed must be an integer, got ${JSON.stringify(flags.seed)}`);
  const text = stringify({
    apiVersion: 'meshsim.dev/v1alpha1',
    kind: 'Scenario',
    metadata: { name: 'request' },
    spec: {
      seed,
      resources: flags.filename.map((f) => ({ file: resolve(f) })),
      steps: [{ name: 'request', request: { from: flags.from, url, method: flags.request.toUpperCase(), ...(Object.keys(headers).length ? { headers } : {}) } }],
    },
  });
  const loaded = loadScenarioText(text, '<command line>');
  const diagnostics = sortDiagnostics(loaded.diagnostics);
  if (hasErrors(diagnostics) || !loaded.scenario) {
    // Problems in the command line itself are reported in its own words, not at synthetic positions.
    for (const d of diagnostics) process.stderr.write(d.file === '<command line>' ? `meshsim request: ${d.message}\n` : '');
    printDiagnostics(diagnostics.filter((d) => d.file !== '<command line>'));
    return ExitCode.invalidInput;
  }
  printDiagnostics(diagnostics);
  let record;
  let explained: ExplainedHop[] | undefined;
  try {
    const result = await runScenario(loaded.scenario);
    record = result.steps[0]!.requests![0]!;
    // The request ran in the state the manifests give: rebuild it (same seed) and explain the record there.
    if (flags.explain) explained = explainRequest(record, meshStateOf((await playScenario(loaded.scenario)).world), { headers: lowerCase(headers) });
  } catch (e) {
    if (e instanceof ScenarioInputError) return fail(e.diagnostics.map((d) => d.message).join('; '));
    throw e;
  }
  const color = useColor(process.stdout);
  if (flags.output === 'text') process.stdout.write(explained ? renderExplainText(record, explained, { color }) : renderRequestText(record, { color }));
  else writeSerialized(explained ? { request: record, explain: explained } : record, flags.output);
  return record.outcome === 'response' ? ExitCode.ok : ExitCode.failed;
}
