import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/scenario/yaml-source';
import type { Path } from '../../src/scenario/yaml-source';

const lc = (p: { line: number; col: number }) => `${p.line}:${p.col}`;

describe('parseYaml positions', () => {
  const text = [
    'apiVersion: security.istio.io/v1', //  1
    'kind: AuthorizationPolicy', //         2
    'metadata:', //                         3
    '  name: allow', //                     4
    'spec:', //                             5
    '  rules:', //                          6
    '    - from:', //                       7
    '        - source:', //                 8
    '            principals: [a, "b"]', //  9
    '      to: [{ operation: { methods: [GET] } }]', // 10
    '  empty:', //                         11
    '  action: ALLOW', //                  12
  ].join('\n');
  const [doc] = parseYaml(text, 'p.yaml').docs;

  it.each<[Path, string]>([
    [[], '1:1'],
    [['kind'], '2:7'],
    [['metadata'], '3:1'], // a block mapping is located at its key
    [['metadata', 'name'], '4:9'],
    [['spec', 'rules'], '6:3'],
    [['spec', 'rules', 0], '7:7'],
    [['spec', 'rules', 0, 'from', 0, 'source', 'principals'], '9:25'], // a flow sequence is located at itself
    [['spec', 'rules', 0, 'from', 0, 'source', 'principals', 1], '9:29'],
    [['spec', 'rules', 0, 'to', 0, 'operation', 'methods', 0], '10:37'],
    [['spec', 'empty'], '11:3'], // `key:` with no value is located at the key
    // paths that do not exist fall back to the nearest existing ancestor
    [['metadata', 'namespace'], '3:1'],
    [['spec', 'rules', 5, 'from'], '6:3'],
    [['spec', 'action', 'deep'], '12:11'],
    [['spec', 'rules', '0', 'from'], '7:7'], // numeric strings index sequences
  ])('at(%j) = %s', (path, want) => {
    expect(lc(doc!.at(path))).toBe(want);
  });

  it('keyAt locates a mapping entry at its key', () => {
    expect(lc(doc!.keyAt(['metadata', 'name']))).toBe('4:3');
    expect(lc(doc!.keyAt(['spec', 'action']))).toBe('12:3');
    expect(lc(doc!.keyAt(['spec', 'rules', 0]))).toBe('7:7');
  });

  it('follows aliases and merge keys', () => {
    const [d] = parseYaml('base: &b\n  port: 80\nsvc:\n  <<: *b\n  name: x\n', 'm.yaml').docs;
    expect(d!.value).toEqual({ base: { port: 80 }, svc: { port: 80, name: 'x' } });
    expect(lc(d!.at(['svc', 'port']))).toBe('2:9');
    expect(lc(d!.at(['svc', 'name']))).toBe('5:9');
  });
});

describe('parseYaml documents', () => {
  it('skips empty documents but keeps stream indexes', () => {
    const { docs, diagnostics } = parseYaml('---\n---\n# only a comment\n---\na: 1\n---\n\n---\nb: 2\n', 'm.yaml');
    expect(diagnostics).toEqual([]);
    expect(docs.map((d) => [d.index, d.value, lc(d.pos)])).toEqual([
      [2, { a: 1 }, '5:1'],
      [4, { b: 2 }, '9:1'],
    ]);
  });

  it('reports every syntax error, and keeps the documents without errors', () => {
    const { docs, diagnostics } = parseYaml('a: [1, 2\n---\nok: true\n---\nb: c: d\n', 'bad.yaml');
    expect(docs.map((d) => d.value)).toEqual([{ ok: true }]);
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.severity}`)).toEqual(['bad.yaml:2:1 error', 'bad.yaml:5:4 error']);
    expect(diagnostics[1]!.message).toBe('Nested mappings are not allowed in compact mappings');
  });

  it.each([
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n', '3:1', /unique/],
    ['unknown anchor', 'a: *nope\n', '1:4', /unknown anchor "nope"/],
    ['recursive alias', 'a: &x\n  b: *x\n', '2:6', /refers to a node that contains it/],
    ['collection key', '? [a]\n: 1\n', '1:3', /keys must be scalars/],
    ['tab indentation', 'a:\n\t- b\n', '2:1', /Tabs/],
    ['__proto__ key', 'env:\n  __proto__: { polluted: 1 }\n', '2:3', /"__proto__" is not allowed/],
  ])('%s is an error', (_name, text, at, message) => {
    const { docs, diagnostics } = parseYaml(text, 'e.yaml');
    expect(docs).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    expect(lc(diagnostics[0]!)).toBe(at);
    expect(diagnostics[0]!.message).toMatch(message);
  });

  it('reports an alias explosion instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const { docs, diagnostics } = parseYaml(bomb.join('\n'), 'bomb.yaml');
    expect(docs).toEqual([]);
    expect(diagnostics[0]!.message).toMatch(/alias/i);
  });

  it('reads JSON', () => {
    const { docs } = parseYaml('{\n  "kind": "Service",\n  "metadata": {"name": "x"}\n}\n', 'x.json');
    expect(docs[0]!.value).toEqual({ kind: 'Service', metadata: { name: 'x' } });
    expect(lc(docs[0]!.at(['metadata', 'name']))).toBe('3:24');
  });
});

describe('embedded text positions', () => {
  const text = ['steps:', '  - inline: |', '      kind: A', '', '      name: b', '    flow: "kind: A"', ''].join('\n');
  const [doc] = parseYaml(text, 's.yaml').docs;

  it('maps lines of a literal block back to the file', () => {
    const map = doc!.embedded(['steps', 0, 'inline']);
    expect(lc(map(1, 1))).toBe('3:7');
    expect(lc(map(3, 7))).toBe('5:13');
  });

  it('maps any position in another string to where it starts', () => {
    const map = doc!.embedded(['steps', 0, 'flow']);
    expect(lc(map(1, 5))).toBe('6:11');
  });
});
