// Loading a scenario file (CONTRACT §2) into a fully defaulted Scenario, or every problem found in
// it and in the manifests it pulls in. Never throws; never returns a scenario that has errors.
import * as z from 'zod';
import { errorAt, fileLevel, sortDiagnostics } from './diagnostics';
import type { Diagnostic } from './diagnostics';
import { checkClusterAddresses } from './cluster-addresses';
import { LoadContext } from './context';
import { withPos } from './lazy-pos';
import { AppSchema, ResourceEntry, ScenarioSchema } from './schema';
import { listFiles, readText } from './source-files';
import { loadSource, sourceOf } from './sources';
import { parseSteps } from './steps';
import type { AppSpec, ClusterSpec, Scenario, Step } from './types';
import type { LoadedResource } from './manifests';
import { StringPool } from './string-pool';
import { parseYaml } from './yaml-source';

export interface ScenarioLoad {
  scenario?: Scenario;
  diagnostics: Diagnostic[];
}

export interface ScenariosLoad {
  scenarios: Scenario[];
  diagnostics: Diagnostic[];
}

export const DEFAULT_CLUSTER = 'cluster-1';
export const DEFAULT_NETWORK = 'network-1';
export const DEFAULT_REGION = 'region-1';
export const DEFAULT_ZONE = 'zone-1';
const DEFAULT_NODE_COUNT = 3;

export function loadScenario(path: string): ScenarioLoad {
  const read = readText(path);
  if ('error' in read) return { diagnostics: [errorAt(fileLevel(path), read.error)] };
  return loadScenarioText(read.text, path);
}

/**
 * Loads a scenario from text; `file` names it in diagnostics and anchors its relative `file:` paths.
 * `edit` changes the document's value before it is read (a sweep's --set values): positions stay
 * those of `text`, and a value the edit added is located at its nearest ancestor in the text.
 */
export function loadScenarioText(text: string, file: string, edit?: (root: unknown) => unknown): ScenarioLoad {
  try {
    const strings = new StringPool();
    const parsed = parseYaml(text, file, undefined, { strings });
    const [doc, extra] = parsed.docs;
    if (!doc) {
      const diagnostics = parsed.diagnostics.length > 0 ? parsed.diagnostics : [errorAt({ file, line: 1, col: 1 }, 'empty scenario file')];
      return { diagnostics: sortDiagnostics(diagnostics) };
    }
    const ctx = new LoadContext(file, doc, strings);
    ctx.diags.addAll(parsed.diagnostics);
    if (extra) ctx.diags.error(extra.pos, 'a scenario file holds one document; put manifests in spec.resources');
    const scenario = buildScenario(ctx, edit ? edit(doc.value) : doc.value);
    // Steps keep their positions as lookups; the tree behind them is parsed again only if asked.
    // The raw document has been read into the scenario: positions need only the text.
    parsed.release();
    doc.dropValue();
    strings.clear();
    const diagnostics = ctx.diags.list([file]);
    return ctx.diags.hasErrors || !scenario ? { diagnostics } : { scenario, diagnostics };
  } catch (e) {
    // Every problem should have become a diagnostic; this is the last guard against a stack trace.
    return { diagnostics: [errorAt({ file, line: 1, col: 1 }, `internal error while loading: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

/** A scenario file, or every `kind: Scenario` YAML file in a folder (recursively, sorted); or why there is none. */
export function scenarioFiles(pathOrDir: string): { files: string[] } | { error: Diagnostic } {
  const listing = listFiles(pathOrDir, ['.yaml', '.yml']);
  if ('error' in listing) return { error: errorAt(fileLevel(pathOrDir), listing.error) };
  const single = listing.files.length === 1 && listing.files[0] === pathOrDir;
  const files = single ? listing.files : listing.files.filter(looksLikeScenario);
  if (files.length === 0) return { error: errorAt(fileLevel(pathOrDir), 'no scenario files (kind: Scenario) in this folder') };
  return { files };
}

/** A scenario file, or every `kind: Scenario` YAML file in a folder (recursively, sorted). */
export function loadScenarios(pathOrDir: string): ScenariosLoad {
  const found = scenarioFiles(pathOrDir);
  if ('error' in found) return { scenarios: [], diagnostics: [found.error] };
  const out: ScenariosLoad = { scenarios: [], diagnostics: [] };
  for (const f of found.files) {
    const r = loadScenario(f);
    out.diagnostics.push(...r.diagnostics);
    if (r.scenario) out.scenarios.push(r.scenario);
  }
  return out;
}

/** Cheap pre-filter so manifest folders next to scenarios are not loaded as scenarios. */
function looksLikeScenario(file: string): boolean {
  const read = readText(file);
  return 'text' in read && /^kind:\s*["']?Scenario["']?\s*(#.*)?$/m.test(read.text);
}

// ---------------------------------------------------------------- sections

const Shell = ScenarioSchema.extend({ metadata: z.unknown(), spec: z.unknown().optional() });
const SpecShape = ScenarioSchema.shape.spec.unwrap();
type SpecField = keyof typeof SpecShape.shape;

/** Each section is parsed on its own, so a mistake in one does not hide mistakes in the others. */
function buildScenario(ctx: LoadContext, root: unknown): Scenario | undefined {
  const shell = ctx.parse(Shell, root, []);
  if (!shell) return undefined;
  const metadata = ctx.parse(ScenarioSchema.shape.metadata, shell.metadata, ['metadata']);
  // `spec:` with nothing after it is an empty spec, not a mistake.
  const specShell = ctx.parse(z.strictObject(mapShape(SpecShape.shape, () => z.unknown().optional())).prefault({}), shell.spec ?? undefined, ['spec']);
  if (!specShell) return undefined;
  const field = <K extends SpecField>(k: K) => ctx.parse(SpecShape.shape[k], specShell[k], ['spec', k]) as z.output<(typeof SpecShape.shape)[K]> | undefined;

  const seed = field('seed');
  const startTime = startTimeOf(ctx, field('startTime'));
  const clusters = specShell.clusters === undefined ? [defaultCluster(DEFAULT_CLUSTER, 'node')] : clustersOf(ctx, field('clusters'));
  ctx.clusterNames = clusters?.map((c) => c.name);
  const istio = field('istio');
  const env = field('env');
  const resources = resourcesOf(ctx, field('resources') ?? []);
  const apps = appsOf(ctx, field('apps') ?? []);
  const latency = field('latency');
  const steps = parseSteps(ctx, field('steps') ?? [], ['spec', 'steps']);

  if (!metadata || seed === undefined || startTime === undefined || !clusters || !istio || !env || !latency) return undefined;
  if (resources.some((r) => r === undefined) || apps.some((a) => a === undefined) || steps.some((s) => s === undefined)) return undefined;
  return located(ctx, {
    name: metadata.name,
    ...(metadata.description === undefined ? {} : { description: metadata.description }),
    labels: metadata.labels,
    seed,
    startTime,
    clusters,
    istio: { ...istio, ...(istio.revision === undefined ? {} : { revision: istio.revision }) },
    env,
    resources: (resources as LoadedResource[][]).flat(),
    apps: apps as AppSpec[],
    latency,
    steps: steps as Step[],
  });
}

/** The scenario with its position lookups. */
function located(ctx: LoadContext, fields: Omit<Scenario, 'file' | 'pos' | 'at' | 'latency'> & { latency: Scenario['latency']['value'] }): Scenario {
  return withPos({ file: ctx.file }, ctx, [], {
    ...fields,
    // Replacing the value keeps the key where the fields put it.
    latency: withPos({ value: fields.latency }, ctx, ['spec', 'latency'], {}),
  });
}

function mapShape<T extends Record<string, unknown>, V>(shape: T, f: () => V): { [K in keyof T]: V } {
  return Object.fromEntries(Object.keys(shape).map((k) => [k, f()])) as { [K in keyof T]: V };
}

function startTimeOf(ctx: LoadContext, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) ctx.error(['spec', 'startTime'], `startTime: ${JSON.stringify(text)} is not a valid time`);
  return Number.isNaN(ms) ? undefined : ms;
}

type RawClusters = z.output<typeof SpecShape.shape.clusters>;

/**
 * `spec.clusters` with defaults. All clusters share one network unless told otherwise, as in
 * Istio, where clusters without a network label are on the same (unnamed) network.
 */
function clustersOf(ctx: LoadContext, raw: RawClusters | undefined): ClusterSpec[] | undefined {
  if (raw === undefined) return undefined;
  let ok = true;
  const seen = new Set<string>();
  const clusters = raw.map((c, i): ClusterSpec => {
    if (seen.has(c.name)) {
      ctx.error(['spec', 'clusters', i, 'name'], `duplicate cluster name "${c.name}"`);
      ok = false;
    }
    seen.add(c.name);
    const nodeNames = new Set<string>();
    c.nodes?.forEach((n, j) => {
      if (nodeNames.has(n.name)) {
        ctx.error(['spec', 'clusters', i, 'nodes', j, 'name'], `duplicate node name "${n.name}" in cluster "${c.name}"`);
        ok = false;
      }
      nodeNames.add(n.name);
    });
    const prefix = raw.length === 1 ? 'node' : `${c.name}-node`;
    const nodes = c.nodes?.map((n) => ({ name: n.name, region: n.region ?? DEFAULT_REGION, zone: n.zone ?? DEFAULT_ZONE, labels: n.labels }));
    return { name: c.name, network: c.network ?? DEFAULT_NETWORK, nodes: nodes ?? defaultCluster(c.name, prefix).nodes };
  });
  const subnets = checkClusterAddresses(
    ctx,
    raw.map((c, i) => ({ name: c.name, podSubnet: c.podSubnet, nodeCount: clusters[i]!.nodes.length })),
  );
  if (!ok || !subnets) return undefined;
  return clusters.map((c, i) => (subnets[i] ? { ...c, podSubnet: subnets[i] } : c));
}

function defaultCluster(name: string, nodePrefix: string): ClusterSpec {
  const nodes = Array.from({ length: DEFAULT_NODE_COUNT }, (_, i) => ({ name: `${nodePrefix}-${i + 1}`, region: DEFAULT_REGION, zone: DEFAULT_ZONE, labels: {} }));
  return { name, network: DEFAULT_NETWORK, nodes };
}

function resourcesOf(ctx: LoadContext, raw: readonly unknown[]): (LoadedResource[] | undefined)[] {
  return raw.map((value, i) => {
    const path = ['spec', 'resources', i];
    const entry = ctx.parse(ResourceEntry, value, path);
    if (!entry) return undefined;
    const known = entry.clusters?.every((c, j) => ctx.checkCluster(c, [...path, 'clusters', j])) ?? true;
    const load = loadSource(ctx, sourceOf(entry), path, entry.clusters ?? ctx.clusterNames ?? []);
    return known ? load.resources : undefined;
  });
}

function appsOf(ctx: LoadContext, raw: readonly unknown[]): (AppSpec | undefined)[] {
  const seen = new Set<string>();
  return raw.map((entry, i) => {
    const path = ['spec', 'apps', i];
    const app = ctx.parse(AppSchema, entry, path);
    if (!app) return undefined;
    const key = `${app.workload.namespace}/${app.workload.name}`;
    if (seen.has(key)) {
      ctx.error([...path, 'workload'], `duplicate app override for "${key}"`);
      return undefined;
    }
    seen.add(key);
    return withPos(app, ctx, path, {});
  });
}
