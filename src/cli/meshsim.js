#!/usr/bin/env node
// Entry point. Runs the CLI from a bundle of the TypeScript sources and their dependencies kept in
// node_modules/.cache, rebuilt with esbuild whenever a source or the lockfile is newer than it, and
// run with V8's code cache; falls back to the tsx loader if the bundle cannot be built. One
// CommonJS file from the code cache starts in about half the time of a graph of ES modules.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBundle } from './bundle-cache.js';
import { runCachedScript } from './cached-script.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env.MESHSIM_ROOT ??= root;

async function bundled() {
  const loaded = runCachedScript(await cliBundle(root));
  return { main: loaded.exports.main, saveCache: loaded.saveCache };
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
// After the command, so the cache also holds the functions it compiled.
cli.saveCache?.();
