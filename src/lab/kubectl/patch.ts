// `kubectl patch (-f FILENAME | TYPE NAME | TYPE/NAME) (-p PATCH | --patch-file FILE) [--type
// strategic|merge|json]`: the patch is YAML or JSON, as kubectl reads it, and the API server's
// answer is printed as kubectl prints it (`patched`, `patched (no change)`, or its error).
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { kindOf, type PatchType } from '../../cluster';
import type { Json } from '../../k8s/json-patch';
import { validateIdentity } from '../../k8s/validate';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { toKubeJson, toKubeYaml } from '../text/serialize';
import { loadFiles, targetNamespace } from './apply';
import { KubectlError, nsFor, parseCommand, parseTargets, type Ctx } from './common';

const PATCH_FLAGS = [
  { name: 'patch', short: 'p', value: true },
  { name: 'patch-file', value: true },
  { name: 'type', value: true },
  { name: 'filename', short: 'f', value: true, repeat: true },
  { name: 'recursive', short: 'R' },
  { name: 'dry-run', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'field-manager', value: true },
  { name: 'record' },
];

const TYPES: readonly PatchType[] = ['json', 'merge', 'strategic'];

interface Target {
  kind: string;
  namespace?: string;
  name: string;
}

/** The patch document: --patch, or the file --patch-file names, read as YAML (JSON is YAML). */
function patchDocument(ctx: Ctx): Json {
  const inline = ctx.p.flags.get('patch') ?? '';
  const file = ctx.p.flags.get('patch-file') ?? '';
  if (inline && file) throw new KubectlError('error: cannot specify --patch and --patch-file together');
  if (!inline && !file) throw new KubectlError('error: must specify --patch or --patch-file containing the contents of the patch');
  let text = inline;
  if (file) {
    try {
      text = readFileSync(isAbsolute(file) ? file : join(ctx.cwd, file), 'utf8');
    } catch {
      throw new KubectlError(`error: unable to read patch file: open ${file}: no such file or directory`);
    }
  }
  try {
    return (parse(text) ?? null) as Json;
  } catch (e) {
    // kubectl quotes --patch here even when the patch came from --patch-file.
    throw new KubectlError(`error: unable to parse "${inline}": yaml: ${(e as Error).message.split('\n')[0]}`);
  }
}

function targets(ctx: Ctx): Target[] {
  if (ctx.p.multi.get('filename')?.length) {
    if (ctx.p.args.length) throw new KubectlError('error: cannot specify both a filename and resource arguments');
    return loadFiles(ctx, validateIdentity).map((r) => {
      const kind = kindOf(r.obj);
      return { kind, namespace: targetNamespace(ctx, r.obj, kind), name: r.obj.metadata.name };
    });
  }
  const { kinds, named } = parseTargets(ctx.p.args, ctx.cluster);
  if (!kinds.length) throw new KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  if (!named.length) throw new KubectlError('error: resource(s) were provided, but no name was specified');
  return named.map((n) => ({ kind: n.kind, namespace: nsFor(ctx, n.kind), name: n.name }));
}

export function runPatch(s: LabSession, argv: string[], cwd: string, stdin: string | undefined): CommandResult {
  const ctx = parseCommand(s, argv, PATCH_FLAGS, cwd, stdin);
  const typeFlag = ctx.p.flags.get('type') ?? 'strategic';
  const type = TYPES.find((t) => t === typeFlag.toLowerCase());
  if (!type) throw new KubectlError(`error: --type must be one of [json merge strategic], not "${typeFlag}"`);
  const dryRun = ctx.p.flags.get('dry-run');
  if (dryRun !== undefined && !['client', 'server', 'none'].includes(dryRun)) {
    throw new KubectlError(`error: Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
  }
  const dry = dryRun === 'client' || dryRun === 'server';
  const output = ctx.p.flags.get('output');
  if (output !== undefined && !['yaml', 'json', 'name'].includes(output)) {
    throw new KubectlError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`);
  }
  const patch = patchDocument(ctx);
  const out: string[] = [];
  const errors: string[] = [];
  for (const t of targets(ctx)) {
    const r = ctx.cluster.patch(t.kind, t.namespace, t.name, type, patch, s.world.now, { dryRun: dry });
    if (!r.ok) {
      errors.push(r.error);
      continue;
    }
    if (output === 'yaml') out.push(toKubeYaml(r.object));
    else if (output === 'json') out.push(toKubeJson(r.object));
    else if (output === 'name') out.push(`${r.ref}\n`);
    else out.push(`${r.ref} patched${r.changed ? '' : ' (no change)'}${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
  }
  s.world.settle();
  return { stdout: out.join(''), stderr: errors.map((e) => `${e}\n`).join(''), exitCode: errors.length ? 1 : 0 };
}
