// Writing results: to stdout, or to a file atomically (a temporary file renamed into place), so an
// interrupted or failed run never leaves a half-written file behind.
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { stringify } from 'yaml';
import { formatDiagnostic, type Diagnostic } from '../scenario';
import { writeJson } from './json-pieces';

export type OutputFormat = 'text' | 'json' | 'yaml';

export function serialize(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Writes a result on stdout: JSON in pieces (json-pieces.ts), so no size is too large for one string; or YAML. */
export function writeSerialized(value: unknown, format: 'json' | 'yaml'): void {
  if (format === 'json') writeJson(value, (text) => process.stdout.write(text));
  else process.stdout.write(serialize(value, format));
}

/** An output file the system would not let meshsim write (full disk, a path that vanished). */
export class OutputWriteError extends Error {}

export function writeFileAtomic(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new OutputWriteError(`cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Why each output file named on the command line (`--html FILE`, ...) could not be written, checked
 * before any work starts: its folder must exist and be writable, and it must not be a folder.
 */
export function outputFileProblems(command: string, files: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const [flag, path] of Object.entries(files)) {
    if (path === undefined) continue;
    const dir = dirname(path);
    const say = (why: string) => problems.push(`${command}: --${flag} ${path}: ${why}`);
    try {
      if (!statSync(dir).isDirectory()) {
        say(`${dir} is not a folder`);
        continue;
      }
      accessSync(dir, constants.W_OK);
    } catch (e) {
      say((e as NodeJS.ErrnoException).code === 'ENOENT' ? `no folder ${dir}` : `cannot write in ${dir}`);
      continue;
    }
    try {
      if (statSync(path).isDirectory()) say('is a folder');
    } catch {
      // Not there yet: it will be created.
    }
  }
  return problems;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
