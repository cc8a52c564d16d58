// Every mistake is reported at its place, all at once, and no scenario is returned.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/scenario/diagnostics';
import { loadScenarioText } from '../../src/scenario/load';

const HEADER = ['apiVersion: meshsim.dev/v1alpha1', 'kind: Scenario', 'metadata:', '  name: t', 'spec:'];

/** Loads HEADER + `spec` lines (spec starts on line 6) and returns `LINE:COL: message` for each diagnostic. */
function problems(...spec: string[]): string[] {
  const r = loadScenarioText([...HEADER, ...spec, ''].join('\n'), 's.yaml');
  expect(r.scenario).toBeUndefined();
  return r.diagnostics.map((d) => formatDiagnostic(d).replace(/^s\.yaml:/, ''));
}

describe('scenario errors', () => {
  it.each<[string, string[], (string | RegExp)[]]>([
    ['unknown spec field', ['  sed: 1'], ['6:3: unknown field "sed"']],
    ['unknown top-level field', ['  seed: 1', 'extra: true'], ['7:1: unknown field "extra"']],
    ['wrong seed and startTime', ['  seed: 1.5', '  startTime: yesterday'], ['6:9: seed: expected an integer, got number 1.5', '7:14: startTime: must be an RFC 3339 time such as 2026-01-01T00:00:00Z']],
    ['impossible startTime', ['  startTime: 2026-13-01T00:00:00Z'], ['6:14: startTime: "2026-13-01T00:00:00Z" is not a valid time']],
    ['empty cluster list', ['  clusters: []'], ['6:13: clusters: must not be empty']],
    ['duplicate cluster', ['  clusters:', '    - name: a', '    - name: a'], ['8:13: duplicate cluster name "a"']],
    [
      'unknown cluster named by a step',
      ['  clusters: [{ name: a }]', '  steps:', '    - name: x', '      run: echo', '      cluster: b'],
      ['10:16: unknown cluster "b" (clusters: a)'],
    ],
    ['unknown step kind', ['  steps:', '    - name: x', '      reqest: {}'], ['8:7: unknown step kind "reqest" (did you mean "request"?)']],
    [
      'steps without a name or action, a duplicate name, two actions',
      ['  steps:', '    - name: x', '    - run: echo', '    - name: x', '      run: echo', '      wait: 1s'],
      [
        '7:7: step has no action: add one of apply, delete, label, annotate, request, run, wait, parallel',
        '8:7: missing required field "name"',
        '9:13: duplicate step name "x" (first used at line 7)',
        '11:7: a step has one action, this one has "run" and "wait"',
      ],
    ],
    [
      'bad durations',
      ['  steps:', '    - { name: a, wait: 30 }', '    - { name: b, wait: 3 s }', '    - { name: c, wait: 1d }'],
      [
        '7:24: wait: invalid duration 30: a duration needs a unit, e.g. 30s or 30ms',
        '8:24: wait: invalid duration "3 s": expected a number with a unit such as 100ms, 1.5s, 2m or 1h30m',
        '9:24: wait: invalid duration "1d": unknown unit "d" (use ns, us, ms, s, m or h)',
      ],
    ],
    [
      'bad request fields and expressions',
      [
        '  steps:',
        '    - name: a',
        '      request: { from: finance, url: "http://x/", rate: 5/d, count: ten }',
        '      expect:',
        '        latency: { p99: "5ms" }',
        '        statuses: { "200": ">=1.5", abc: "1" }',
        '        via: [ztunnel, bogus]',
        '        decision: { kind: authz, res: 1 }',
      ],
      [
        '8:24: from: must be NAMESPACE/WORKLOAD (e.g. finance/curl) or external, got string "finance"',
        '8:57: rate: invalid rate "5/d": expected e.g. 50/s, 3000/m or a number per second',
        '8:69: count: expected a number, got string "ten"',
        /^10:25: p99: invalid latency expression "5ms": start with </,
        /^11:28: 200: invalid fraction expression ">=1.5": a fraction is between 0 and 1/,
        '11:37: abc: invalid key: status codes are three digits, e.g. "200"',
        /^12:24: via\[1\]: expected "pod" or "ztunnel" or .*, got string "bogus"$/,
        '13:34: unknown field "res"',
      ],
    ],
    [
      'url and pod',
      ['  steps:', '    - { name: a, request: { from: a/b, url: "http://x/", pod: a/b } }', '    - { name: b, request: { from: a/b } }', '    - { name: c, request: { from: a/b, url: "x/", port: 80 } }'],
      ['7:63: pod: give either url or pod, not both', '8:27: request: missing required field "url" (or "pod")', '9:57: port: port goes with pod; put it in the url instead'],
    ],
    ['rate and concurrency', ['  steps:', '    - { name: a, request: { from: a/b, url: x, rate: 5/s, concurrency: 2 } }'], ['7:72: concurrency: give either rate or concurrency, not both']],
    ['invalid url', ['  steps:', '    - { name: a, request: { from: a/b, url: "http://a b/" } }'], ['7:45: url: "http://a b/" is not a valid URL']],
    [
      'resources: missing file, unknown cluster, neither file nor inline',
      ['  resources:', '    - file: nope.yaml', '    - inline: "apiVersion: v1\\nkind: Namespace\\nmetadata: { name: x }"', '      clusters: [zz]', '    - {}'],
      ['7:13: nope.yaml: no such file or directory', '9:18: unknown cluster "zz" (clusters: cluster-1)', '10:7: resources[2]: missing required field "file" or "inline"'],
    ],
    ['apply of a missing file', ['  steps:', '    - name: a', '      apply: { file: gone/, cluster: cluster-1 }'], ['8:22: gone/: no such file or directory']],
    [
      'an invalid inline manifest is reported at its line in the scenario',
      ['  steps:', '    - name: a', '      apply:', '        inline: |', '          apiVersion: v1', '          kind: Namespace', '          metadata:', '            labels: {}'],
      [/^12:11: .*name/],
    ],
    [
      'duplicate names inside parallel steps',
      ['  steps:', '    - name: p', '      parallel:', '        - { name: q, wait: 1s }', '        - { name: p, wait: 1x }'],
      ['10:19: duplicate step name "p" (first used at line 7)', '10:28: wait: invalid duration "1x": unknown unit "x" (use ns, us, ms, s, m or h)'],
    ],
    [
      'apps',
      ['  apps:', '    - workload: a/b', '      serviceTime: { distribution: pareto }', '    - workload: ab', '    - workload: c/d', '      serviceTime: 5', '    - workload: c/d'],
      [
        '8:36: distribution: expected "constant" or "exponential" or "uniform" or "normal" or "lognormal", got string "pareto"',
        '9:17: workload: must be NAMESPACE/NAME, e.g. finance/curl',
        '11:20: serviceTime: invalid duration 5: a duration needs a unit, e.g. 5s or 5ms',
      ],
    ],
    ['duplicate app override', ['  apps:', '    - workload: c/d', '    - workload: c/d'], ['8:17: duplicate app override for "c/d"']],
    [
      'istio and env values',
      ['  istio: { features: { A: [1] }, foo: 1 }', '  env: { A: 1, B: [x] }'],
      ['6:27: A: expected a boolean or a string or a number, got a sequence', '6:34: unknown field "foo"', '7:19: B: expected a string or a number or a boolean, got a sequence'],
    ],
    [
      'run and label expectations',
      ['  steps:', '    - name: a', '      run: echo', '      expect: { exitCode: 300, stdoutContains: [1] }', '    - name: b', '      label: { kind: Namespace, name: x, labels: { a: 1 } }'],
      ['9:27: exitCode: must be at most 255', '9:49: stdoutContains[0]: expected a string, got number 1', '11:55: a: expected a string, got number 1'],
    ],
    ['expect on a wait step', ['  steps:', '    - { name: w, wait: 1s, expect: {} }'], ['7:28: unknown field "expect"']],
    ['steps that are not a list', ['  steps: { a: 1 }'], ['6:10: steps: expected a sequence, got a mapping']],
    [
      'steps that are not mappings',
      ['  steps:', '    - just a string', '    - 42'],
      ['7:7: a step is a mapping with a name and one of: apply, delete, label, annotate, request, run, wait, parallel', '8:7: a step is a mapping with a name and one of: apply, delete, label, annotate, request, run, wait, parallel'],
    ],
    ['podSubnet with host bits', ['  clusters:', '    - name: a', '      podSubnet: 10.244.1.0/16'], ['8:18: podSubnet: 10.244.1.0/16 has host bits set; its block is 10.244.0.0/16']],
    ['podSubnet narrower than a node', ['  clusters:', '    - name: a', '      podSubnet: 10.128.0.0/25'], ['8:18: podSubnet: 10.128.0.0/25 must have a prefix length from /8 to /24 (each node takes a /24)']],
    [
      'podSubnet overlapping another cluster',
      ['  clusters:', '    - name: a', '    - name: b', '      podSubnet: 10.244.0.0/15'],
      ['9:18: cluster "b": podSubnet 10.244.0.0/15 overlaps the pod subnet 10.244.0.0/16 of cluster "a"'],
    ],
    [
      'default pod subnet overlapping a podSubnet before it',
      ['  clusters:', '    - name: a', '      podSubnet: 10.245.0.0/16', '    - name: b'],
      ['9:13: cluster "b": the default pod subnet 10.245.0.0/16 overlaps the pod subnet 10.245.0.0/16 of cluster "a"'],
    ],
    [
      'podSubnet overlapping Services and nodes',
      ['  clusters:', '    - name: a', '      podSubnet: 10.96.0.0/12', '    - name: b', '      podSubnet: 172.16.0.0/12'],
      ['8:18: cluster "a": podSubnet 10.96.0.0/12 overlaps the Service range 10.96.0.0/16 of cluster "a"', '10:18: cluster "b": podSubnet 172.16.0.0/12 overlaps the node range 172.18.0.0/16 of cluster "a"'],
    ],
    [
      'more nodes than the pod subnet holds',
      ['  clusters:', '    - name: a', '      podSubnet: 10.128.0.0/24', '      nodes: [{ name: n1 }, { name: n2 }]'],
      ['9:29: cluster "a" has 2 nodes, but its pod subnet 10.128.0.0/24 holds 1 (a /24 per node): set podSubnet to a /23 or wider'],
    ],
    ['more than twelve clusters', ['  clusters:', ...Array.from({ length: 13 }, (_, i) => `    - name: c${i}`)], ['19:7: at most 12 clusters are supported (each takes its own node, pod and Service ranges)']],
  ])('%s', (_name, spec, want) => {
    const got = problems(...spec);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => (typeof w === 'string' ? expect(got[i]).toBe(w) : expect(got[i]).toMatch(w)));
  });
});

describe('whole-file errors', () => {
  it.each([
    ['', ['s.yaml:1:1: empty scenario file']],
    ['# nothing\n', ['s.yaml:1:1: empty scenario file']],
    ['apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n', ['s.yaml:1:13: apiVersion: expected "meshsim.dev/v1alpha1", got string "v1"', 's.yaml:2:7: kind: expected "Scenario", got string "Namespace"']],
    ['- a\n', ['s.yaml:1:1: expected a mapping, got a sequence']],
    [`${HEADER.join('\n')}\n---\nkind: Namespace\n`, ['s.yaml:7:1: a scenario file holds one document; put manifests in spec.resources']],
    ['kind: Scenario\nmetadata: {name: x}\na: 1\na: 2\n', [/^s\.yaml:4:1: Map keys must be unique/]],
  ])('%j', (text, want) => {
    const r = loadScenarioText(text, 's.yaml');
    expect(r.scenario).toBeUndefined();
    const got = r.diagnostics.map(formatDiagnostic);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => (typeof w === 'string' ? expect(got[i]).toBe(w) : expect(got[i]).toMatch(w)));
  });

  it('a missing scenario file is reported without a position', async () => {
    const { loadScenario } = await import('../../src/scenario/load');
    expect(loadScenario('no/such/scenario.yaml').diagnostics.map(formatDiagnostic)).toEqual(['no/such/scenario.yaml: no such file or directory']);
  });
});
