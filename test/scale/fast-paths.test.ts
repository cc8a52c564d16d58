// The optimised paths (shared contexts, counted paths, batched snapshot commits, weakly held syntax
// trees, remembered decisions, requests counted by shape) must not change a single byte of any result: each scenario runs twice, in processes of
// their own, with and without MESHSIM_NO_FAST_PATHS=1, and the JSON must be identical.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateScenario, writeScenarioFolder } from '../../src/generate';
import { projectPath } from '../../src/paths';
import { memoScenarioFile } from './memo-scenario';
import { testDir } from '../test-dir';

const BIN = projectPath('src/cli/meshsim.js');

function run(path: string, straightforward: boolean, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, NO_COLOR: '1', MESHSIM_NO_FAST_PATHS: straightforward ? '1' : '0' };
  const r = spawnSync(process.execPath, [BIN, 'run', path, '-o', 'json', '--seed', '3', ...args], { encoding: 'utf8', env, maxBuffer: 1 << 30 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function generated(options: Parameters<typeof generateScenario>[0]): string {
  const dir = join(testDir('fast'), 'scenario');
  writeScenarioFolder(dir, generateScenario(options));
  return dir;
}

describe('fast paths give byte-identical results', () => {
  it.each([
    ['every shipped scenario', () => projectPath('scenarios')],
    ['a fixture with input errors (diagnostics only)', () => projectPath('test/fixtures/scenario/contract/scenario.yaml')],
    ['a generated single-file mesh', () => generated({ services: 20, pods: 60, durationMs: 1000, rps: 100, singleFile: true })],
    ['a generated mesh with waypoints, policies and routes', () => generated({ services: 40, pods: 200, durationMs: 2000, rps: 400 })],
    ['a generated two-cluster mesh', () => generated({ clusters: 2, services: 12, pods: 48, durationMs: 1000, rps: 200 })],
    ['what the decision memo replays and what it must not remember', memoScenarioFile],
    // Requests past the kept ones are counted by shape, from a record built without their calls.
    ['a generated fan-out mesh keeping 5 requests per step', () => generated({ services: 30, pods: 90, fanOut: 2, depth: 3, durationMs: 2000, rps: 300 }), ['--keep', '5']],
  ] as [string, () => string, string[]?][])('%s', (_, path, args = []) => {
    const p = path();
    const fast = run(p, false, args);
    const plain = run(p, true, args);
    expect(fast.stderr).toBe(plain.stderr);
    expect(fast.code).toBe(plain.code);
    expect(fast.stdout.length + fast.stderr.length).toBeGreaterThan(20);
    expect(fast.stdout === plain.stdout).toBe(true);
    // Two CLI processes per scenario, every shipped scenario in one case: slow on a busy machine.
  }, 240_000);
});
