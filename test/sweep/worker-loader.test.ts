// The sweep's worker threads run the bundled worker through V8's code cache: the first thread
// writes it after its first replication, later threads start from it, and a cache made from
// another build of the bundle is ignored and replaced.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths';
import type { Played, SweepJob } from '../../src/sweep/worker';
import { workerFile } from '../../src/sweep/worker-file';
import { curl, echo, namespace, service, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';

/** One replication for the thread to claim (each thread gets its own counters). */
const job = (): SweepJob => ({
  file: 'cache-test.yaml',
  text: scenarioText({
    name: 'cache-test',
    manifests: yamlDocs([namespace('client', { 'istio.io/dataplane-mode': 'ambient' }), namespace('server'), curl('client'), echo('server', 'echo', 'ok'), service('server', 'echo')]),
    steps: [{ name: 'load', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: 50 } }],
  }),
  params: [],
  tasks: [{ combination: 0, seed: 1 }],
  exec: true,
  warmUp: true,
  counters: new SharedArrayBuffer(8),
});

const LOADER = join(PROJECT_ROOT, 'src', 'sweep', 'worker-loader.js');

/** A fresh thread loads the worker as the pool does, reports how it found the cache, and plays one replication. */
function inNewThread(env: Record<string, string>): Promise<{ state: string; replication: Played }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.loader).then(async (m) => parentPort.postMessage({ state: m.cacheState, replication: await m.default(workerData.job) }));`;
  const w = new Worker(code, { eval: true, env: { ...process.env, ...env }, workerData: { loader: `file://${LOADER}`, job: job() } });
  return new Promise((resolve, reject) => {
    w.once('message', (m: { state: string; replication: Played }) => void w.terminate().then(() => resolve(m)));
    w.once('error', reject);
  });
}

describe('sweep worker code cache', async () => {
  const worker = await workerFile();
  // A private copy of the bundle, so its cache is this test's alone.
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-loader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'worker.cjs');
  copyFileSync(worker.env.MESHSIM_SWEEP_BUNDLE!, bundle);
  const env = { ...worker.env, MESHSIM_SWEEP_BUNDLE: bundle };
  const cache = `${bundle}.v8-cache`;

  it('is written by the first thread and used by the next, stamped with the bundle it was made from', async () => {
    const first = await inNewThread(env);
    expect(first.state).toBe('none');
    const info = statSync(bundle);
    expect(readFileSync(cache).toString('latin1', 0, 100).split('\n')[0]).toBe(`${info.size} ${info.mtimeMs} ${process.version}`);
    const second = await inNewThread(env);
    expect(second.state).toBe('used');
    expect(first.replication).toHaveLength(1);
    expect(second.replication).toEqual(first.replication);
  });

  it('ignores and replaces a cache made from another build of the bundle', async () => {
    await inNewThread(env);
    // The bundle rebuilt: same text (and length, all V8 checks), another modification time.
    utimesSync(bundle, new Date(), new Date(Date.now() + 60_000));
    expect((await inNewThread(env)).state).toBe('none');
    expect((await inNewThread(env)).state).toBe('used');
    writeFileSync(cache, Buffer.concat([Buffer.from('1 2 v0.0.0\n', 'latin1'), Buffer.alloc(64)]));
    expect((await inNewThread(env)).state).toBe('none');
    expect((await inNewThread(env)).state).toBe('used');
  });
});
