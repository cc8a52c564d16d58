// Writing a generated folder whole or not at all: the files are written into a temporary sibling
// folder, which is then renamed into place, so an interrupted run never leaves half a scenario.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type WriteResult = { ok: true; dir: string } | { ok: false; error: string };

/** Refuses a non-empty `dir` unless `force`, which replaces it. */
export function writeScenarioFolder(dir: string, files: ReadonlyMap<string, string>, opts: { force?: boolean } = {}): WriteResult {
  const target = resolve(dir);
  const existing = inspect(target);
  if (existing === 'file') return { ok: false, error: `${dir} exists and is not a folder` };
  if (existing === 'non-empty' && !opts.force) return { ok: false, error: `${dir} is not empty; use --force to replace it` };
  const parent = dirname(target);
  const tmp = join(parent, `.${basename(target)}.generate-${process.pid}.tmp`);
  const old = join(parent, `.${basename(target)}.generate-${process.pid}.old`);
  try {
    makeDirs(parent);
    rmSync(tmp, { recursive: true, force: true });
    for (const [path, text] of files) {
      const file = join(tmp, path);
      makeDirs(dirname(file));
      writeFileSync(file, text);
    }
    // An existing folder is moved aside first: rename cannot replace a non-empty folder.
    if (existing !== 'absent') renameSync(target, old);
    try {
      renameSync(tmp, target);
    } catch (e) {
      if (existing !== 'absent') renameSync(old, target);
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
    return { ok: true, dir: target };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    return { ok: false, error: `cannot write ${dir}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * `mkdir -p`, one folder at a time. Node 20's recursive mkdirSync never returns when mkdir fails
 * with ENOENT under a folder that exists (anywhere in /proc): it retries the parent forever.
 */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); inspect(p) === 'absent'; p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // Made meanwhile by another process: fine as long as it is a folder.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || inspect(d) === 'file') throw e;
    }
  }
}

function inspect(path: string): 'absent' | 'file' | 'empty' | 'non-empty' {
  try {
    if (!statSync(path).isDirectory()) return 'file';
  } catch {
    return 'absent';
  }
  return readdirSync(path).length === 0 ? 'empty' : 'non-empty';
}
