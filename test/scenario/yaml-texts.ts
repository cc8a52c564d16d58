// fast-check arbitraries for YAML texts: block and flow collections, every scalar style, numbers
// in every notation, booleans and nulls in every spelling, comments and multi-document streams.
// Texts are built from a random tree rendered with random styles; a mutation step then breaks
// some of them, since invalid texts must be handed to the full parser, never half-read.
import fc from 'fast-check';
import { stringify } from 'yaml';

const WORDS = [
  // numbers in every notation, valid and not quite
  '0', '-0', '+0', '7', '+12', '-12', '012', '0o17', '0o8', '0x1F', '0xff', '0X1F', '0x', '1_000', '0b101', '1.5', '-1.5', '.5', '-.5', '+.5',
  '1.', '1.0', '1.50', '1e3', '1E-3', '.1e2', '-1.0e+2', '1e999', '9007199254740993', '1.7976931348623157e309', '.inf', '-.Inf', '+.INF', '.nan',
  '.NaN', '.NAN', 'nan', 'inf', '1:20', '12:30:45', '2024-01-01', '2024-01-01T00:00:00Z', '1_0.5',
  // booleans and nulls in every spelling, YAML 1.1 ones included
  'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE', 'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'Null', 'NULL', 'nUll',
  // strings that look like something else
  'a', 'web', 'x-y', 'a b', 'a:b', 'http://x.y/z?q=1', 'a#b', 'a -b', '-a', '--', 'a,b', 'a]b', 'é', '日本', '😀', "it's", 'say "hi"',
  'back\\slash', '=', '<', '>x', '|x', 'a::b', '.', '..', '/*', '%20',
];

/** A scalar rendered in one of the styles it can be written in on one line. */
const inlineScalar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) }, // plain (some of these are not valid plain scalars)
  fc.constantFrom(...WORDS).map((w) => `'${w.replace(/'/g, "''")}'`),
  fc.constantFrom(...WORDS).map((w) => JSON.stringify(w)),
  fc.constantFrom('"\\n\\t\\\\\\"\\0\\a\\b\\e\\f\\r\\v\\/"', '"\\N\\_\\L\\P"', '"a\\ b"', '"\\q"', "''", '""', "'a''b'", '"\\x41\\u00e9"'),
);

/** Content lines of a block scalar: blank lines, more-indented lines, trailing blank lines. */
const blockLines = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.constant(''), fc.constantFrom(...WORDS).map((w) => `  ${w}`), fc.constant('# not a comment')), {
  minLength: 0,
  maxLength: 5,
});
const blockHeader = fc.constantFrom('|', '|-', '|+', '>', '>-', '>+', '|2', '>1-', '| # c');

type Tree =
  | { kind: 'scalar'; text: string }
  | { kind: 'block'; header: string; lines: string[] }
  | { kind: 'seq'; flow: boolean; items: Tree[] }
  | { kind: 'map'; flow: boolean; entries: [string, Tree][] };

const keyText = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('a', 'b', 'name', 'kind', 'spec', 'x-y', 'a b', '1', '0x1', 'true', 'on', '1.5', '-', 'é') },
  fc.constantFrom('a', 'b', 'null', '', 'a: b', '#').map((k) => JSON.stringify(k)),
  fc.constantFrom('a', 'b', "it's").map((k) => `'${k.replace(/'/g, "''")}'`),
);

const { tree } = fc.letrec<{ tree: Tree; flowTree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    inlineScalar.map((text): Tree => ({ kind: 'scalar', text })),
    fc.record({ header: blockHeader, lines: blockLines }).map((b): Tree => ({ kind: 'block', ...b })),
    fc.array(tie('tree'), { maxLength: 3 }).map((items): Tree => ({ kind: 'seq', flow: false, items })),
    fc.array(fc.tuple(keyText, tie('tree')), { maxLength: 3 }).map((entries): Tree => ({ kind: 'map', flow: false, entries })),
    tie('flowTree'),
  ),
  flowTree: fc.oneof(
    { depthSize: 'small' },
    inlineScalar.map((text): Tree => ({ kind: 'scalar', text })),
    fc.array(tie('flowTree'), { maxLength: 3 }).map((items): Tree => ({ kind: 'seq', flow: true, items })),
    fc.array(fc.tuple(keyText, tie('flowTree')), { maxLength: 3 }).map((entries): Tree => ({ kind: 'map', flow: true, entries })),
  ),
}));

function flow(t: Tree): string {
  switch (t.kind) {
    case 'scalar':
      return t.text;
    case 'block':
      return '""';
    case 'seq':
      return `[${t.items.map(flow).join(', ')}]`;
    case 'map':
      return `{${t.entries.map(([k, v]) => `${k}: ${flow(v)}`).join(', ')}}`;
  }
}

/** Lines of `t` as a block node at `indent`; the first line is returned without its indentation. */
function block(t: Tree, indent: number, comments: boolean): string[] {
  const pad = ' '.repeat(indent);
  const note = (i: number) => (comments && i % 2 === 0 ? ' # note' : '');
  switch (t.kind) {
    case 'scalar':
      return [t.text + note(0)];
    case 'block':
      return [t.header, ...t.lines.map((l) => (l === '' ? '' : pad + '  ' + l))];
    case 'seq':
      if (t.flow || t.items.length === 0) return [flow(t) + note(1)];
      return t.items.flatMap((item, i) => {
        const [first, ...rest] = block(item, indent + 2, comments);
        return [(i === 0 ? '' : pad) + '- ' + first, ...rest];
      });
    case 'map':
      if (t.flow || t.entries.length === 0) return [flow(t) + note(2)];
      return t.entries.flatMap(([k, v], i) => {
        const lead = (i === 0 ? '' : pad) + k + ':';
        if (v.kind === 'scalar' || v.kind === 'block' || v.flow || (v.kind === 'seq' ? v.items : v.entries).length === 0) {
          const [first, ...rest] = block(v, indent, comments);
          return [`${lead} ${first}`, ...rest];
        }
        // a sequence under a key may sit at the key's own indentation
        const child = v.kind === 'seq' && i % 2 === 1 ? indent : indent + 2;
        const [first, ...rest] = block(v, child, comments);
        return [lead + (comments ? ' # section' : ''), ' '.repeat(child) + first, ...rest];
      });
  }
}

const SEPARATORS = ['---\n', '--- # doc\n', '...\n---\n', '\n---\n\n', '---\n# only a comment\n---\n', '---\n---\n', '--- a\n---\n', '--- |\n  x\n---\n', '--- [a]\n', '--- "a"\n...\n'];

/** A stream of documents, each a rendered tree, some empty, some with leading comments. */
export const yamlText: fc.Arbitrary<string> = fc
  .array(fc.tuple(tree, fc.boolean(), fc.constantFrom(...SEPARATORS), fc.constantFrom('', '# leading\n', '\n')), { minLength: 1, maxLength: 3 })
  .chain((docs) =>
    fc.tuple(fc.constant(docs), fc.constantFrom('', '\n', '\n...\n', '\n---\n', '\n# end')).map(([ds, end]) =>
      ds.map(([t, comments, sep, lead], i) => (i === 0 ? '' : sep) + lead + block(t, 0, comments).join('\n')).join('\n') + end,
    ),
  );

const MUTATIONS = [' ', '  ', '-', '- ', ':', ': ', '#', ' #', '"', "'", '\n', '\n  ', ',\n', ',\n    ', ' \n      ', '[', ']', '{', '}', ',', '|', '>', 'a', '0', '.', '---\n', '...', '\\', '?', '&', '*', '\t'];

/** Texts of `texts` with a few characters inserted, deleted or replaced. */
export function mutated(texts: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(texts, fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...MUTATIONS)), { minLength: 1, maxLength: 3 }))
    .map(([text, edits]) =>
      edits.reduce((t, [at, op, s]) => {
        const i = t.length === 0 ? 0 : at % t.length;
        if (op === 'insert') return t.slice(0, i) + s + t.slice(i);
        if (op === 'delete') return t.slice(0, i) + t.slice(i + 1 + (at % 3));
        return t.slice(0, i) + s + t.slice(i + s.length);
      }, text),
    );
}

/** A valid-looking text with a few characters inserted, deleted or replaced. */
export const mutatedYamlText: fc.Arbitrary<string> = mutated(yamlText);

/** Random data as the `yaml` library writes it: what real manifests look like, odd strings included. */
export const stringifiedYamlText: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 3 }),
    fc.record({ indentSeq: fc.boolean(), lineWidth: fc.constantFrom(0, 20, 80), defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL') } as const),
  )
  .map(([values, options]) => values.map((v) => stringify(v, options)).join('---\n'));

const MANIFEST_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'app', 'spec', 'ports', 'port', 'selector', 'containers', 'image', 'rules', 'x-y', 'a b', 'on', 'é', '1', 'true', 'null'];
const manifestScalar = fc.oneof(fc.constantFrom(...WORDS), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const { manifestValue } = fc.letrec<{ manifestValue: unknown }>((tie) => ({
  manifestValue: fc.oneof(
    { depthSize: 'small' },
    manifestScalar,
    fc.array(tie('manifestValue'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...MANIFEST_KEYS), tie('manifestValue'), { maxKeys: 4 }),
  ),
}));

/**
 * Manifest-shaped streams as the `yaml` library writes them (block or flow collections, every
 * quoting style, sequences at or under their key's indentation), with comments and markers between
 * documents: what the line reader of the fast parser is made for.
 */
export const manifestYamlText: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.dictionary(fc.constantFrom(...MANIFEST_KEYS), manifestValue, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }),
    fc.record({
      indentSeq: fc.boolean(),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      collectionStyle: fc.constantFrom('any', 'any', 'block', 'flow'),
    } as const),
    fc.constantFrom('---\n', '--- # doc\n', '---\n# leading\n', '\n---\n\n'),
  )
  .map(([docs, options, separator]) => docs.map((d) => stringify(d, { ...options, lineWidth: 0 })).join(separator));
