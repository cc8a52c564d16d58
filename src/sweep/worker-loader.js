// A sweep worker thread's entry when the worker code is bundled (worker-file.ts): the CommonJS
// bundle runs with V8's code cache (../cli/cached-script.js), written after the thread's first
// replication so it also holds the functions that replication compiled. Plain JavaScript:
// tinypool imports it as it is.
import { runCachedScript } from '../cli/cached-script.js';

const bundle = process.env.MESHSIM_SWEEP_BUNDLE;
if (!bundle) throw new Error('worker-loader: MESHSIM_SWEEP_BUNDLE is not set');
const loaded = runCachedScript(bundle);
const run = loaded.exports.default;
/** How the code cache served this thread: 'none' (absent or from another build), 'rejected' by V8, or 'used'. */
export const cacheState = loaded.cacheState;

export default async function runTask(task) {
  const result = await run(task);
  loaded.saveCache();
  return result;
}
