import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/scenario/diagnostics';
import { loadScenario, loadScenarioText, loadScenarios } from '../../src/scenario/load';
import type { ApplyStep, RequestStep, Scenario, Step } from '../../src/scenario/types';

const FIXTURES = 'test/fixtures/scenario';

function load(path: string): Scenario {
  const r = loadScenario(path);
  expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
  expect(r.scenario).toBeDefined();
  return r.scenario!;
}

function step<T extends Step['type']>(s: Scenario, name: string, type: T): Extract<Step, { type: T }> {
  const found = s.steps.find((x) => x.name === name);
  expect(found?.type).toBe(type);
  return found as Extract<Step, { type: T }>;
}

const HEADER = 'apiVersion: meshsim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\n';

describe('the CONTRACT §2 example', () => {
  const s = load(`${FIXTURES}/contract/scenario.yaml`);

  it('reads metadata and spec fields', () => {
    expect(s.name).toBe('accounts-finance');
    expect(s.seed).toBe(7);
    expect(s.startTime).toBe(Date.UTC(2026, 0, 1));
    expect(s.env).toEqual({ CTX_CLUSTER1: 'cluster1', CTX_CLUSTER2: 'cluster2' });
    expect(s.istio.features).toEqual({ AMBIENT_ENABLE_MULTI_NETWORK: true });
    expect(s.latency.value).toEqual({ hop: { ztunnel: '0.1ms' } });
    expect(s.latency.at(['hop', 'ztunnel']).line).toBe(34);
    expect(s.apps[0]).toMatchObject({ workload: { namespace: 'accounts', name: 'accounts' }, serviceTime: { distribution: 'exponential', meanMs: 2 } });
  });

  it('fills in nodes of a cluster that lists none, named after the cluster', () => {
    expect(s.clusters.map((c) => [c.name, c.network, c.nodes.map((n) => `${n.name}@${n.region}/${n.zone}`)])).toEqual([
      ['cluster1', 'network1', ['c1-node-a@us-east1/us-east1-b', 'c1-node-b@us-east1/us-east1-c']],
      ['cluster2', 'network2', ['cluster2-node-1@region-1/zone-1', 'cluster2-node-2@region-1/zone-1', 'cluster2-node-3@region-1/zone-1']],
    ]);
  });

  it('loads file and inline resources in order, for their clusters, with positions in their own files', () => {
    expect(s.resources.map((r) => [r.obj.kind, r.obj.metadata.name, `${r.file.split('/').pop()}:${r.pos.line}:${r.pos.col}`, r.clusters])).toEqual([
      ['Namespace', 'accounts', 'apps.yaml:1:1', ['cluster1', 'cluster2']],
      ['Deployment', 'accounts', 'apps.yaml:8:1', ['cluster1', 'cluster2']],
      ['Service', 'accounts', 'apps.yaml:26:1', ['cluster1', 'cluster2']],
      ['Namespace', 'finance', 'scenario.yaml:27:9', ['cluster1', 'cluster2']],
    ]);
    expect(s.resources[1]!.at(['spec', 'template', 'spec', 'containers', 0, 'image']).line).toBe(23);
  });

  it('types every step', () => {
    expect(s.steps.map((x) => [x.name, x.type])).toEqual([
      ['waypoint for accounts', 'run'],
      ['GET from finance', 'request'],
      ['apply a policy', 'apply'],
      ['take the namespace off its waypoint', 'label'],
      ['remove the deny-all', 'delete'],
      ['let the rollout settle', 'wait'],
    ]);
    expect(step(s, 'waypoint for accounts', 'run')).toMatchObject({ cluster: 'cluster1', expect: { exitCode: 0, stdoutContains: ['waypoint accounts/waypoint applied'] } });
    expect(step(s, 'take the namespace off its waypoint', 'label')).toMatchObject({
      field: 'labels',
      target: { kind: 'Namespace', name: 'accounts' },
      clusters: ['cluster1'],
      changes: { 'istio.io/use-waypoint': null },
    });
    expect(step(s, 'remove the deny-all', 'delete')).toMatchObject({ target: { kind: 'AuthorizationPolicy', namespace: 'accounts', name: 'deny-all' }, clusters: ['cluster1'] });
    expect(step(s, 'let the rollout settle', 'wait').durationMs).toBe(30_000);
  });

  it('parses a request and its expectations', () => {
    const r = step(s, 'GET from finance', 'request');
    expect(r).toMatchObject({
      cluster: 'cluster1',
      from: { kind: 'workload', namespace: 'finance', name: 'curl' },
      target: { kind: 'url', url: 'http://accounts.accounts.svc.cluster.local:8080/' },
      method: 'GET',
      headers: { 'x-user': 'alice' },
      count: 100,
      rate: { perSecond: 50, arrival: 'poisson' },
      explain: false,
    });
    expect(r.expect).toMatchObject({
      status: 200,
      statuses: { '200': { op: '>=', value: 0.85 }, '403': { op: '<=', value: 0.15 } },
      body: 'accounts-cluster-1',
      via: ['ztunnel', 'waypoint', 'ztunnel'],
      latency: { p99: { op: '<', value: 5, unit: 'ms' } },
      decision: [{ kind: 'authz', result: 'ALLOW', policy: 'accounts/allow-get-only' }],
    });
  });

  it('gives each step positions for later layers to report at', () => {
    const r = step(s, 'GET from finance', 'request');
    const where = (p: { file: string; line: number; col: number }) => `${p.file}:${p.line}:${p.col}`;
    expect(where(r.pos)).toBe(`${FIXTURES}/contract/scenario.yaml:39:7`);
    expect(where(r.at(['request', 'from']))).toBe(`${FIXTURES}/contract/scenario.yaml:42:15`);
    expect(where(r.at(['expect', 'latency', 'p99']))).toBe(`${FIXTURES}/contract/scenario.yaml:53:25`);
    expect(where(s.at(['spec', 'seed']))).toBe(`${FIXTURES}/contract/scenario.yaml:7:9`);
  });

  it('places inline manifests of an apply step at their lines in the scenario', () => {
    const a = step(s, 'apply a policy', 'apply');
    expect(a.source).toHaveProperty('inline');
    expect(a.resources.map((r) => [r.obj.kind, r.pos.line, r.pos.col, r.clusters])).toEqual([['AuthorizationPolicy', 59, 11, ['cluster1']]]);
    expect(a.resources[0]!.at(['metadata', 'name']).line).toBe(61);
  });
});

describe('inline manifests after loading', () => {
  // The embedded text is not kept once loaded: a position asked for later reads it again from the
  // scenario file, and must land where the first reading would have.
  const text = [
    HEADER.trimEnd(),
    'spec:',
    '  resources:',
    '    - inline: |',
    '        apiVersion: v1',
    '        kind: Namespace',
    '        metadata:',
    '          name: one',
    '        ---',
    '        apiVersion: v1',
    '        kind: ServiceAccount',
    '        metadata:',
    '          name: two',
    '          namespace: one',
    '',
  ].join('\n');
  const s = loadScenarioText(text, 'inline.yaml').scenario!;

  it.each([
    { doc: 0, path: [], line: 8, col: 9 },
    { doc: 0, path: ['metadata', 'name'], line: 11, col: 17 },
    { doc: 1, path: ['metadata', 'namespace'], line: 17, col: 22 },
    { doc: 1, path: ['kind'], line: 14, col: 15 },
  ])('document $doc, $path: line $line, col $col', ({ doc, path, line, col }) => {
    const at = s.resources[doc]!.at(path);
    expect([at.file, at.line, at.col]).toEqual(['inline.yaml', line, col]);
    // Asked again: the same answer.
    expect(s.resources[doc]!.at(path)).toEqual(at);
  });
});

describe('defaults', () => {
  it('fills in a minimal scenario', () => {
    const r = loadScenarioText(HEADER, 'min.yaml');
    expect(r.diagnostics).toEqual([]);
    const s = r.scenario!;
    expect({ seed: s.seed, startTime: s.startTime, env: s.env, resources: s.resources, apps: s.apps, steps: s.steps, labels: s.labels }).toEqual({
      seed: 1,
      startTime: Date.parse('2026-01-01T00:00:00Z'),
      env: {},
      resources: [],
      apps: [],
      steps: [],
      labels: {},
    });
    expect(s.clusters).toEqual([
      {
        name: 'cluster-1',
        network: 'network-1',
        nodes: ['node-1', 'node-2', 'node-3'].map((name) => ({ name, region: 'region-1', zone: 'zone-1', labels: {} })),
      },
    ]);
    expect(s.istio).toEqual({ rootNamespace: 'istio-system', trustDomain: 'cluster.local', meshConfig: {}, features: {} });
    expect(s.latency.value).toEqual({});
  });

  it('clusters without a network share one, as unlabelled clusters do in Istio', () => {
    const r = loadScenarioText(`${HEADER}spec:\n  clusters: [{ name: east }, { name: west }]\n`, 'c.yaml');
    expect(r.scenario!.clusters.map((c) => [c.name, c.network, c.nodes[0]!.name])).toEqual([
      ['east', 'network-1', 'east-node-1'],
      ['west', 'network-1', 'west-node-1'],
    ]);
  });

  it('defaults request and run steps to the first cluster, and object steps to every cluster', () => {
    const text = `${HEADER}spec:
  clusters: [{ name: east }, { name: west }]
  steps:
    - name: r
      request: { from: external, pod: accounts/accounts, port: 8080 }
    - name: d
      request: { from: a/b, url: "accounts:8080", duration: 10s, rate: 5/s, arrival: constant, timeout: 2s, explain: true }
    - name: sh
      run: kubectl get pods
    - name: del
      delete: { kind: Namespace, name: x }
    - name: ann
      annotate: { kind: Namespace, name: x, annotations: { a: b } }
`;
    const r = loadScenarioText(text, 'd.yaml');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    const [req, dur, run, del, ann] = r.scenario!.steps as [RequestStep, RequestStep, Step, Step, Step];
    expect(req).toMatchObject({ cluster: 'east', from: { kind: 'external' }, target: { kind: 'pod', namespace: 'accounts', name: 'accounts', port: 8080, path: '/' }, method: 'GET', count: 1, headers: {} });
    expect(dur).toMatchObject({ durationMs: 10_000, timeoutMs: 2000, rate: { perSecond: 5, arrival: 'constant' }, explain: true });
    expect(dur.count).toBeUndefined();
    expect(run).toMatchObject({ type: 'run', cluster: 'east', expect: {} });
    expect(del).toMatchObject({ type: 'delete', clusters: ['east', 'west'], expect: {} });
    expect(ann).toMatchObject({ type: 'label', field: 'annotations', changes: { a: 'b' }, clusters: ['east', 'west'] });
  });

  it('nests parallel steps', () => {
    const text = `${HEADER}spec:\n  steps:\n    - name: both\n      parallel:\n        - { name: w1, wait: 1s }\n        - { name: w2, wait: 250ms }\n`;
    const s = loadScenarioText(text, 'p.yaml').scenario!;
    const p = s.steps[0]!;
    expect(p.type === 'parallel' && p.steps.map((x) => [x.name, x.type === 'wait' && x.durationMs, x.pos.line])).toEqual([
      ['w1', 1000, 9],
      ['w2', 250, 10],
    ]);
  });
});

describe('an apply step that expects an error', () => {
  it('keeps invalid objects as rejected instead of failing the load', () => {
    const text = `${HEADER}spec:\n  steps:\n    - name: bad policy\n      apply:\n        inline: |\n          apiVersion: v1\n          kind: Namespace\n          metadata: {}\n      expect: { error: "name is required" }\n`;
    const r = loadScenarioText(text, 'x.yaml');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    const a = r.scenario!.steps[0] as ApplyStep;
    expect(a.resources).toEqual([]);
    expect(a.rejected).toHaveLength(1);
    expect(a.rejected[0]!.diagnostics[0]!.line).toBe(12);
  });
});

describe('three mistakes in three files', () => {
  it('reports exactly those, each at its FILE:LINE:COL, scenario file first', () => {
    const dir = `${FIXTURES}/three-mistakes`;
    const r = loadScenario(`${dir}/scenario.yaml`);
    expect(r.scenario).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}`)).toEqual([
      `${dir}/scenario.yaml:14:9`, // request.retries: unknown field
      `${dir}/manifests/app.yaml:8:1`, // the Deployment's metadata has no name
      `${dir}/more/nested/service.yaml:6:1`, // the second document has no kind
    ]);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['unknown field "retries"', expect.stringMatching(/name/), expect.stringMatching(/kind/)]);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });
});

describe('loadScenarios', () => {
  it('loads every kind: Scenario file of a folder, recursively and sorted, and skips manifests', () => {
    const r = loadScenarios(`${FIXTURES}/suite`);
    expect(r.diagnostics).toEqual([]);
    expect(r.scenarios.map((s) => [s.name, s.file])).toEqual([
      ['a-one', `${FIXTURES}/suite/a/one.yaml`],
      ['b', `${FIXTURES}/suite/b.yaml`],
    ]);
    expect(r.scenarios[0]!.resources.map((x) => x.obj.metadata.name)).toEqual(['from-suite']);
  });

  it('loads a single file, and reports all problems of all files of a folder', () => {
    expect(loadScenarios(`${FIXTURES}/suite/b.yaml`).scenarios.map((s) => s.name)).toEqual(['b']);
    const r = loadScenarios(`${FIXTURES}`);
    expect(new Set(r.diagnostics.map((d) => d.file))).toEqual(
      new Set([`${FIXTURES}/three-mistakes/scenario.yaml`, `${FIXTURES}/three-mistakes/manifests/app.yaml`, `${FIXTURES}/three-mistakes/more/nested/service.yaml`]),
    );
  });

  it.each([
    ['nope', 'nope: no such file or directory'],
    [`${FIXTURES}/manifests`, `${FIXTURES}/manifests: no scenario files (kind: Scenario) in this folder`],
  ])('%s', (path, message) => {
    expect(loadScenarios(path).diagnostics.map(formatDiagnostic)).toEqual([message]);
  });
});
