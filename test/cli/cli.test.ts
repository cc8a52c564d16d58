// The command line as users and CI call it: help, exit codes, diagnostics, deterministic output.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputWriteError, writeFileAtomic } from '../../src/cli/output';
import { generateScenario, writeScenarioFolder } from '../../src/generate';
import type { CallRecord, RunResult, StepResult } from '../../src/result/types';
import { testDir } from '../test-dir';

const BIN = join(__dirname, '../../src/cli/meshsim.js');

function meshsim(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = testDir('cli');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata: { name: app, labels: { istio.io/dataplane-mode: ambient } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: curl, namespace: app }
spec:
  selector: { matchLabels: { app: curl } }
  template:
    metadata: { labels: { app: curl } }
    spec: { containers: [{ name: curl, image: curlimages/curl }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: app }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: hashicorp/http-echo, args: ["-text=hello"] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: app }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 5678 }] }
`;

function scenario(expectStatus: number): string {
  return `apiVersion: meshsim.dev/v1alpha1
kind: Scenario
metadata: { name: cli-test }
spec:
  resources: [{ file: manifests.yaml }]
  steps:
    - name: get
      request: { from: app/curl, url: http://web.app/ , count: 5 }
      expect: { status: ${expectStatus}, body: hello }
`;
}

describe('meshsim command line', () => {
  it('--help lists every command of CONTRACT §1 with a description', () => {
    const r = meshsim(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'request', 'analyze', 'kubectl', 'istioctl', 'shell']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b.+\\w`, 'm'));
  });

  it('run: exit 0 when every expectation holds, 1 when one fails', () => {
    const ok = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(200) });
    const r = meshsim(['run', join(ok, 'scenario.yaml')]);
    expect(r.stdout).toContain('✓ get');
    expect(r.code).toBe(0);
    const bad = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(404) });
    const f = meshsim(['run', join(bad, 'scenario.yaml')]);
    expect(f.code).toBe(1);
    expect(f.stdout).toContain('status: expected 404');
  });

  it('run: invalid input prints FILE:LINE:COL for every problem, exits 2, no stack trace, no output file', () => {
    const dir = tempDir({
      'manifests.yaml': MANIFESTS.replace('targetPort: 5678', 'targetPort: 70000'),
      'scenario.yaml': scenario(200).replace('count: 5', 'count: 5, colour: red'),
    });
    const junit = join(dir, 'out.xml');
    const r = meshsim(['run', join(dir, 'scenario.yaml'), '--junit', junit]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^\/.+\.yaml:\d+:\d+: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).not.toContain('out.xml');
  });

  it('run: an output file that cannot be written is an input error before anything runs, one line each', () => {
    const dir = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(200) });
    const r = meshsim(['run', join(dir, 'scenario.yaml'), '--html', join(dir, 'no-such-folder', 'r.html'), '--junit', dir, '--metrics', join(dir, 'm.prom')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`meshsim run: --html ${join(dir, 'no-such-folder', 'r.html')}: no folder ${join(dir, 'no-such-folder')}\nmeshsim run: --junit ${dir}: is a folder\n`);
    expect(readdirSync(dir)).not.toContain('m.prom');
  });

  it('an output file the system refuses is an OutputWriteError naming it, and nothing is left behind', () => {
    // /proc takes no new file, whoever asks (root passes the up-front check and gets here).
    expect(() => writeFileAtomic('/proc/meshsim-report.html', 'x')).toThrow(OutputWriteError);
    expect(() => writeFileAtomic('/proc/meshsim-report.html', 'x')).toThrow(/^cannot write \/proc\/meshsim-report\.html: /);
    const dir = tempDir({});
    expect(() => writeFileAtomic(join(dir, 'gone', 'r.html'), 'x')).toThrow(OutputWriteError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('run: a request from a workload that does not exist is a FILE:LINE:COL error', () => {
    const dir = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(200).replace('app/curl', 'app/nobody') });
    const r = meshsim(['run', join(dir, 'scenario.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scenario\.yaml:8:\d+: .*app\/nobody/);
  });

  it('run -o json twice with the same seed is byte-identical, and --seed changes it', () => {
    const dir = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(200) });
    const a = meshsim(['run', join(dir, 'scenario.yaml'), '-o', 'json']);
    const b = meshsim(['run', join(dir, 'scenario.yaml'), '-o', 'json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).kind).toBe('RunResult');
    const c = meshsim(['run', join(dir, 'scenario.yaml'), '-o', 'json', '--seed', '99']);
    expect(c.stdout).not.toBe(a.stdout);
  });


  it('run --keep N keeps the first N requests of each step in full and says so; everything else is as without it', () => {
    const dir = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(200) });
    const full = JSON.parse(meshsim(['run', join(dir, 'scenario.yaml'), '-o', 'json']).stdout) as RunResult;
    const kept = JSON.parse(meshsim(['run', join(dir, 'scenario.yaml'), '-o', 'json', '--keep', '3']).stdout) as RunResult;
    const step = kept.steps[0]!;
    expect(step.requests!.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(step.sampled).toBe(true);
    expect(step.requests).toEqual(full.steps[0]!.requests!.slice(0, 3));
    const { requests: _k, sampled: _s, ...rest } = step;
    const { requests: _f, ...fullRest } = full.steps[0]!;
    expect(rest).toEqual(fullRest);
    const bad = meshsim(['run', join(dir, 'scenario.yaml'), '--keep', '-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('meshsim run: --keep must be a whole number of requests, got "-1"\n');
  });

  it('run: every bad flag is reported at once, one line each, before anything runs', () => {
    const dir = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(200) });
    const r = meshsim(['run', join(dir, 'scenario.yaml'), '--seed', 'x', '--keep', '-1', '--html', join(dir, 'no-such-folder', 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'meshsim run: --seed must be an integer, got "x"',
      'meshsim run: --keep must be a whole number of requests, got "-1"',
      `meshsim run: --html ${join(dir, 'no-such-folder', 'r.html')}: no folder ${join(dir, 'no-such-folder')}`,
    ]);
  });

  it('run --metrics counts every request a step sent, not only those the result keeps', () => {
    const dir = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(200) });
    const all = join(dir, 'all.prom');
    const kept2 = join(dir, 'kept2.prom');
    expect(meshsim(['run', join(dir, 'scenario.yaml'), '--metrics', all]).code).toBe(0);
    expect(meshsim(['run', join(dir, 'scenario.yaml'), '--metrics', kept2, '--keep', '2']).code).toBe(0);
    const text = readFileSync(all, 'utf8');
    // The destination ztunnel saw the step's five requests, one connection each.
    expect(text).toMatch(/^istio_tcp_connections_opened_total\{[^}]*destination_workload="web"[^}]*\} 5$/m);
    expect(readFileSync(kept2, 'utf8')).toBe(text);
  });

  it('run --stats says on stderr where time and memory went, and leaves the report byte-identical', () => {
    const dir = tempDir({ 'manifests.yaml': MANIFESTS, 'scenario.yaml': scenario(200) });
    const plain = meshsim(['run', join(dir, 'scenario.yaml'), '-o', 'json']);
    const r = meshsim(['run', join(dir, 'scenario.yaml'), '-o', 'json', '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^stats: 1 scenario read, parsed and checked in \d+ ms$/);
    expect(lines[1]).toBe('cli-test (seed 1):');
    // Every pod `kubectl get pods -A` lists counts, Istio's own included.
    const nodes = (JSON.parse(plain.stdout) as RunResult).topology!.clusters[0]!.nodes.length;
    const pods = meshsim(['kubectl', '--scenario', join(dir, 'scenario.yaml'), 'get', 'pods', '-A']).stdout.trim().split('\n').length - 1;
    expect(pods).toBeGreaterThan(2);
    expect(lines[2]).toMatch(new RegExp(`^ {2}mesh {5}1 cluster, ${nodes} nodes, \\d+ namespaces, \\d+ services, ${pods} pods once the resources are applied$`));
    expect(lines[3]).toMatch(/^ {2}load {5}cluster state \d+ ms, mesh view \d+ ms$/);
    expect(lines[4]).toMatch(/^ {2}play {5}1 step in \d+ ms for \d+ ms of simulated time: 5 requests \([\d,]+\/s\), [\d,]+ simulated events$/);
    // No bytes per pod below 1,000 pods: the code compiled for the load would make most of it.
    expect(lines[5]).toMatch(/^ {2}memory {3}the loaded mesh holds [\d.]+ MiB of heap \(after a full collection\)$/);
    expect(lines[6]).toMatch(/^peak RSS [\d.]+ MiB$/);
  });

  it('run --stats counts the calls the answering apps made, at every depth', () => {
    const dir = testDir('cli-calls');
    writeScenarioFolder(dir, generateScenario({ services: 8, pods: 16, fanOut: 2, depth: 2, durationMs: 500, rps: 20 }));
    const r = meshsim(['run', dir, '-o', 'json', '--stats']);
    expect(r.code).toBe(0);
    // Every request is kept in full here (fewer than 1000 per step): count their calls, nested ones too.
    const nested = (calls: CallRecord[] | undefined): number => (calls ?? []).reduce((n, c) => n + 1 + nested(c.calls), 0);
    const inSteps = (steps: StepResult[]): number => steps.reduce((n, s) => n + (s.requests ?? []).reduce((m, q) => m + nested(q.calls), 0) + inSteps(s.steps ?? []), 0);
    const calls = inSteps((JSON.parse(r.stdout) as RunResult).steps);
    expect(calls).toBeGreaterThan(0);
    expect(r.stderr).toMatch(new RegExp(`^ {2}play {5}\\d+ steps? in \\d+ ms for [\\d.]+ m?s of simulated time: [\\d,]+ requests \\([\\d,]+/s\\) making ${calls.toLocaleString('en-US')} calls, [\\d,]+ simulated events$`, 'm'));
  });

  it('request: exit 0 with a response, 1 without, 2 for bad input', () => {
    const dir = tempDir({ 'manifests.yaml': MANIFESTS });
    const ok = meshsim(['request', '-f', join(dir, 'manifests.yaml'), '--from', 'app/curl', 'http://web.app/']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('200 "hello"');
    expect(ok.stdout).toMatch(/app\/curl-[a-z0-9]+-[a-z0-9]{5} → ztunnel\(node-\d\) → ztunnel\(node-\d\) → app\/web-/);
    const none = meshsim(['request', '-f', join(dir, 'manifests.yaml'), '--from', 'app/curl', 'http://nowhere.app/']);
    expect(none.code).toBe(1);
    const bad = meshsim(['request', '-f', join(dir, 'manifests.yaml'), '--from', 'not a workload', 'http://web.app/']);
    expect(bad.code).toBe(2);
  });

  it('an unknown command or option is refused with exit 2, never a silent success', () => {
    const r = meshsim(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    const o = meshsim(['run', 'x.yaml', '--frobnicate']);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/unknown option '--frobnicate'/);
  });
});

describe('meshsim token', () => {
  it('mints a token and JWKS that a RequestAuthentication in a scenario accepts', async () => {
    const r = meshsim(['token', '--iss', 'https://issuer.example', '--sub', 'alice', '-o', 'json']);
    expect(r.code).toBe(0);
    const minted = JSON.parse(r.stdout) as { token: string; jwks: string; requestPrincipal: string };
    expect(minted.requestPrincipal).toBe('https://issuer.example/alice');
    const { runParts, failuresOf } = await import('../helpers/run-scenario');
    const { base, SVC_URL } = await import('../dataplane/topology');
    const { waypoint } = await import('../helpers/manifests');
    const target = [{ kind: 'Service', group: '', name: 'echo' }];
    const result = await runParts({
      manifests: base({
        serverNs: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' },
        extra: [
          waypoint('server'),
          { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt', namespace: 'server' }, spec: { targetRefs: target, jwtRules: [{ issuer: 'https://issuer.example', jwks: minted.jwks }] } },
          { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'alice', namespace: 'server' }, spec: { targetRefs: target, rules: [{ from: [{ source: { requestPrincipals: [minted.requestPrincipal] } }] }] } },
        ],
      }),
      steps: [
        { name: 'with token', request: { from: 'client/curl', url: SVC_URL, headers: { Authorization: `Bearer ${minted.token}` } }, expect: { status: 200 } },
        { name: 'without', request: { from: 'client/curl', url: SVC_URL }, expect: { status: 403 } },
      ],
    });
    expect(failuresOf(result)).toEqual([]);
  });

  it('refuses bad options with exit 2', () => {
    expect(meshsim(['token', '--iss', 'x', '--sub', 'y', '--claims', '[1]']).code).toBe(2);
    expect(meshsim(['token', '--iss', 'x', '--sub', 'y', '--now', 'yesterday']).code).toBe(2);
  });
});
