// A bundle of TypeScript sources kept in node_modules/.cache/meshsim, rebuilt with esbuild when a
// source or the lockfile is newer than it. Plain JavaScript: the CLI launcher needs it before
// any TypeScript can load, and the sweep's worker threads use the same cache.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

// Every bundle is CommonJS (for node:vm's code cache, see cached-script.js) and holds the
// dependencies too, but those that find their own files at run time; `import()` becomes `require()`
// (a script run through node:vm has no loader for dynamic imports) and `import.meta.url` is the
// bundle's own URL.
const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'silent',
  external: ['esbuild', 'tinypool'],
  supported: { 'dynamic-import': false },
  banner: { js: "const __meshsimImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__meshsimImportMetaUrl' },
};

/**
 * The path of an up-to-date bundle of `entry`, rebuilt when a source, the entry (which may live
 * outside `src`), a folder named in `also` or the lockfile (the dependencies it holds) is newer;
 * throws when esbuild cannot build it.
 * @param {{ root: string, entry: string, name: string, also?: string[] }} o
 */
export async function cachedBundle(o) {
  // Named after the checkout, so two checkouts sharing a node_modules never share a bundle.
  const tag = createHash('sha256').update(resolve(o.root)).digest('hex').slice(0, 12);
  const out = join(o.root, 'node_modules', '.cache', 'meshsim', `${o.name}-${tag}.cjs`);
  const inputs = Math.max(newest(join(o.root, 'src')), newest(join(o.root, 'sim')), mtime(o.entry), mtime(join(o.root, 'package-lock.json')), ...(o.also ?? []).map(newest));
  if (mtime(out) < inputs) {
    const { build } = await import('esbuild');
    mkdirSync(dirname(out), { recursive: true });
    // Written aside and renamed, so a concurrent start never loads half a file.
    const tmp = `${out}.${process.pid}.tmp`;
    await build({ ...ESBUILD_OPTIONS, entryPoints: [o.entry], outfile: tmp });
    // Dated just after the newest input, the same for every build of the same sources: processes
    // that start together and each rebuild leave the same file, and a code cache stamped with
    // either build's size and time stays good.
    const at = (Math.floor(inputs) + 1) / 1000;
    utimesSync(tmp, at, at);
    renameSync(tmp, out);
  }
  return out;
}

/** The CLI's bundle in the checkout at `root`. */
export function cliBundle(root) {
  return cachedBundle({ root, entry: join(root, 'src', 'cli', 'main.ts'), name: 'cli-cjs' });
}
