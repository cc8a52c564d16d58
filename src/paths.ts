// Where the project's own files are (viz sources, shims, shipped scenarios), whether meshsim runs
// from its TypeScript sources or from the bundled CLI, which lives elsewhere.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT: string = process.env.MESHSIM_ROOT ?? fileURLToPath(new URL('..', import.meta.url));

export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
