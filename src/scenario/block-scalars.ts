// Literal block scalars (`key: |`) read with string operations before js-yaml sees the text. A
// scenario file carries its manifests as `inline: |` blocks, often most of the file; js-yaml reads
// a block scalar a character at a time and builds its value line by line, and the pre-scan for the
// full parser reads it again, though nothing in a literal block can change how the two parsers
// read the rest. Each block is cut out and stands as a one-line placeholder; the fast parser puts
// the value back when js-yaml closes the placeholder, and hands the text to the full parser when
// a placeholder is not read as exactly the block it stands for.
import { FULL_PARSER_CHARACTERS } from './full-parser-characters';

/** A block cut out of the text. */
export interface LiftedBlock {
  /** Offset of the block's `|` in the text with placeholders. */
  header: number;
  /** The block's value (clip chomping: one final line break). */
  value: string;
}

export interface LiftedText {
  text: string;
  blocks: LiftedBlock[];
  /** For each block, in order: where its placeholder ends in `text` and how many characters it removed. */
  cuts: { at: number; removed: number }[];
}

/** The word standing for a block's content; js-yaml reads the placeholder as this plus a line break. */
const PLACEHOLDER = 'lifted';
export const PLACEHOLDER_VALUE = `${PLACEHOLDER}\n`;

// The line of a `key: |` header up to its colon: a plain and simple key, maybe after sequence entry dashes.
const HEADER_KEY = /^( *(?:- +)*)[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
// What js-yaml refuses in a block: U+FFFE, U+FFFF, a lone surrogate.
const JS_YAML_REFUSES = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?:[^\ud800-\udbff]|^)[\udc00-\udfff]/;
const SPACE = 32;
/** Blocks shorter than this stay in the text: cutting them costs more than it saves. */
const MIN_LENGTH = 256;

/**
 * `text` with its long literal block scalars replaced by placeholders. A block is cut only when its
 * extent is plain: its first line holds content, indented deeper than its key; every line up to its
 * last content line is indented at least as deep or holds only spaces; and it holds nothing the
 * pre-scan would flag.
 */
export function liftBlockScalars(text: string): LiftedText | undefined {
  let out = '';
  let copied = 0;
  const blocks: LiftedBlock[] = [];
  const cuts: LiftedText['cuts'] = [];
  for (let colon = text.indexOf(': |\n'); colon >= 0; colon = text.indexOf(': |\n', colon + 1)) {
    const key = HEADER_KEY.exec(text.slice(text.lastIndexOf('\n', colon) + 1, colon));
    if (key === null) continue;
    const headerEnd = colon + 3; // the line break after `|`
    const block = readBlock(text, headerEnd + 1, key[1]!.length);
    if (block === undefined) continue;
    const { indent, end } = block;
    const content = text.slice(headerEnd + 1, end);
    if (FULL_PARSER_CHARACTERS.test(content) || JS_YAML_REFUSES.test(content)) continue;
    const placeholder = `${' '.repeat(indent)}${PLACEHOLDER}\n`;
    out += text.slice(copied, headerEnd + 1);
    blocks.push({ header: out.length - 2, value: valueOf(content, indent) });
    out += placeholder;
    cuts.push({ at: out.length, removed: content.length - placeholder.length });
    copied = end;
    colon = end - 1;
  }
  if (blocks.length === 0) return undefined;
  return { text: out + text.slice(copied), blocks, cuts };
}

/**
 * The extent of the block whose content starts at `start`: its indentation and the offset just
 * past its last content line's line break; undefined when it is short or not plain.
 */
function readBlock(text: string, start: number, keyColumn: number): { indent: number; end: number } | undefined {
  const indent = spacesAt(text, start);
  const firstEnd = text.indexOf('\n', start);
  if (indent <= keyColumn || firstEnd < 0 || start + indent === firstEnd) return undefined;
  let end = firstEnd + 1;
  for (let line = end; line < text.length; ) {
    const nl = text.indexOf('\n', line);
    if (nl < 0) break; // an unterminated last line is left to js-yaml
    const spaces = spacesAt(text, line);
    const blank = line + spaces === nl;
    if (spaces < indent && !blank) break;
    // a blank line belongs to the block only if content follows it; spaces beyond the block's indentation are content
    if (!blank || spaces > indent) end = nl + 1;
    line = nl + 1;
  }
  return end - start < MIN_LENGTH ? undefined : { indent, end };
}

function spacesAt(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === SPACE) i++;
  return i - from;
}

/**
 * The value of a literal block's content lines: each without its indentation (spaces beyond it are
 * content), blank lines empty. Every content line starts with the indentation, and a blank line
 * holds only spaces, so removing up to `indent` leading spaces from each line is exactly that; one
 * regular expression does it in native code instead of a split, a slice per line and a join. (A
 * lifted block holds no line break but `\n`, so `^` marks only its lines' starts.)
 */
function valueOf(content: string, indent: number): string {
  return content.replace(new RegExp(`^ {1,${indent}}`, 'gm'), '');
}

/** The offset in the original text of `offset` in the text with placeholders. */
export function originalOffset(lifted: LiftedText, offset: number): number {
  let shift = 0;
  for (const cut of lifted.cuts) {
    if (cut.at > offset) break;
    shift += cut.removed;
  }
  return offset + shift;
}
