// `meshsim sweep` as users call it: JSON on stdout, input errors as exit 2 with a clear line each.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths';
import { curl, echo, namespace, service, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';
import { testDir } from '../test-dir';

const BIN = projectPath('src/cli/meshsim.js');

function scenarioFile(): string {
  const dir = testDir('sweep');
  const file = join(dir, 'scenario.yaml');
  const text = scenarioText({
    name: 'sweep-cli',
    manifests: yamlDocs([namespace('app', { 'istio.io/dataplane-mode': 'ambient' }), curl('app'), echo('app', 'web', 'hi'), service('app', 'web')]),
    steps: [{ name: 'get', request: { from: 'app/curl', url: 'http://web.app/', count: 20, rate: '100/s' }, expect: { status: 200 } }],
  });
  writeFileSync(file, text);
  return file;
}

function sweep(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'sweep', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('meshsim sweep', () => {
  const file = scenarioFile();

  it('prints the merged result as JSON and exits 0 when every run passed', () => {
    const r = sweep([file, '--seeds', '1..3', '--set', 'latency.proxies.ztunnel.workers=1,2', '--workers', '2', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ kind: 'SweepResult', scenario: 'sweep-cli', seeds: [1, 2, 3], passed: true, parameters: [{ path: 'latency.proxies.ztunnel.workers', values: [1, 2] }] });
    expect(out.combinations.map((c: { runs: number; steps: { requests: number }[] }) => [c.runs, c.steps[0]!.requests])).toEqual([
      [3, 60],
      [3, 60],
    ]);
  });

  it('executes run: steps as run does, and skips them with --no-exec', () => {
    const dir = testDir('sweep');
    const withRun = join(dir, 'scenario.yaml');
    writeFileSync(
      withRun,
      scenarioText({
        name: 'sweep-run-step',
        manifests: yamlDocs([namespace('app', { 'istio.io/dataplane-mode': 'ambient' }), curl('app'), echo('app', 'web', 'hi'), service('app', 'web')]),
        steps: [{ name: 'label it', run: 'kubectl label ns app team=web' }, { name: 'get', request: { from: 'app/curl', url: 'http://web.app/', count: 5 } }],
      }),
    );
    const r = sweep([withRun, '--seeds', '1..2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  label it [run]: 2/2 passed\n');
    const skipped = sweep([withRun, '--seeds', '1..2', '--no-exec']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('  label it [run]: skipped (--no-exec) — what the script changes is missing from the steps after it\n');
  });

  it('prints the same bytes on 1, 2 and 3 workers', () => {
    const args = [file, '--seeds', '1..5', '--set', 'latency.proxies.ztunnel.workers=1,2', '-o', 'json'];
    const [one, two, three] = ['1', '2', '3'].map((w) => sweep([...args, '--workers', w]));
    expect(one!.code).toBe(0);
    expect(two!.stdout).toBe(one!.stdout);
    expect(three!.stdout).toBe(one!.stdout);
  });

  it('--stats says on stderr how many replications each thread played and what they cost, and leaves stdout alone', () => {
    const args = [file, '--seeds', '1..6', '-o', 'json'];
    const plain = sweep([...args, '--workers', '2']);
    const r = sweep([...args, '--workers', '2', '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    const lines = r.stderr.split('\n');
    const shares = /^stats: 6 replications on 2 threads in [\d.]+ m?s: this thread played (\d+), the worker thread (\d+)$/.exec(lines[0]!);
    expect(shares).not.toBeNull();
    expect(Number(shares![1]) + Number(shares![2])).toBe(6);
    expect(lines[1]).toMatch(/^ {2}CPU [\d.]+ m?s in all \(V8's compiler and garbage collector threads included\): [\d.]+ cores busy on average$/);
    expect(lines[2]).toMatch(/^ {2}peak RSS [\d.]+ MiB$/);
    expect(sweep([...args, '--workers', '1', '--stats']).stderr).toMatch(/^stats: 6 replications on 1 thread in [\d.]+ m?s: all on this thread\n/);
  });

  it.each([
    [['--seeds', '5..1'], /--seeds: range 5\.\.1 is empty/],
    [['--workers', '0'], /--workers must be an integer from 1 to 256/],
    [['--set', 'latency.proxies.ztunnel.workers=zero'], /^--set latency\.proxies\.ztunnel\.workers=zero: .*scenario\.yaml:\d+:\d+: /m],
  ])('%j is an input error', (args, message) => {
    const r = sweep([file, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('writes the visual report with --html, and refuses a path it cannot write before running', () => {
    const html = join(dirname(file), 'sweep.html');
    const r = sweep([file, '--seeds', '1..2', '--html', html]);
    expect(r.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<title>meshsim · sweep sweep-cli</title>');
    expect(page).toContain('"kind":"SweepResult"');
    const bad = sweep([file, '--seeds', '1..2', '--html', join(dirname(file), 'nowhere', 'x.html')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^meshsim sweep: --html .*nowhere\/x\.html: no folder .*nowhere\n$/);
    expect(bad.stdout).toBe('');
  });

  it('a missing file is an input error', () => {
    const r = sweep([join(tmpdir(), 'no-such-scenario.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-scenario\.yaml: /);
  });

  it('takes a folder holding one scenario, as run does', () => {
    const r = sweep([dirname(file), '--seeds', '1..2', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ scenario: 'sweep-cli', seeds: [1, 2] });
  });

  it('asks which scenario when a folder holds several', () => {
    const dir = dirname(file);
    const second = testDir('sweep-two');
    for (const name of ['a.yaml', 'b.yaml']) writeFileSync(join(second, name), readFileSync(join(dir, 'scenario.yaml'), 'utf8'));
    const r = sweep([second, '--seeds', '1..2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 2 scenarios \(.*a\.yaml, .*b\.yaml\); a sweep takes one, name its file/);
    expect(r.stdout).toBe('');
  });
});
