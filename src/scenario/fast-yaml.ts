// A fast way to the values of a YAML stream, for the texts where it agrees with the full parser
// in yaml-source.ts. The line reader in simple-yaml.ts takes the common subset first; js-yaml, which
// builds plain values many times faster than the `yaml` library builds its syntax trees, takes the
// rest. Positions are only needed when something is reported, and are then taken from the `yaml`
// library as before. Wherever the two could differ (a syntax error, anything the full
// parser warns about or diagnoses, constructs the two read apart) a conservative pre-scan or a
// check during parsing hands the whole text to the full parser. The tests compare both parsers
// on every YAML file of the project and on generated, stringified and broken texts.
import { loadAll } from 'js-yaml';
import type { State } from 'js-yaml';
import { liftBlockScalars, originalOffset, PLACEHOLDER_VALUE } from './block-scalars';
import { frozenNode } from './frozen-values';
import { FULL_PARSER_CHARACTERS } from './full-parser-characters';
import { parseSimpleYaml } from './simple-yaml';
import { StringPool } from './string-pool';
import { YAML_CORE_SCHEMA } from './yaml-core-schema';

export interface FastParse {
  /** Every document of the stream, empty ones as null, indexed as the `yaml` library indexes them. */
  values: unknown[];
  /** Offset where each document's content starts (where the `yaml` library's document contents start). */
  contentStart: number[];
}

/**
 * The documents of `text`, or undefined when the full parser must read it. Strings come from
 * `strings` (a pool shared by every text of one load), copied off js-yaml's copy of the input.
 */
export function fastParseYaml(original: string, strings: StringPool = new StringPool()): FastParse | undefined {
  const lifted = liftBlockScalars(original);
  const text = lifted?.text ?? original;
  const blockAt = new Map(lifted?.blocks.map((b) => [b.header, b.value]));
  const inOriginal = (starts: number[]) => (lifted ? starts.map((at) => originalOffset(lifted, at)) : starts);
  const simple = parseSimpleYaml(text, blockAt, strings);
  if (simple) return { values: simple.values, contentStart: inOriginal(simple.contentStart) };
  if (needsFullParser(text)) return undefined;
  const contentStart: number[] = [];
  const openedAt: number[] = [];
  const openedOnLine: number[] = [];
  let risky = false;
  const listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'close') {
      if (state.result === PLACEHOLDER_VALUE && state.kind === 'scalar') {
        // the value of the block this placeholder stands for, each taken once (a placeholder js-yaml
        // read as anything else leaves its block untaken)
        const header = contentOffset(state.input, openedAt[openedAt.length - 1]!, state.position);
        const value = blockAt.get(header);
        if (value !== undefined) {
          blockAt.delete(header);
          state.result = value; // built by join: a flat string of its own, nothing for the pool to detach
        }
      } else state.result = kept(state.result, strings);
    }
    if (event === 'open') {
      if (openedAt.length === 0) contentStart.push(state.position);
      openedAt.push(state.position);
      openedOnLine.push(state.line);
      return;
    }
    const start = openedAt.pop()!;
    const root = openedAt.length === 0;
    // A node that opened and closed on one line is neither multi-line nor a block scalar with content.
    if (openedOnLine.pop() === state.line && !root) return;
    if (!risky && nodeNeedsFullParser(state.input, start, state.position, state.kind, root)) risky = true;
  };
  let values: unknown[];
  let warned = false;
  try {
    values = loadAll(text, null, { schema: YAML_CORE_SCHEMA, listener, onWarning: () => (warned = true) });
  } catch {
    return undefined;
  }
  if (warned || risky || contentStart.length !== values.length || blockAt.size > 0) return undefined;
  return { values, contentStart: inOriginal(contentStart) };
}

/**
 * A value as it is best kept for as long as the loaded objects live: strings detached from the
 * input, collections frozen at their exact size (js-yaml closes a node after its children).
 */
function kept(value: unknown, strings: StringPool): unknown {
  return typeof value === 'string' ? strings.own(value) : frozenNode(value);
}

/**
 * Whether a node (from `from` to `to` in the input) is one where the two libraries' rules part:
 * a plain, quoted or flow node over more than one line (their indentation rules differ), a block
 * scalar at the root of a document, or one starting with a blank line (`yaml` rejects more-indented
 * leading blank lines).
 */
function nodeNeedsFullParser(input: string, from: number, to: number, kind: string | null, root: boolean): boolean {
  const start = contentOffset(input, from, to);
  const c = input[start];
  const nl = input.indexOf('\n', start);
  if (kind === 'scalar' && (c === '|' || c === '>')) return root || nl < 0 || blankLineAfter(input, nl);
  if (kind !== 'scalar' && kind !== null && c !== '[' && c !== '{') return false; // a block collection
  return nl >= 0 && nl < to;
}

/** Whether the line after the line break at `nl` holds only spaces (js-yaml ends its input with NUL). */
function blankLineAfter(input: string, nl: number): boolean {
  let i = nl + 1;
  while (input[i] === ' ') i++;
  return i >= input.length || input[i] === '\n' || input[i] === '\0';
}

/** Skips the spaces, line breaks and comments before a node's content. */
function contentOffset(input: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = input[i];
    if (c === ' ' || c === '\n') i++;
    else if (c === '#' && (i === 0 || input[i - 1] === ' ' || input[i - 1] === '\n')) {
      const nl = input.indexOf('\n', i);
      i = nl < 0 ? to : nl;
    } else break;
  }
  return i;
}

/**
 * Whether `text` needs the full parser: it holds something the full parser warns about or
 * reports, or that the two libraries read differently. A match inside a quoted or block scalar
 * is a false alarm that only costs speed.
 */
export function needsFullParser(text: string): boolean {
  return (
    FULL_PARSER_CHARACTERS.test(text) ||
    // merge keys, `__proto__`, `\x`/`\u`/`\U` escapes, block scalar indentation indicators (`|2`)
    /<<|__proto__|\\[xuU]|[|>][-+]?[0-9]/.test(text) ||
    // a comment right after a quoted scalar or a flow collection (an error in yaml)
    /["'\]}]#/.test(text) ||
    // an empty block sequence entry (`-` with nothing after it but a comment): the two
    // libraries nest what follows differently
    /(?:^|\n)(?: *- +)* *-(?: +(?:#[^\n]*)?)?(?:\n|$)/.test(text) ||
    // a flow collection as a flow mapping's key (`{{a: 1}, b: 2}`) or in a flow sequence after its first item
    /[{,] *[[{]/.test(text) ||
    // `...` (document end); `---` followed by content on its line (`--- a: 1` is an error in yaml)
    // or run into other text (js-yaml reads `---x` as a document start)
    /(?:^|\n)(?:\.\.\.|---(?:[^ \n]| +[^ #\n]))/.test(text) ||
    unterminatedEnd(text) ||
    hasNodeIndicator(text) ||
    hasRiskyBracket(text) ||
    hasNullKey(text) ||
    hasLongLine(text)
  );
}

const SPACE = 32;
const NEWLINE = 10;

/**
 * js-yaml adds a final line break to a text without one; that can change a block scalar that
 * keeps its trailing line breaks (`|+`) or a text ending in a blank line.
 */
function unterminatedEnd(text: string): boolean {
  if (text === '' || text.endsWith('\n')) return false;
  return /^ *$/.test(text.slice(text.lastIndexOf('\n') + 1)) || /[|>][-0-9]*\+/.test(text);
}

/** Anchors, aliases, tags, reserved indicators, directives or complex keys at the start of a node. */
function hasNodeIndicator(text: string): boolean {
  const indicators = /[&*!@`%?]/g;
  for (let m = indicators.exec(text); m; m = indicators.exec(text)) if (m.index === 0 || isNodeStart(text.charCodeAt(m.index - 1))) return true;
  return false;
}

/**
 * A closing bracket first on its line (the full parser may warn about its indentation), or one
 * followed by `:` (a collection used as a key, which js-yaml turns into a string).
 */
function hasRiskyBracket(text: string): boolean {
  const brackets = /[\]}]/g;
  for (let m = brackets.exec(text); m; m = brackets.exec(text)) {
    let before = m.index;
    while (before > 0 && text.charCodeAt(before - 1) === SPACE) before--;
    if (before === 0 || text.charCodeAt(before - 1) === NEWLINE) return true;
    let after = m.index + 1;
    while (text.charCodeAt(after) === SPACE) after++;
    if (text.charCodeAt(after) === 0x3a) return true; // :
  }
  return false;
}

/** Space, line break, `[`, `{` or `,`: what may come right before a node. */
function isNodeStart(c: number): boolean {
  return c === SPACE || c === NEWLINE || c === 0x5b || c === 0x7b || c === 0x2c;
}


/** A null or empty key (`~: x`, `null: x`, `: x`, `[:x]`), which `yaml` names "" and js-yaml "null". */
function hasNullKey(text: string): boolean {
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    // Most keys end in some other character: only `~`, `l`, `L`, a space or a key start can end these.
    const before = i === 0 ? SPACE : text.charCodeAt(i - 1);
    if (before !== 0x7e && before !== 0x6c && before !== 0x4c && !isKeyStart(before)) continue;
    if (nullKeyBefore(text, i)) return true;
  }
  return false;
}

/** An implicit key longer than 1024 characters is an error in `yaml`; long lines are rare enough to leave to it. */
function hasLongLine(text: string): boolean {
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    if (nl - start > 1024) return true;
    start = nl + 1;
  }
  return text.length - start > 1024;
}

/** What may come right before a key: what may come before a node, or `-`. */
function isKeyStart(c: number): boolean {
  return isNodeStart(c) || c === 0x2d;
}

const NULL_WORDS = ['~', 'null', 'Null', 'NULL'];

/** Whether the key ending at the `:` at `colon` is empty or a null word. */
function nullKeyBefore(text: string, colon: number): boolean {
  let end = colon;
  while (end > 0 && text.charCodeAt(end - 1) === SPACE) end--;
  const keyStartsAt = (i: number) => i <= 0 || isKeyStart(text.charCodeAt(i - 1));
  if (keyStartsAt(end)) return true;
  return NULL_WORDS.some((w) => end >= w.length && text.startsWith(w, end - w.length) && keyStartsAt(end - w.length));
}
