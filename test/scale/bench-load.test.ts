// The scale bench measures each load in a process of its own (test/bench/scale-load.ts): the
// script loads a generated scenario and prints its stage times, its heap per pod and the CPU it
// used, over every thread and on the main thread alone, which tells a reader how much of a cold
// load runs on V8's compiler and garbage-collector threads.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths';
import type { ScaleLoad } from '../bench/scale-load';

const SCRIPT = join(PROJECT_ROOT, 'test', 'bench', 'scale-load.ts');

describe('the bench load script', () => {
  it('prints the stage times, the heap per pod and the CPU the load used', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SCRIPT, '300'], { encoding: 'utf8', cwd: PROJECT_ROOT, timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const load = JSON.parse(r.stdout) as ScaleLoad;
    expect(load).toMatchObject({ pods: 300, services: 30, clusters: 1, warm: false });
    expect(load.workloads).toBeGreaterThanOrEqual(300);
    expect(load.bytesPerPod).toBeGreaterThan(0);
    expect(load.cpuMs).toBeGreaterThan(0);
    if (existsSync(`/proc/self/task/${process.pid}/stat`)) {
      // Read in 10 ms ticks, so the main thread's figure may round past the process's by one tick.
      expect(load.mainCpuMs).toBeGreaterThan(0);
      expect(load.mainCpuMs).toBeLessThanOrEqual(load.cpuMs + 10);
    } else {
      expect(load.mainCpuMs).toBeUndefined();
    }
  });
});
