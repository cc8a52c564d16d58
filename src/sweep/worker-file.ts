// The worker threads run JavaScript: the worker entry is bundled with esbuild into
// node_modules/.cache (rebuilt when a source or the lockfile is newer), like the CLI itself;
// without esbuild the threads load the TypeScript entry through tsx. Unlike the CLI bundle, the
// dependencies are bundled in too: every worker thread loads its modules afresh, and one file
// saves each of them resolving and reading yaml's and zod's hundreds of files (~50 ms of CPU
// per thread start on the 2-core machine).
import { join } from 'node:path';
import { cachedBundle } from '../cli/bundle-cache.js';
import { PROJECT_ROOT } from '../paths';

export interface WorkerFile {
  filename: string;
  execArgv: string[];
}

/** CommonJS dependencies bundled into an ES module still call require() for Node's built-ins. */
const REQUIRE_SHIM = "import { createRequire as __meshsimRequire } from 'node:module'; const require = __meshsimRequire(import.meta.url);";

export async function workerFile(root: string = PROJECT_ROOT): Promise<WorkerFile> {
  const entry = join(root, 'src', 'sweep', 'worker.ts');
  try {
    const filename = await cachedBundle({ root, entry, name: 'sweep-worker-bundled', files: [join(root, 'package-lock.json')], esbuild: { banner: { js: REQUIRE_SHIM } } });
    return { filename, execArgv: [] };
  } catch {
    return { filename: entry, execArgv: ['--import', 'tsx'] };
  }
}
