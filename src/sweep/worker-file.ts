// The worker threads run JavaScript: the worker entry and its dependencies are bundled with esbuild
// into node_modules/.cache (rebuilt when a source or the lockfile is newer), like the CLI itself,
// and run by worker-loader.js through V8's code cache; without esbuild the threads load the
// TypeScript entry through tsx. Every worker thread loads its modules afresh: one file saves each
// of them resolving and reading yaml's and zod's hundreds of files.
import { join } from 'node:path';
import { cachedBundle } from '../cli/bundle-cache.js';
import { PROJECT_ROOT } from '../paths';

export interface WorkerFile {
  filename: string;
  execArgv: string[];
  /** Variables the threads need besides the process's own. */
  env: Record<string, string>;
}

export async function workerFile(root: string = PROJECT_ROOT): Promise<WorkerFile> {
  const entry = join(root, 'src', 'sweep', 'worker.ts');
  // The bundled worker lives outside the project: it finds the project's files through MESHSIM_ROOT.
  const env = { MESHSIM_ROOT: root };
  try {
    const bundle = await cachedBundle({ root, entry, name: 'sweep-worker-cjs' });
    return { filename: join(root, 'src', 'sweep', 'worker-loader.js'), execArgv: [], env: { ...env, MESHSIM_SWEEP_BUNDLE: bundle } };
  } catch {
    return { filename: entry, execArgv: ['--import', 'tsx'], env };
  }
}
