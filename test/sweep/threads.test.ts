// A sweep's threads: meshsim's own plays replications beside `workers - 1` worker threads, never
// more of them than there are replications, and `workers: 1` starts none. The merged result is the
// same on any number of threads.
import { describe, expect, it, vi } from 'vitest';
import { runSweep } from '../../src/sweep';
import { echoBehindWaypoint } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';

const pools = vi.hoisted(() => [] as number[]);
/** While set, a pool's teardown waits for it: the threads end only when the promise it returns does. */
const teardown = vi.hoisted(() => ({ hold: undefined as Promise<void> | undefined, begun: 0 }));

vi.mock('tinypool', async (importOriginal) => {
  const real = await importOriginal<typeof import('tinypool')>();
  class CountingPool extends real.Tinypool {
    constructor(options: ConstructorParameters<typeof real.Tinypool>[0]) {
      super(options);
      pools.push(options?.maxThreads ?? -1);
    }

    override async destroy(): Promise<void> {
      teardown.begun++;
      await teardown.hold;
      return super.destroy();
    }
  }
  return { ...real, Tinypool: CountingPool };
});

const TEXT = scenarioText({
  name: 'threads-test',
  manifests: echoBehindWaypoint(),
  steps: [{ name: 'load', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: 200, rate: '2000/s' }, expect: { status: 200 } }],
});

async function sweep(workers: number, seeds: number[]): Promise<{ json: string; pools: number[]; progress: number[] }> {
  pools.length = 0;
  const progress: number[] = [];
  const r = await runSweep({ file: 'threads-test.yaml', text: TEXT, seeds, params: [], workers, onProgress: (done) => progress.push(done) });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { json: JSON.stringify(r.result), pools: [...pools], progress };
}

describe('sweep threads', () => {
  it('plays every replication on its own thread with one worker, starting no worker thread', async () => {
    const one = await sweep(1, [1, 2, 3, 4]);
    expect(one.pools).toEqual([]);
    expect(one.progress).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(one.json).combinations[0].steps[0]).toMatchObject({ runs: 4, requests: 800 });
  });

  it('starts workers - 1 worker threads, no more than the replications left beside its own', async () => {
    const seeds = [1, 2, 3, 4, 5, 6];
    const one = await sweep(1, seeds);
    const three = await sweep(3, seeds);
    expect(three.pools).toEqual([2]);
    expect(three.json).toBe(one.json);
    const many = await sweep(8, [1, 2]);
    expect(many.pools).toEqual([1]);
    expect(many.json).toBe((await sweep(1, [1, 2])).json);
  });

  it('returns its result without waiting for the worker threads to end, having begun ending them', async () => {
    let end = (): void => {};
    teardown.hold = new Promise((resolve) => (end = resolve));
    teardown.begun = 0;
    try {
      const two = await sweep(2, [1, 2, 3, 4]);
      expect(JSON.parse(two.json).combinations[0].steps[0]).toMatchObject({ runs: 4, requests: 800 });
      expect(teardown.begun).toBeGreaterThan(0);
    } finally {
      teardown.hold = undefined;
      end();
    }
  });

  it('reports each replication once, in order, whichever thread played it', async () => {
    const two = await sweep(2, [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(two.progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
