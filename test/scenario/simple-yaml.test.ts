// The line reader the fast parser tries first: where it takes a text it gives the full parser's
// values and document positions; everything outside its subset it hands on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/generate';
import { liftBlockScalars } from '../../src/scenario/block-scalars';
import { parseSimpleYaml } from '../../src/scenario/simple-yaml';
import { StringPool } from '../../src/scenario/string-pool';
import { parseYaml } from '../../src/scenario/yaml-source';
import { manifestYamlText, mutated, mutatedYamlText, stringifiedYamlText, yamlText } from './yaml-texts';

function simple(text: string) {
  return parseSimpleYaml(text, new Map(), new StringPool());
}

/** Line and column (1-based) of an offset, as the parsers report positions. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

/** Whether the reader took `text`; when it did, checks it against the full parser. */
function agreesWithFullParser(text: string): boolean {
  const read = simple(text);
  if (read === undefined) return false;
  const full = parseYaml(text, 'f.yaml', undefined, { fast: false });
  expect(full.diagnostics).toEqual([]);
  expect(read.values).toStrictEqual(full.docs.map((d) => d.value));
  expect(read.contentStart.map((at) => lineCol(text, at))).toEqual(full.docs.map((d) => ({ line: d.pos.line, col: d.pos.col })));
  return true;
}

describe('the simple YAML reader agrees with the full parser', () => {
  // Each line: the texts, how many to try, and how many of them the reader must take for the
  // comparison to mean something.
  it.each<[string, fc.Arbitrary<string>, number, number]>([
    ['manifest-shaped texts', manifestYamlText, 1000, 150],
    ['broken manifest-shaped texts', mutated(manifestYamlText), 2000, 80],
    ['data written by the yaml library', stringifiedYamlText, 600, 40],
    ['generated texts of every construct (it hands most on)', yamlText, 1500, 5],
    ['broken texts of every construct', mutatedYamlText, 2000, 0],
  ])('on %s', (_name, texts, numRuns, minTaken) => {
    let taken = 0;
    fc.assert(
      fc.property(texts, (text) => {
        if (agreesWithFullParser(text)) taken++;
      }),
      { numRuns },
    );
    expect(taken).toBeGreaterThanOrEqual(minTaken);
  }, 120_000);

  it('on the generated scenario, inline manifests cut out and put back', () => {
    const text = generateScenario({ pods: 60, services: 6, namespaces: 3, singleFile: true }).get('scenario.yaml')!;
    const lifted = liftBlockScalars(text)!;
    const blocks = new Map(lifted.blocks.map((b) => [b.header, b.value]));
    const read = parseSimpleYaml(lifted.text, blocks, new StringPool());
    expect(read?.values).toStrictEqual(parseYaml(text, 'f.yaml', undefined, { fast: false }).docs.map((d) => d.value));
  });
});

describe('the simple YAML reader', () => {
  it('reads a manifest stream: comments, markers, flow collections, quoted keys, a sequence at its key’s indentation', () => {
    const text = [
      '# leading comment',
      '---',
      'apiVersion: apps/v1   # trailing comment',
      'kind: Deployment',
      'metadata: { name: web, namespace: default }',
      'labels: { }',
      'spec:',
      '  replicas: 3',
      '  containers:',
      '  - name: web',
      "    command: [\"/bin/sleep\", 'it''s', 10, true, ~]",
      '',
      '    image: nginx:1.27',
      '--- # second',
      'expect: { "200": ">=0.99", rate: 1.5 }',
      'empty:',
      'list: []',
      '',
    ].join('\n');
    expect(simple(text)?.values).toStrictEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        labels: {},
        spec: { replicas: 3, containers: [{ name: 'web', command: ['/bin/sleep', "it's", 10, true, null], image: 'nginx:1.27' }] },
      },
      { expect: { '200': '>=0.99', rate: 1.5 }, empty: null, list: [] },
    ]);
    expect(agreesWithFullParser(text)).toBe(true);
  });

  it('reads a large mapping', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `key-${i}: ${i}`).join('\n');
    const value = simple(text)?.values[0] as Record<string, number>;
    expect(Object.keys(value)).toHaveLength(5000);
    expect(value['key-4999']).toBe(4999);
    expect(agreesWithFullParser(text)).toBe(true);
  });

  it('puts a cut-out literal block back where its placeholder stands', () => {
    const body = Array.from({ length: 40 }, (_, i) => `      line ${i}`).join('\n');
    const text = `resources:\n  - inline: |\n${body}\n    name: x\n`;
    const lifted = liftBlockScalars(text)!;
    const blocks = new Map(lifted.blocks.map((b) => [b.header, b.value]));
    expect(parseSimpleYaml(lifted.text, blocks, new StringPool())?.values).toStrictEqual(parseYaml(text, 'f.yaml', undefined, { fast: false }).docs.map((d) => d.value));
    // a block it was told of but never read sends the text on
    expect(parseSimpleYaml('a: 1\n', blocks, new StringPool())).toBeUndefined();
  });

  // Each line: what the reader hands on, and why.
  it.each<[string, string]>([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['an escape', 'a: "\\u00e9"\n'],
    ['a literal block it was not given', 'a: |\n  x\n'],
    ['a folded block', 'a: >\n  x\n'],
    ['a nested flow collection', 'a: [1, [2]]\n'],
    ['a flow collection over two lines', 'a: [1,\n  2]\n'],
    ['a trailing comma', 'a: [1, 2, ]\n'],
    ['an empty document', 'a: 1\n---\n'],
    ['only comments', '# nothing\n'],
    ['a scalar document', 'just text\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a large mapping', `${Array.from({ length: 40 }, (_, i) => `k${i}: ${i}`).join('\n')}\nk3: 0\n`],
    ['a key that is not a string', '1: a\n'],
    ['a null key', '~: a\n'],
    ['a merge key', '<<: { a: 1 }\n'],
    ['a quoted merge key', '"<<": { a: 1 }\n'],
    ['__proto__', '"__proto__": { a: 1 }\n'],
    ['an empty sequence entry', '- \n- a\n'],
    ['a nested sequence on one line', '- - a\n'],
    ['a mapping value on the same line as a key', 'a: b: c\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a document end marker run into a key', 'a: 1\n...  b: 2\n'],
    ['content after a document start', '--- a: 1\n'],
    ['a tab', 'a:\t1\n'],
    ['a comment right after a quoted scalar', 'a: "b"#c\n'],
    ['text after a quoted scalar', 'a: "b" c\n'],
    ['a line longer than 1024 characters', `a: ${'x'.repeat(1100)}\n`],
    ['a key more indented than its siblings', 'a: 1\n b: 2\n'],
    ['a scalar under its key continued on another line', 'a:\n  one\n  two\n'],
  ])('hands on %s', (_why, text) => {
    expect(simple(text)).toBeUndefined();
  });
});
