// Long literal blocks (a scenario's `inline: |` manifests) are cut out before js-yaml reads the text
// and put back as values; what users get stays exactly what the full parser gives.
import fc from 'fast-check';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { liftBlockScalars, originalOffset } from '../../src/scenario/block-scalars';
import { fastParseYaml } from '../../src/scenario/fast-yaml';
import { expectSameParse } from './parse-both-ways';

const manifest = Array.from({ length: 12 }, (_, i) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-${i}\n---\n`).join('');
const indented = (text: string, by: number) => text.replace(/^(?=.)/gm, ' '.repeat(by));

describe('literal blocks read ahead of js-yaml', () => {
  it('give an inline manifest block the value js-yaml gives it', () => {
    const text = `kind: Scenario\nspec:\n  resources:\n    - inline: |\n${indented(manifest, 8)}\n    - file: b.yaml\n`;
    const lifted = liftBlockScalars(text)!;
    expect(lifted.blocks.map((b) => b.value)).toEqual([manifest]);
    expect(fastParseYaml(text)!.values).toEqual(loadAll(text));
    expect(expectSameParse(text)).toBe(true);
  });

  it('map offsets after a cut back to the original text', () => {
    const text = `a: |\n${indented(manifest, 2)}---\nb: 1\n`;
    const lifted = liftBlockScalars(text)!;
    const second = lifted.text.indexOf('b: 1');
    expect(originalOffset(lifted, second)).toBe(text.indexOf('b: 1'));
    expect(fastParseYaml(text)!.contentStart).toEqual([0, text.indexOf('b: 1')]);
  });

  it('leave short blocks, other headers and blocks with leading blank lines in the text', () => {
    expect(liftBlockScalars('a: |\n  short\n')).toBeUndefined();
    expect(liftBlockScalars(`a: |-\n${indented(manifest, 2)}`)).toBeUndefined();
    expect(liftBlockScalars(`a: |\n\n${indented(manifest, 2)}`)).toBeUndefined();
    expect(liftBlockScalars(`"a": |\n${indented(manifest, 2)}`)).toBeUndefined();
    expect(liftBlockScalars(`a: |\n${indented(manifest, 2)}  \t\n`)).toBeUndefined();
  });

  it('hand a header inside another block to the full parser whole', () => {
    // `inline: |` here is content of `note: |-`; its cut-out placeholder is never read as a block
    const text = `note: |-\n  x\n  inline: |\n${indented(manifest, 4)}`;
    expect(liftBlockScalars(text)!.blocks).toHaveLength(1);
    expect(fastParseYaml(text)).toBeUndefined();
    expectSameParse(text);
  });
});

/** A content line of a block indented `indent` deep: content, deeper content, blank lines of every width, less-indented text. */
const blockLine = (indent: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('kind: Service', 'name: a', '- x', '# not a comment', 'a: |', '"quoted', "it's", '---', '...', 'key: |').map((w) => ' '.repeat(indent) + w) },
    fc.constantFrom('  deeper', '    - deeper: |').map((w) => ' '.repeat(indent) + w),
    fc.integer({ min: 0, max: indent + 2 }).map((n) => ' '.repeat(n)),
    fc.constantFrom('# comment', 'next: 1', '- item', 'other: |', '"a', '\tx').map((w) => ' '.repeat(Math.max(0, indent - 2)) + w),
    fc.constantFrom('\t', '\r', '\ufffe', '\u2028', 'é', '😀').map((w) => ' '.repeat(indent) + w),
  );

/** A text holding one `key: |` block among other nodes, its header written in one of several ways. */
const textWithBlock = fc
  .integer({ min: 1, max: 8 })
  .chain((indent) =>
    fc.record({
      before: fc.constantFrom('', 'a: 1\n', 'note: |-\n  x\n', 'desc: "two\n', 'list:\n', '- '),
      header: fc.constantFrom('inline: |', '- inline: |', '  - inline: |', '  key: |', 'x: |', 'a b: |', '- - k: |'),
      indent: fc.constant(indent),
      lines: fc.array(blockLine(indent), { maxLength: 12 }),
      after: fc.constantFrom('', 'b: 2\n', '  c: 3\n', '---\nd: 4\n', '- e\n', '"'),
    }),
  )
  .map(({ before, header, indent, lines, after }) => {
    const padding = Array.from({ length: 20 }, (_, i) => `${' '.repeat(indent)}line ${i} of the block`);
    return `${before}${header}\n${[padding[0], ...lines, ...padding.slice(1)].join('\n')}\n${after}`;
  });

describe('fast and full parsers agree on texts with literal blocks', () => {
  it('whether or not the blocks are cut out', () => {
    let taken = 0;
    fc.assert(
      fc.property(textWithBlock, (text) => {
        if (liftBlockScalars(text) && expectSameParse(text)) taken++;
      }),
      { numRuns: 800 },
    );
    // the cut-out path is taken often enough for the comparison to mean something
    expect(taken).toBeGreaterThan(50);
  }, 120_000);
});
