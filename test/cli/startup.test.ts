// The CLI starts from one CommonJS bundle of the sources and their dependencies, run with V8's
// code cache kept beside it (src/cli/cached-script.js): a command leaves a cache stamped with the
// bundle it was made from, and a cache from another build is ignored. Packages only some commands
// need are loaded when they are used, not with the bundle.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBundle } from '../../src/cli/bundle-cache.js';
import { runCachedScript } from '../../src/cli/cached-script.js';
import { PROJECT_ROOT } from '../../src/paths';

const BIN = join(PROJECT_ROOT, 'src', 'cli', 'meshsim.js');

describe('CLI start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the bundled CLI and leaves a code cache stamped with the bundle', async () => {
    const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bundle = await cliBundle(PROJECT_ROOT);
    const info = statSync(bundle);
    expect(readFileSync(`${bundle}.v8-cache`).toString('latin1', 0, 100).split('\n')[0]).toBe(`${info.size} ${info.mtimeMs} ${process.version}`);
  });

  it('loads neither the worker pool nor esbuild until a command needs them', async () => {
    const bundle = await cliBundle(PROJECT_ROOT);
    // A process of its own: the test runner has loaded both already.
    const script = `
      import { createRequire } from 'node:module';
      import { runCachedScript } from ${JSON.stringify(join(PROJECT_ROOT, 'src', 'cli', 'cached-script.js'))};
      runCachedScript(${JSON.stringify(bundle)});
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(['tinypool', 'esbuild'].filter((p) => loaded.some((f) => f.includes(\`/node_modules/\${p}/\`)))));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, MESHSIM_ROOT: PROJECT_ROOT } });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it("bundles zod's English messages and none of its other locales", async () => {
    // zod's `core` namespace re-exports every locale: a value read through `z.core` makes the
    // bundle hold all of them (about 0.4 MB that every process and sweep thread would load).
    const text = readFileSync(await cliBundle(PROJECT_ROOT), 'utf8');
    expect(text.match(/^\/\/ node_modules\/zod\/v4\/locales\/.*$/gm)).toEqual(['// node_modules/zod/v4/locales/en.js']);
  });

  it('uses a cache made from the same bundle and ignores one from another build', () => {
    const bundle = join(dir, 'tiny.cjs');
    writeFileSync(bundle, 'exports.answer = () => 42;\n');
    const first = runCachedScript(bundle);
    expect([first.cacheState, (first.exports.answer as () => number)()]).toEqual(['none', 42]);
    first.saveCache();
    const second = runCachedScript(bundle);
    expect([second.cacheState, (second.exports.answer as () => number)()]).toEqual(['used', 42]);
    // Another build of the same length: the stamp (size, mtime, Node version) no longer matches.
    copyFileSync(`${bundle}.v8-cache`, join(dir, 'old-cache'));
    writeFileSync(bundle, 'exports.answer = () => 43;\n');
    copyFileSync(join(dir, 'old-cache'), `${bundle}.v8-cache`);
    const rebuilt = runCachedScript(bundle);
    expect(rebuilt.cacheState).toBe('none');
    expect((rebuilt.exports.answer as () => number)()).toBe(43);
  });
});
