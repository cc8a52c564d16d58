// `meshsim generate`: a seeded synthetic scenario folder (scenario.yaml, manifests/, README.md).
// Pure: the same options give the same files, byte for byte.
import { clientsFile, eastWestFile, namespaceServicesFile, namespacesFile, namespaceWorkloadsFile } from './manifests';
import { optionProblems, resolveOptions, type GenerateInput, type GenerateOptions } from './options';
import { planScenario, type ScenarioPlan } from './plan';
import { commandLine, readmeFile } from './readme';
import { scenarioFile, type ResourceSource } from './scenario-file';

export { optionProblems, resolveOptions, type GenerateInput, type GenerateOptions } from './options';
export { writeScenarioFolder, type WriteResult } from './write';

export const SCENARIO_FILE = 'scenario.yaml';

/** The options were not usable; `problems` holds every reason, one line each. */
export class GenerateOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'GenerateOptionsError';
  }
}

/**
 * The files of a generated scenario, relative path → content, in the order they are listed in
 * README.md. Throws GenerateOptionsError when the options are not usable.
 */
export function generateScenario(input: GenerateInput): Map<string, string> {
  const options = resolveOptions(input);
  const problems = optionProblems(options);
  if (problems.length > 0) throw new GenerateOptionsError(problems);
  const plan = planScenario(options);
  const sources = resourceSources(plan);
  const files = new Map<string, string>();
  const command = commandLine(options);
  files.set(SCENARIO_FILE, scenarioFile(plan, sources, options.singleFile, command));
  if (!options.singleFile) for (const s of sources) for (const [path, text] of s.files) files.set(path, text);
  files.set('README.md', readmeFile(plan, [...files.keys(), 'README.md']));
  return files;
}

/** The resources in the order they are applied: namespaces first, then what lives in them. */
function resourceSources(plan: ScenarioPlan): ResourceSource[] {
  const multi = plan.clusters.length > 1;
  const sources: ResourceSource[] = [
    { path: 'manifests/namespaces.yaml', files: [['manifests/namespaces.yaml', namespacesFile(plan)]] },
    { path: 'manifests/clients.yaml', files: [['manifests/clients.yaml', clientsFile(plan)]] },
    { path: 'manifests/services', files: plan.namespaces.map((ns) => [`manifests/services/${ns.name}.yaml`, namespaceServicesFile(plan, ns)]) },
  ];
  plan.clusters.forEach((c, i) => {
    const dir = `manifests/workloads/${c.name}`;
    const files = plan.namespaces.flatMap((ns): [string, string][] => {
      const text = namespaceWorkloadsFile(plan, ns, i);
      return text === undefined ? [] : [[`${dir}/${ns.name}.yaml`, text]];
    });
    if (files.length > 0) sources.push({ path: dir, files, ...(multi ? { clusters: [c.name] } : {}) });
  });
  if (multi) {
    plan.clusters.forEach((c, i) => {
      const path = `manifests/eastwest/${c.name}.yaml`;
      sources.push({ path, files: [[path, eastWestFile(plan, i)]], clusters: [c.name] });
    });
  }
  return sources;
}
