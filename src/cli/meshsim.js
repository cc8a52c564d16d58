#!/usr/bin/env node
// Entry point. Runs the CLI from a bundle of the TypeScript sources kept in node_modules/.cache,
// rebuilt with esbuild whenever a source is newer than it; falls back to the tsx loader if the
// bundle cannot be built. One bundled file loads much faster than a graph of transpiled modules.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedBundle } from './bundle-cache.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env.MESHSIM_ROOT ??= root;

async function bundled() {
  const out = await cachedBundle({ root, entry: join(root, 'src', 'cli', 'main.ts'), name: 'cli', esbuild: { packages: 'external' } });
  return import(pathToFileURL(out).href);
}

// A reader that stops early (`meshsim run … -o json | head`) closes the pipe: the rest of the
// output has nowhere to go, which is no error of the run's.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
  });
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
