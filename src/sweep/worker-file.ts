// The worker threads run JavaScript: the worker entry is bundled with esbuild into
// node_modules/.cache (rebuilt when a source or the lockfile is newer), like the CLI itself;
// without esbuild the threads load the TypeScript entry through tsx. Unlike the CLI bundle, the
// dependencies are bundled in too: every worker thread loads its modules afresh, and one file
// saves each of them resolving and reading yaml's and zod's hundreds of files (~50 ms of CPU
// per thread start on the 2-core machine).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

export interface WorkerFile {
  filename: string;
  execArgv: string[];
}

/** CommonJS dependencies bundled into an ES module still call require() for Node's built-ins. */
const REQUIRE_SHIM = "import { createRequire as __meshsimRequire } from 'node:module'; const require = __meshsimRequire(import.meta.url);";

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export async function workerFile(root: string = PROJECT_ROOT): Promise<WorkerFile> {
  const entry = join(root, 'src', 'sweep', 'worker.ts');
  const tag = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const out = join(root, 'node_modules', '.cache', 'meshsim', `sweep-worker-${tag}-bundled.mjs`);
  try {
    const built = mtime(out);
    if (built < Math.max(newest(join(root, 'src')), newest(join(root, 'sim')), mtime(join(root, 'package-lock.json')))) {
      const { build } = await import('esbuild');
      mkdirSync(dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', banner: { js: REQUIRE_SHIM }, outfile: tmp, logLevel: 'silent' });
      renameSync(tmp, out);
    }
    return { filename: out, execArgv: [] };
  } catch {
    return { filename: entry, execArgv: ['--import', 'tsx'] };
  }
}
