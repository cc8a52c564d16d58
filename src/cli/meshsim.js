#!/usr/bin/env node
// Entry point. Runs the CLI from a bundle of the TypeScript sources kept in node_modules/.cache,
// rebuilt with esbuild whenever a source is newer than it; falls back to the tsx loader if the
// bundle cannot be built. One bundled file loads much faster than a graph of transpiled modules.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env.MESHSIM_ROOT ??= root;

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

async function bundled() {
  // Named after the checkout, so two checkouts sharing a node_modules never share a bundle.
  const tag = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const out = join(root, 'node_modules', '.cache', 'meshsim', `cli-${tag}.mjs`);
  let built = 0;
  try {
    built = statSync(out).mtimeMs;
  } catch {}
  if (built < Math.max(newest(join(root, 'src')), newest(join(root, 'sim')))) {
    const { build } = await import('esbuild');
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    await build({ entryPoints: [join(root, 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: tmp, logLevel: 'silent' });
    renameSync(tmp, out);
  }
  return import(pathToFileURL(out).href);
}

let cli;
try {
  cli = await bundled();
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./main.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
