// `meshsim generate` on the command line: bad options exit 2 naming the flag and why, a non-empty
// folder is kept unless --force, and what is written is what generateScenario returns.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerGenerate } from '../../src/cli/generate-command';
import { generateScenario } from '../../src/generate';
import { testDir } from '../test-dir';

async function generate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const program = new Command('meshsim').exitOverride();
  let code = 0;
  registerGenerate(program, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(['generate', ...args], { from: 'user' });
  } catch {
    code = 2; // commander's own usage errors, which main() turns into exit 2
  }
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

const tempDir = () => testDir('generate-cli');

afterEach(() => vi.restoreAllMocks());

describe('meshsim generate: invalid options exit 2 with a clear message', () => {
  const rows: [args: string[], message: string][] = [
    [['--pods', '-5'], '--pods: must be at least 10, got -5'],
    [['--services', '0'], '--services: must be at least 1, got 0'],
    [['--waypoint-fraction', '1.5'], '--waypoint-fraction: must be between 0 and 1, got 1.5'],
    [['--waypoint-fraction', '-0.1'], '--waypoint-fraction: must be between 0 and 1, got -0.1'],
    [['--pods', 'many'], '--pods: must be a number, got "many"'],
    [['--fan-out', '2.5'], '--fan-out: must be a whole number, got 2.5'],
    [['--policies-per-service', '-1'], '--policies-per-service: must be at least 0, got -1'],
    [['--depth', '9', '--services', '50'], '--depth: must be between 0 and 8, got 9'],
    [['--depth', '4', '--services', '3'], '--depth: must be between 0 and 2, got 4'],
    [['--namespaces', '20', '--services', '10'], '--namespaces: must be between 1 and 10, got 20'],
    [['--clusters', '13'], '--clusters: must be between 1 and 12, got 13'],
    [['--zones', '1', '--regions', '2'], '--zones: each region needs a zone: 2 regions need at least 2 zones, got 1'],
    [['--rps', '0'], '--rps: must be a positive number, got 0'],
    [['--duration', 'soon'], '--duration: invalid duration "soon"'],
    [['--pods', '2000', '--services', '10', '--zones', '1', '--nodes-per-zone', '3'], 'use at least --nodes-per-zone 21'],
    [['--pods', '250000', '--services', '100'], 'a generated cluster has at most 2048'],
  ];
  it.each(rows)('%j → %s', async (args, message) => {
    const dir = join(tempDir(), 'out');
    const r = await generate([...args, '-o', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/^meshsim generate: /);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports every problem at once', async () => {
    const r = await generate(['--services', '-1', '--waypoint-fraction', '2', '--rps', 'x', '-o', join(tempDir(), 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').map((l) => l.split(':')[1])).toEqual([' --rps', ' --services', ' --waypoint-fraction']);
  });

  it('-o is required', async () => {
    expect((await generate(['--pods', '10'])).code).toBe(2);
  });
});

describe('meshsim generate: writing the folder', () => {
  const args = ['--services', '6', '--pods', '12', '--seed', '4'];

  it('writes exactly the generated files', async () => {
    const dir = join(tempDir(), 'nested', 'out');
    const r = await generate([...args, '-o', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`meshsim run ${dir}`);
    const expected = generateScenario({ services: 6, pods: 12, seed: 4, singleFile: false });
    for (const [path, text] of expected) expect(readFileSync(join(dir, path), 'utf8')).toBe(text);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'manifests', 'scenario.yaml']);
    expect(readdirSync(join(dir, '..')).filter((f) => f.startsWith('.'))).toEqual([]); // no temporary folder left
  });

  it('an empty folder is used; a non-empty one is refused, then replaced with --force', async () => {
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    expect((await generate([...args, '-o', dir])).code).toBe(0);
    writeFileSync(join(dir, 'mine.txt'), 'keep me');
    const refused = await generate([...args, '--seed', '5', '-o', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty; use --force');
    expect(readFileSync(join(dir, 'mine.txt'), 'utf8')).toBe('keep me');
    expect((await generate([...args, '--force', '-o', dir])).code).toBe(0);
    expect(existsSync(join(dir, 'mine.txt'))).toBe(false);
    expect(existsSync(join(dir, 'scenario.yaml'))).toBe(true);
  });

  it('a folder that cannot be made is an error at once, not a hang (Node 20 recursive mkdir spins under /proc)', async () => {
    const r = await generate([...args, '-o', '/proc/meshsim-generated/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^meshsim generate: cannot write \/proc\/meshsim-generated\/x: ENOENT/);
  });

  it('makes the missing folders above the one it writes', async () => {
    const dir = join(tempDir(), 'a', 'b', 'out');
    expect((await generate([...args, '-o', dir])).code).toBe(0);
    expect(existsSync(join(dir, 'scenario.yaml'))).toBe(true);
  });

  it('--single-file writes scenario.yaml and README.md only', async () => {
    const dir = join(tempDir(), 'out');
    expect((await generate([...args, '--single-file', '-o', dir])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'scenario.yaml']);
  });

  it('a file in the way is refused', async () => {
    const file = join(tempDir(), 'out');
    writeFileSync(file, 'x');
    const r = await generate([...args, '-o', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exists and is not a folder');
  });
});
