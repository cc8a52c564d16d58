// The scale bench times sweeps in processes of their own (test/bench/scale-sweep.ts): the script
// plays a sweep from the scenario file it is given and prints its times and a digest of the
// merged result, which the bench requires to be the same on 1 thread and on 2.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths';
import { pairRatios, type ScaleSweep } from '../bench/scale-sweep';
import type { WorkloadCeiling } from '../bench/workload-ceiling';
import { echoBehindWaypoint } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';
import { testDir } from '../test-dir';

const SCRIPT = join(PROJECT_ROOT, 'test', 'bench', 'scale-sweep.ts');
const CEILING_SCRIPT = join(PROJECT_ROOT, 'test', 'bench', 'workload-ceiling.ts');

function timedSweep(file: string, workers: number, seeds: string): ScaleSweep {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, file, String(workers), seeds], { encoding: 'utf8', cwd: PROJECT_ROOT, timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as ScaleSweep;
}

function sweepFile(): string {
  const file = join(testDir('bench-sweep'), 'sweep.yaml');
  const steps = [{ name: 'load', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: 100, rate: '1000/s' } }];
  writeFileSync(file, scenarioText({ name: 'bench-sweep', manifests: echoBehindWaypoint(), steps }));
  return file;
}

describe('the bench sweep script', () => {
  it('prints the sweep’s times and a digest of its merged result, the same on 1 thread and on 2', () => {
    const file = sweepFile();
    const one = timedSweep(file, 1, '1..4');
    const two = timedSweep(file, 2, '1..4');
    expect(one.wall).toBeGreaterThan(0);
    expect(one.cpu).toBeGreaterThan(0);
    expect(one.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(two.digest).toBe(one.digest);
    // Another seed list merges to another result.
    expect(timedSweep(file, 2, '5..8').digest).not.toBe(one.digest);
  });

  it('gives each back-to-back pair of sweeps its ratio, 1 thread over 2, in ascending order', () => {
    const times = [
      { workers: 1, wall: 3 },
      { workers: 2, wall: 2 },
      { workers: 1, wall: 4 },
      { workers: 2, wall: 1 },
      { workers: 1, wall: 2.5 },
      { workers: 2, wall: 2 },
    ];
    expect(pairRatios(times)).toEqual([1.25, 1.5, 4]);
    // A pair out of order is no pair.
    expect(pairRatios([{ workers: 2, wall: 1 }, { workers: 1, wall: 2 }])).toEqual([]);
  });
});

describe('the bench workload-ceiling script', () => {
  it('prints one speed-up a round, two threads at once against one alone, ascending', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CEILING_SCRIPT, sweepFile(), '2', '3'], { encoding: 'utf8', cwd: PROJECT_ROOT, timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { speedUps } = JSON.parse(r.stdout) as WorkloadCeiling;
    expect(speedUps).toHaveLength(3);
    expect(speedUps).toEqual([...speedUps].sort((a, b) => a - b));
    // No upper bound: a host that stalls the lone run for a moment lifts its round past 2×.
    for (const s of speedUps) expect(Number.isFinite(s) && s > 0).toBe(true);
  });

  it('fails, not hangs, when a thread cannot play the scenario', () => {
    const file = join(testDir('bench-ceiling'), 'broken.yaml');
    writeFileSync(file, 'apiVersion: meshsim/v1\nkind: Scenario\nspec: 3\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', CEILING_SCRIPT, file, '1', '1'], { encoding: 'utf8', cwd: PROJECT_ROOT, timeout: 60_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file}:1:1: missing required field "metadata"`);
    expect(r.stdout).toBe('');
  });
});
