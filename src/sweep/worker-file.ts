// The worker threads run JavaScript: the worker entry is bundled with esbuild into
// node_modules/.cache (rebuilt when a source is newer), like the CLI itself; without esbuild the
// threads load the TypeScript entry through tsx.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

export interface WorkerFile {
  filename: string;
  execArgv: string[];
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
  const out = join(root, 'node_modules', '.cache', 'meshsim', `sweep-worker-${tag}.mjs`);
  try {
    let built = 0;
    try {
      built = statSync(out).mtimeMs;
    } catch {
      // not built yet
    }
    if (built < Math.max(newest(join(root, 'src')), newest(join(root, 'sim')))) {
      const { build } = await import('esbuild');
      mkdirSync(dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: tmp, logLevel: 'silent' });
      renameSync(tmp, out);
    }
    return { filename: out, execArgv: [] };
  } catch {
    return { filename: entry, execArgv: ['--import', 'tsx'] };
  }
}
