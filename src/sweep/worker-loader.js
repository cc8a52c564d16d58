// A sweep worker thread's entry when the worker code is bundled (worker-file.ts). The bundle is
// CommonJS so it can run through node:vm with V8's code cache: without it every thread parses and
// compiles the 2 MB bundle afresh, ~70 ms of CPU each (Node 20 has no code cache for ES modules).
// The cache is written after the thread's first replication, so it also holds the functions that
// replication compiled. Plain JavaScript: tinypool imports it as it is.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';
import { threadId } from 'node:worker_threads';

const bundle = process.env.MESHSIM_SWEEP_BUNDLE;
if (!bundle) throw new Error('worker-loader: MESHSIM_SWEEP_BUNDLE is not set');
const cacheFile = `${bundle}.v8-cache`;
// V8 checks a cache against the source's length and its own version and flags, not the content:
// the first line names the bundle build the cache was made from.
const info = statSync(bundle);
const stamp = Buffer.from(`${info.size} ${info.mtimeMs} ${process.version}\n`, 'latin1');

function readCache() {
  try {
    const buf = readFileSync(cacheFile);
    return buf.subarray(0, stamp.length).equals(stamp) ? buf.subarray(stamp.length) : undefined;
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, { filename: bundle, cachedData });
const loaded = { exports: {} };
script.runInThisContext()(loaded.exports, createRequire(bundle), loaded, bundle, dirname(bundle));
const run = loaded.exports.default;
/** How the code cache served this thread: 'none' (absent or from another build), 'rejected' by V8, or 'used'. */
export const cacheState = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used';
let cacheDue = cacheState !== 'used';

function writeCache() {
  // Written aside and renamed: the other threads may be reading or writing it too.
  const tmp = `${cacheFile}.${process.pid}-${threadId}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([stamp, script.createCachedData()]));
    renameSync(tmp, cacheFile);
  } catch {
    // Only a speed-up: a thread that cannot write it runs as fast as before.
  }
}

export default async function runTask(task) {
  const result = await run(task);
  if (cacheDue) {
    cacheDue = false;
    writeCache();
  }
  return result;
}
