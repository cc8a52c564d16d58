// The fast parser gives exactly what the full parser gives, or hands the text to it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParseYaml, needsFullParser } from '../../src/scenario/fast-yaml';
import { parseYaml } from '../../src/scenario/yaml-source';
import { expectSameParse } from './parse-both-ways';
import { mutatedYamlText, stringifiedYamlText, yamlText } from './yaml-texts';

describe('fast and full parsers agree', () => {
  it('on generated YAML texts', () => {
    let taken = 0;
    fc.assert(
      fc.property(yamlText, (text) => {
        if (expectSameParse(text)) taken++;
      }),
      { numRuns: 600 },
    );
    // the comparison means something only if the fast parser takes many of them
    expect(taken).toBeGreaterThan(50);
  }, 120_000);

  it('on data written by the yaml library', () => {
    fc.assert(
      fc.property(stringifiedYamlText, (text) => {
        expectSameParse(text);
      }),
      { numRuns: 400 },
    );
  }, 120_000);

  it('on broken YAML texts', () => {
    fc.assert(
      fc.property(mutatedYamlText, (text) => {
        expectSameParse(text);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});

describe('plain scalars resolve as in the YAML 1.2 core schema', () => {
  // Each line: the text of a plain scalar and the value both parsers give it.
  it.each<[string, unknown]>([
    ['0o17', 15],
    ['0x1F', 31],
    ['0X1F', '0X1F'],
    ['012', 12],
    ['+12', 12],
    ['-0', -0],
    ['1_000', '1_000'],
    ['0b101', '0b101'],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['1.', 1],
    ['1e3', 1000],
    ['1e999', Infinity],
    ['-.Inf', -Infinity],
    ['.NaN', NaN],
    ['nan', 'nan'],
    ['True', true],
    ['tRue', 'tRue'],
    ['yes', 'yes'],
    ['NULL', null],
    ['~', null],
    ['nUll', 'nUll'],
  ])('%s', (plain, want) => {
    const text = `v: ${plain}\n`;
    expect(fastParseYaml(text)?.values).toStrictEqual([{ v: want }]);
    expect(parseYaml(text, 'f.yaml', undefined, { fast: false }).docs[0]!.value).toStrictEqual({ v: want });
  });
});

describe('texts left to the full parser', () => {
  // Each line: why the fast parser must not take the text, and a text showing it.
  it.each<[string, string]>([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a merge key', 'a: {x: 1}\nb:\n  <<: {y: 2}\n'],
    ['a complex key', '? a\n: 1\n'],
    ['a collection as a key', '[a, b]: 1\n'],
    ['a null key', '~: 1\n'],
    ['an empty key', ': 1\n'],
    ['__proto__', '__proto__: 1\n'],
    ['a tab', 'a:\t1\n'],
    ['a carriage return', 'a: 1\r\n'],
    ['a byte-order mark', '\ufeffa: 1\n'],
    ['a \\u escape', 'a: "\\u00e9"\n'],
    ['a flow end first on its line (a warning in yaml)', 'a: [\n  1\n]\n'],
    ['a very long line', `a: ${'x'.repeat(1100)}\n`],
    ['an empty sequence entry', '- - a\n  -\n- b\n'],
    ['a block scalar indentation indicator', 'a: |2\n    x\n'],
    ['a comment right after a quoted scalar (an error in yaml)', 'a: "b"# c\n'],
    ['a flow collection as a flow key', '{{a: 1}, b: 2}\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a document start run into text', '---x\n'],
    ['content after a document start (an error in yaml for a mapping)', '--- a: 1\n'],
    ['no final line break after keep chomping', 'a: |+\n  x\n'.trimEnd()],
  ])('%s', (_why, text) => {
    expect(needsFullParser(text)).toBe(true);
    expect(fastParseYaml(text)).toBeUndefined();
  });

  // Each line: what the prescan lets through but the listener catches.
  it.each<[string, string]>([
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['a syntax error', 'a: b: c\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a block scalar at the root', '|\n  x\n'],
    ['a block scalar starting with a blank line', 'a: |\n      \n  x\n'],
  ])('%s', (_why, text) => {
    expect(needsFullParser(text)).toBe(false);
    expect(fastParseYaml(text)).toBeUndefined();
  });

  it('takes ordinary manifests', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: { name: web, labels: { app: web } }\nspec:\n  ports:\n    - port: 80\n      name: "http"\n  note: |\n    text\n';
    expect(fastParseYaml(text)?.values).toEqual([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web' } }, spec: { ports: [{ port: 80, name: 'http' }], note: 'text\n' } }]);
  });
});
