// `kubectl get`: tables with kubectl's columns, -A / -l / -L / --show-labels, and -o
// wide|yaml|json|name|jsonpath=...|custom-columns=...|custom-columns-file=...
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { resourceRef, storageKind } from '../../cluster';
import type { KubeObject } from '../../k8s/types';
import { boolFlag } from '../flags';
import { ok, type CommandResult } from '../invocation';
import { parseSelector, selects, SelectorError } from '../selector';
import { withIstioStatus } from '../status';
import { columnsFromSpec, columnsFromTemplate, CustomColumnsError, customColumns, type Column } from '../text/custom-columns';
import { JsonPathError, jsonPath } from '../text/jsonpath';
import { toKubeJson, toKubeYaml } from '../text/serialize';
import { formatTable } from '../text/table';
import { KubectlError, notFound, nsFor, parseCommand, parseTargets, type Ctx } from './common';
import { tableFor, type PrintContext } from './printers';
import { namespaced } from './resource-types';

export const KUBE_VERSION = 'v1.33.1';

const GET_FLAGS = [
  { name: 'all-namespaces', short: 'A' },
  { name: 'selector', short: 'l', value: true },
  { name: 'label-columns', short: 'L', value: true, repeat: true },
  { name: 'show-labels' },
  { name: 'output', short: 'o', value: true },
  { name: 'no-headers' },
  { name: 'ignore-not-found' },
  { name: 'show-kind' },
];

/** What `get` shows for a kind: every object in scope matching the selector. */
export function listScoped(ctx: Ctx, kind: string, all: boolean, selector: string | undefined): KubeObject[] {
  const items = ctx.cluster.list(kind, namespaced(kind) && !all ? ctx.namespace : undefined);
  if (!selector) return items;
  let sel;
  try {
    sel = parseSelector(selector);
  } catch (e) {
    if (e instanceof SelectorError) throw new KubectlError(`error: ${e.message}`);
    throw e;
  }
  return items.filter((o) => selects(sel, o.metadata.labels));
}

function labelColumnHeader(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).toUpperCase();
}

function labelsText(o: KubeObject): string {
  const l = o.metadata.labels ?? {};
  const keys = Object.keys(l).sort();
  return keys.length ? keys.map((k) => `${k}=${l[k]}`).join(',') : '<none>';
}

function asList(items: KubeObject[]): unknown {
  return { apiVersion: 'v1', items: items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** The columns `-o custom-columns=SPEC` or `-o custom-columns-file=FILE` asks for. */
function columnsOf(output: string, cwd: string): Column[] {
  if (!output.startsWith('custom-columns-file=')) return columnsFromSpec(output.slice('custom-columns='.length));
  const file = output.slice('custom-columns-file='.length);
  let text: string;
  try {
    text = readFileSync(isAbsolute(file) ? file : join(cwd, file), 'utf8');
  } catch {
    throw new KubectlError(`error: error reading template ${file}, open ${file}: no such file or directory`);
  }
  return columnsFromTemplate(text);
}

export function runGet(s: Parameters<typeof parseCommand>[0], argv: string[], cwd: string): CommandResult {
  const ctx = parseCommand(s, argv, GET_FLAGS, cwd);
  const p = ctx.p;
  if (p.args.length === 0) {
    throw new KubectlError(
      "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
    );
  }
  const all = boolFlag(p, 'all-namespaces');
  const selector = p.flags.get('selector');
  const output = p.flags.get('output') ?? '';
  const args = p.args[0] === 'all' && p.args.length === 1 ? ['pods,services,daemonsets,deployments,replicasets,statefulsets'] : p.args;
  const { kinds, named } = parseTargets(args, ctx.cluster);
  const errors: string[] = [];
  const groups: { kind: string; items: KubeObject[] }[] = [];
  for (const kind of kinds) {
    if (named.length) {
      const items: KubeObject[] = [];
      for (const n of named.filter((x) => x.kind === kind)) {
        const o = ctx.cluster.get(kind, nsFor(ctx, kind), n.name);
        if (o) items.push(o);
        else if (!boolFlag(p, 'ignore-not-found')) errors.push(notFound(kind, n.name));
      }
      groups.push({ kind, items });
    } else groups.push({ kind, items: listScoped(ctx, kind, all, selector) });
  }
  // Printed objects carry the status istiod writes (yaml/json/jsonpath show it).
  const items = groups.flatMap((g) => g.items).map((o) => withIstioStatus(ctx.s.world, ctx.context, o));
  const singleObject = named.length === 1 && items.length === 1;
  let stdout = '';
  let stderr = '';
  if (output === 'yaml') stdout = items.length ? toKubeYaml(singleObject ? items[0]! : asList(items)) : '';
  else if (output === 'json') stdout = items.length || !named.length ? toKubeJson(singleObject ? items[0]! : asList(items)) : '';
  else if (output === 'name') stdout = items.map((o) => `${resourceRef(storageKind(o.apiVersion, o.kind))}/${o.metadata.name}\n`).join('');
  else if (output.startsWith('jsonpath=') || output.startsWith('jsonpath:')) {
    try {
      stdout = jsonPath(output.slice(9), singleObject ? items[0]! : asList(items));
    } catch (e) {
      if (e instanceof JsonPathError) throw new KubectlError(`error: error parsing jsonpath ${output.slice(9)}, ${e.message}`);
      throw e;
    }
  } else if (output === 'custom-columns' || output.startsWith('custom-columns=') || output.startsWith('custom-columns-file=')) {
    try {
      const columns = columnsOf(output, ctx.cwd);
      // Nothing found prints no header either, only kubectl's "No resources found".
      stdout = items.length ? customColumns(columns, items, boolFlag(p, 'no-headers')) : '';
    } catch (e) {
      if (e instanceof CustomColumnsError || e instanceof JsonPathError) throw new KubectlError(`error: ${e.message}`);
      throw e;
    }
  } else if (output === '' || output === 'wide') {
    const pc: PrintContext = { nowEpochMs: ctx.s.nowEpochMs, kubeletVersion: KUBE_VERSION };
    const shown = groups.filter((g) => g.items.length);
    const prefixKind = kinds.length > 1 || boolFlag(p, 'show-kind');
    stdout = shown
      .map((g) => {
        const t = tableFor(g.kind, output === 'wide');
        const labelCols = p.multi.get('label-columns')?.flatMap((v) => v.split(',')) ?? [];
        const withNs = all && namespaced(g.kind);
        const header = [...(withNs ? ['NAMESPACE'] : []), ...t.headers, ...labelCols.map(labelColumnHeader), ...(boolFlag(p, 'show-labels') ? ['LABELS'] : [])];
        const rows = g.items.map((o) => {
          const cells = t.row(o, pc);
          if (prefixKind) cells[0] = `${resourceRef(g.kind)}/${cells[0]}`;
          return [
            ...(withNs ? [o.metadata.namespace ?? ''] : []),
            ...cells,
            ...labelCols.map((k) => o.metadata.labels?.[k] ?? ''),
            ...(boolFlag(p, 'show-labels') ? [labelsText(o)] : []),
          ];
        });
        return formatTable(boolFlag(p, 'no-headers') ? rows : [header, ...rows]);
      })
      .join('\n');
  } else {
    throw new KubectlError(
      `error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
    );
  }
  if (items.length === 0 && !named.length && output !== 'json') {
    const k = kinds[0];
    stderr = k && namespaced(k) && !all ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n';
  }
  if (errors.length) return { stdout, stderr: stderr + errors.map((e) => `${e}\n`).join(''), exitCode: 1 };
  return ok(stdout, stderr);
}
