/**
 * A module for a bench's child process, from a bundle run with V8's code cache as the CLI runs its
 * commands: `saveCache` writes the cache once the caller's work is done (the first process's, like
 * the CLI's after its first command), so it also holds what that work compiled. From the
 * TypeScript sources when esbuild cannot bundle it.
 */
import { fileURLToPath } from 'node:url';
import { cachedBundle } from '../../src/cli/bundle-cache.js';
import { runCachedScript } from '../../src/cli/cached-script.js';
import { PROJECT_ROOT } from '../../src/paths';

export async function bundledModule<T>(entry: URL, name: string, fromSources: () => Promise<T>): Promise<{ module: T; saveCache: () => void }> {
  // The bundle lives outside the project: it finds the project's files through MESHSIM_ROOT.
  process.env.MESHSIM_ROOT ??= PROJECT_ROOT;
  try {
    const loaded = runCachedScript(await cachedBundle({ root: PROJECT_ROOT, entry: fileURLToPath(entry), name }));
    return { module: loaded.exports as T, saveCache: loaded.saveCache };
  } catch {
    return { module: await fromSources(), saveCache: () => {} };
  }
}
