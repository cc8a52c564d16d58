// Finding and reading the files a user points at. Folders are walked recursively in sorted
// order so the same folder always loads the same way; symlink loops are cut.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

export type FileListing = { files: string[] } | { error: string };

/**
 * The files under `path` whose names end with one of `extensions`, labelled by joining onto the
 * path as the user typed it (so relative paths stay relative). A plain file is returned as is,
 * whatever its extension: naming it is the user's choice.
 */
export function listFiles(path: string, extensions: readonly string[]): FileListing {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    return { error: fsMessage(e) };
  }
  if (!isDir) return { files: [path] };
  const files: string[] = [];
  walk(path, extensions, files, new Set());
  return { files };
}

function walk(dir: string, extensions: readonly string[], out: string[], visited: Set<string>): void {
  let real: string;
  let names: string[];
  try {
    real = realpathSync(dir);
    if (visited.has(real)) return;
    visited.add(real);
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const full = joinLabel(dir, name);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      continue; // a dangling symlink
    }
    if (isDir) walk(full, extensions, out, visited);
    else if (extensions.some((ext) => name.endsWith(ext))) out.push(full);
  }
}

/** `dir` + `/` + `name`, without normalising what the user typed (`./x` stays `./x/...`). */
export function joinLabel(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The largest file read: a generated 100,000-pod scenario is a small fraction of it. */
export const MAX_FILE_BYTES = 256 * 2 ** 20;

/**
 * The file's text. A device or pipe is read up to MAX_FILE_BYTES, so an endless one
 * (`-f /dev/zero`) is an error, not a process that never returns.
 */
export function readText(path: string): { text: string } | { error: string } {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const info = fstatSync(fd);
    const tooLarge = { error: `larger than ${MAX_FILE_BYTES / 2 ** 20} MiB` };
    if (info.isFile()) return info.size > MAX_FILE_BYTES ? tooLarge : { text: readFileSync(fd, 'utf8') };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(2 ** 20);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_FILE_BYTES) return tooLarge;
      chunks.push(chunk.subarray(0, n));
    }
    return { text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (e) {
    return { error: fsMessage(e) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fsMessage(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
