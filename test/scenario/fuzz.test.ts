// Whatever the input, loading returns diagnostics; it never throws and never hangs.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/scenario/diagnostics';
import { loadManifestText } from '../../src/scenario/manifests';
import { loadScenarioText } from '../../src/scenario/load';
import type { ScenarioLoad } from '../../src/scenario/load';
import { parseYaml } from '../../src/scenario/yaml-source';

const CONTRACT = 'test/fixtures/scenario/contract/scenario.yaml';
const VALID = readFileSync(CONTRACT, 'utf8');

function wellFormed(d: Diagnostic): boolean {
  return (
    typeof d.file === 'string' &&
    Number.isInteger(d.line) &&
    Number.isInteger(d.col) &&
    d.line >= 0 &&
    d.col >= 0 &&
    typeof d.message === 'string' &&
    d.message.length > 0 &&
    // the loaders' last-resort guards: reaching them means an exception escaped somewhere
    !d.message.startsWith('internal error') &&
    !d.message.startsWith('cannot parse YAML') &&
    (d.severity === 'error' || d.severity === 'warning')
  );
}

/** A load either has a scenario and no errors, or errors and no scenario. */
function checkScenarioLoad(r: ScenarioLoad): void {
  expect(r.diagnostics.every(wellFormed)).toBe(true);
  const errors = r.diagnostics.some((d) => d.severity === 'error');
  expect(errors).toBe(r.scenario === undefined);
}

function checkAll(text: string, file = 'fuzz.yaml'): void {
  checkScenarioLoad(loadScenarioText(text, file));
  const m = loadManifestText(text, file);
  expect(m.diagnostics.every(wellFormed)).toBe(true);
  expect(parseYaml(text, file).diagnostics.every(wellFormed)).toBe(true);
}

/** Fragments that exercise YAML's structure and the scenario's vocabulary. */
const TOKENS = [
  'apiVersion: meshsim.dev/v1alpha1', 'kind: Scenario', 'kind: List', 'items:', 'metadata:', 'name: x', 'spec:', 'steps:', 'resources:',
  '- ', '  ', '    ', '\n', '\t', '{', '}', '[', ']', ',', ':', ': ', '? ', '&a ', '*a', '<<: *a', '---', '...', '|', '>-', '"', "'", '#',
  '!!str ', '!!binary ', '%YAML 1.2', 'request:', 'from: a/b', 'url: http://x/', 'wait: 1s', 'run: echo', 'apply:', 'inline: |',
  'file: .', 'file: /', 'expect:', 'statuses: {"200": ">=0.5"}', 'latency: {p99: "<5ms"}', 'parallel:', 'null', '~', '0x1F', '1e999', '\u00a0', '\ufeff',
];

const yamlish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((xs) => xs.join(''));

describe('loading never throws', () => {
  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => checkAll(s)), { numRuns: 400 });
  });

  it('on random YAML-ish token soup', () => {
    fc.assert(fc.property(yamlish, (s) => checkAll(s)), { numRuns: 600 });
  });

  it('on random data in scenario and manifest shapes', () => {
    const scenario = fc.record({
      apiVersion: fc.oneof(fc.constant('meshsim.dev/v1alpha1'), fc.jsonValue()),
      kind: fc.oneof(fc.constant('Scenario'), fc.constant('List'), fc.jsonValue()),
      metadata: fc.oneof(fc.record({ name: fc.oneof(fc.constant('x'), fc.jsonValue()) }), fc.jsonValue()),
      spec: fc.dictionary(fc.constantFrom('seed', 'startTime', 'clusters', 'istio', 'env', 'resources', 'apps', 'latency', 'steps', 'bogus'), fc.jsonValue({ maxDepth: 4 })),
      items: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }),
    });
    fc.assert(fc.property(scenario, (doc) => checkAll(stringify(doc))), { numRuns: 400 });
  });

  it('on random steps', () => {
    const step = fc.record(
      {
        name: fc.oneof(fc.constantFrom('a', 'b'), fc.jsonValue()),
        request: fc.dictionary(fc.constantFrom('from', 'url', 'pod', 'port', 'path', 'rate', 'count', 'duration', 'headers', 'cluster'), fc.oneof(fc.string(), fc.jsonValue())),
        wait: fc.oneof(fc.string(), fc.jsonValue()),
        parallel: fc.array(fc.record({ name: fc.string(), wait: fc.string() }), { maxLength: 3 }),
        expect: fc.dictionary(fc.constantFrom('status', 'statuses', 'latency', 'via', 'decision', 'throughput', 'backends', 'exitCode'), fc.jsonValue({ maxDepth: 3 })),
      },
      { requiredKeys: [] },
    );
    const doc = fc.array(step, { maxLength: 4 }).map((steps) => stringify({ apiVersion: 'meshsim.dev/v1alpha1', kind: 'Scenario', metadata: { name: 's' }, spec: { steps } }));
    fc.assert(fc.property(doc, (text) => checkAll(text)), { numRuns: 400 });
  });

  it('on every line-prefix of a valid scenario, and the valid scenario itself', () => {
    const lines = VALID.split('\n');
    for (let n = 0; n <= lines.length; n++) checkScenarioLoad(loadScenarioText(lines.slice(0, n).join('\n'), CONTRACT));
    expect(loadScenarioText(VALID, CONTRACT).scenario).toBeDefined();
  });

  it('on random truncations and one-character mutations of a valid scenario', () => {
    const cut = fc.nat({ max: VALID.length }).map((n) => VALID.slice(0, n));
    const mutate = fc
      .tuple(fc.nat({ max: VALID.length - 1 }), fc.constantFrom('', ' ', '\t', ':', '-', '"', '\n', '{', '[', 'x', '#', '&', '*'))
      .map(([i, c]) => VALID.slice(0, i) + c + VALID.slice(i + 1));
    fc.assert(fc.property(fc.oneof(cut, mutate), (text) => checkScenarioLoad(loadScenarioText(text, CONTRACT))), { numRuns: 300 });
  });
});
