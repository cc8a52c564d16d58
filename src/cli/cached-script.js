// Runs a CommonJS bundle through node:vm with V8's code cache, kept beside it as `<bundle>.v8-cache`.
// Node 20 has no code cache for ES modules: without one, every process or worker thread parses and
// compiles the whole bundle afresh. V8 checks a cache only against the source's length and its own
// version and flags, so the cache's first line names the bundle build it was made from. Plain
// JavaScript: the CLI launcher and the sweep's worker threads load it before any TypeScript.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';
import { threadId } from 'node:worker_threads';

/**
 * Loads `bundle` and returns its exports, how the cache served it ('none': absent or from another
 * build, 'rejected' by V8, 'used'), and `saveCache`, which writes a fresh cache when this one was
 * not used: called once the caller's work is done, so the cache also holds what that work compiled.
 * @param {string} bundle
 */
export function runCachedScript(bundle) {
  const cacheFile = `${bundle}.v8-cache`;
  const info = statSync(bundle);
  const stamp = Buffer.from(`${info.size} ${info.mtimeMs} ${process.version}\n`, 'latin1');
  let cachedData;
  try {
    const buf = readFileSync(cacheFile);
    if (buf.subarray(0, stamp.length).equals(stamp)) cachedData = buf.subarray(stamp.length);
  } catch {
    // No cache yet.
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, { filename: bundle, cachedData });
  const loaded = { exports: {} };
  script.runInThisContext()(loaded.exports, createRequire(bundle), loaded, bundle, dirname(bundle));
  const cacheState = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used';
  let due = cacheState !== 'used';
  const saveCache = () => {
    if (!due) return;
    due = false;
    // Written aside and renamed: other processes or threads may be reading or writing it too.
    const tmp = `${cacheFile}.${process.pid}-${threadId}.tmp`;
    try {
      writeFileSync(tmp, Buffer.concat([stamp, script.createCachedData()]));
      renameSync(tmp, cacheFile);
    } catch {
      // Only a speed-up: a process that cannot write it runs as fast as before.
    }
  };
  return { exports: loaded.exports, cacheState, saveCache };
}
