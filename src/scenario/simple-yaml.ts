// The YAML most manifests and scenarios are written in, read line by line: block mappings and
// sequences, one-line plain and quoted scalars, one-line flow collections of scalars, comments,
// `---` between documents, and the literal blocks liftBlockScalars cut out. It is the first try of
// the fast parser (fast-yaml.ts) and several times quicker than js-yaml, which reads a character
// at a time. It gives up (returns undefined) on anything else — anchors, tags, multi-line scalars,
// escapes, nested flow collections, empty documents, duplicate or non-string keys — and the text
// goes on to js-yaml or the full parser; where it answers, it answers as the full parser does
// (test/scenario/simple-yaml.test.ts compares them on generated, stringified and broken texts).
import { makerFor } from '../exact-objects';
import { PLACEHOLDER_VALUE } from './block-scalars';
import { FULL_PARSER_CHARACTERS } from './full-parser-characters';
import type { StringPool } from './string-pool';
import { resolvePlain } from './yaml-core-schema';

export interface SimpleParse {
  values: unknown[];
  /** Offset of each document's first content character. */
  contentStart: number[];
}

/**
 * The documents of `text`, or undefined when it holds anything beyond the simple subset.
 * `blocks` maps the offset of each lifted block's `|` to its value; every one must be read.
 */
export function parseSimpleYaml(text: string, blocks: ReadonlyMap<number, string>, strings: StringPool): SimpleParse | undefined {
  if (FULL_PARSER_CHARACTERS.test(text)) return undefined;
  const reader = new LineReader(text, blocks, strings);
  try {
    return reader.documents();
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

/** Thrown to give up; one shared value, so giving up captures no stack. */
const UNSUPPORTED = new Error('outside the simple YAML subset');

function giveUp(): never {
  throw UNSUPPORTED;
}

const SPACE = 0x20;
const HASH = 0x23;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const DASH = 0x2d;
const COLON = 0x3a;
const COMMA = 0x2c;
const PIPE = 0x7c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const BACKSLASH = 0x5c;

/** The `yaml` library refuses implicit keys over 1024 characters; lines that long are left to it. */
const MAX_LINE = 1024;
/** Mappings up to this many keys are scanned for a duplicate; larger ones keep a set. */
const SCAN_KEYS = 16;

/** A table by character code (ASCII) with 1 for each of `chars`. */
function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  return table;
}

/** Characters this reader leaves to the full parser in a plain key, and in a plain value. */
const KEY_REFUSES = charTable('#[]{},');
const VALUE_REFUSES = charTable('[]{}');

/** Characters a plain scalar may not start with here: indicators, or ones the two parsers read apart. */
const NOT_PLAIN_FIRST = charTable(',[]{}#&*!|>\'"%@`?:-');
/** Where a plain scalar in a flow collection ends, or something in it this reader leaves alone. */
const FLOW_STOP = charTable(',[]{}#:');

/** Reads a text a content line at a time; `line`, `end` and `indent` describe the current one. */
class LineReader {
  /** Offset where the current content line starts. */
  private line = 0;
  /** Offset of its line break (or the end of the text). */
  private end = 0;
  /** Its indentation; -1 past the last line. */
  private indent = -1;
  /** Where the last flow scalar read ended. */
  private pos = 0;
  private readonly unread: Set<number>;
  /**
   * Keys and values of the collections being read, innermost last, from which each collection is
   * built at its exact size once complete (a builder object or array per node would double the
   * garbage of a load). A sequence leaves its slots' keys unused.
   */
  private readonly keys: string[] = [];
  private readonly vals: unknown[] = [];
  private top = 0;
  /** The keys of each mapping too large to scan for a duplicate, by the mapping's first slot. */
  private readonly keySets = new Map<number, Set<string>>();

  constructor(
    private readonly text: string,
    private readonly blocks: ReadonlyMap<number, string>,
    private readonly strings: StringPool,
  ) {
    this.unread = new Set(blocks.keys());
  }

  documents(): SimpleParse {
    const values: unknown[] = [];
    const contentStart: number[] = [];
    this.seek(0);
    while (this.indent >= 0) {
      if (this.atMarker()) {
        if (!this.onlyComment(this.line + 3)) giveUp();
        this.seek(this.end + 1);
        if (this.indent < 0 || this.atMarker()) giveUp(); // an empty document
      }
      const at = this.line + this.indent;
      contentStart.push(at);
      values.push(this.blockNode(this.indent, at));
      if (this.indent >= 0 && !this.atMarker()) giveUp();
    }
    if (values.length === 0 || this.unread.size > 0) giveUp();
    return { values, contentStart };
  }

  /** Moves to the first line at or after `from` with content (not blank, not only a comment). */
  private seek(from: number): void {
    const t = this.text;
    const n = t.length;
    for (let at = from; at < n; ) {
      let nl = t.indexOf('\n', at);
      if (nl < 0) nl = n;
      if (nl - at > MAX_LINE) giveUp();
      let i = at;
      while (i < nl && t.charCodeAt(i) === SPACE) i++;
      if (i < nl && t.charCodeAt(i) !== HASH) {
        if (i === at && t.startsWith('...', at)) giveUp(); // a document end marker
        this.line = at;
        this.end = nl;
        this.indent = i - at;
        return;
      }
      at = nl + 1;
    }
    this.line = this.end = n;
    this.indent = -1;
  }

  /** Whether the current line starts with `---` (a document marker, or something left to the full parser). */
  private atMarker(): boolean {
    return this.indent === 0 && this.text.startsWith('---', this.line);
  }

  /** Whether the current line holds nothing from `at` on but spaces and maybe a comment after one. */
  private onlyComment(at: number): boolean {
    const i = this.skipSpaces(at);
    return i === this.end || (this.text.charCodeAt(i) === HASH && i > at);
  }

  private skipSpaces(at: number): number {
    let i = at;
    while (i < this.end && this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /** Whether a sequence entry (`- `) starts at `at`. */
  private entryAt(at: number): boolean {
    const t = this.text;
    return t.charCodeAt(at) === DASH && (at + 1 === this.end || t.charCodeAt(at + 1) === SPACE);
  }

  /** Takes a slot for `key` in the mapping whose slots start at `base`; a duplicate key is left to the full parser. */
  private addKey(base: number, key: string): number {
    const keys = this.keys;
    if (this.top - base < SCAN_KEYS) {
      for (let i = base; i < this.top; i++) if (keys[i] === key) giveUp();
    } else {
      let seen = this.keySets.get(base);
      if (seen === undefined) this.keySets.set(base, (seen = new Set(keys.slice(base, this.top))));
      if (seen.has(key)) giveUp();
      seen.add(key);
    }
    keys[this.top] = key;
    return this.top++;
  }

  /** The frozen mapping of the slots from `base` up, which it gives back. */
  private mappingFrom(base: number): Record<string, unknown> {
    const Maker = makerFor(this.top - base);
    const obj: Record<string, unknown> = Maker ? new Maker() : {};
    for (let i = base; i < this.top; i++) obj[this.keys[i]!] = this.vals[i];
    this.keySets.delete(base);
    this.top = base;
    return Object.freeze(obj);
  }

  /** The frozen sequence of the slots from `base` up, which it gives back. */
  private sequenceFrom(base: number): readonly unknown[] {
    const items = this.vals.slice(base, this.top);
    this.top = base;
    return Object.freeze(items);
  }

  /**
   * A block sequence or mapping starting at `at` on the current line, in column `col`; with
   * `scalars`, also a scalar or flow collection alone on the line (read past it).
   */
  private blockNode(col: number, at: number, scalars = false): unknown {
    if (this.entryAt(at)) return this.sequence(col);
    const colon = this.keyColon(at);
    if (colon >= 0) return this.mapping(col, at, colon);
    if (!scalars) giveUp();
    const value = this.inlineValue(at);
    this.seek(this.end + 1);
    return value;
  }

  /** A block sequence whose entries start in column `col`, from the current line on. */
  private sequence(col: number): unknown {
    const base = this.top;
    do {
      const at = this.skipSpaces(this.line + col + 1);
      if (at === this.end || this.text.charCodeAt(at) === HASH || this.entryAt(at)) giveUp(); // an empty or nested entry
      const colon = this.keyColon(at);
      const slot = this.top++;
      if (colon >= 0) this.vals[slot] = this.mapping(at - this.line, at, colon);
      else {
        this.vals[slot] = this.inlineValue(at);
        this.seek(this.end + 1);
        if (this.indent > col) giveUp(); // a scalar continued on the next line
      }
    } while (this.indent === col && !this.atMarker() && this.entryAt(this.line + col));
    if (this.indent > col) giveUp();
    return this.sequenceFrom(base);
  }

  /** A block mapping whose keys start in column `col`; its first key starts at `at` and ends at `colon`. */
  private mapping(col: number, keyAt: number, keyColon: number): unknown {
    const base = this.top;
    let at = keyAt;
    let colon = keyColon;
    for (;;) {
      const key = this.key(at, colon);
      const slot = this.addKey(base, key);
      this.vals[slot] = this.mappingValue(col, this.skipSpaces(colon + 1));
      if (this.indent !== col || this.atMarker()) break;
      at = this.line + col;
      colon = this.entryAt(at) ? -1 : this.keyColon(at);
      if (colon < 0) giveUp();
    }
    if (this.indent > col) giveUp();
    return this.mappingFrom(base);
  }

  /** The value of a mapping entry whose value text starts at `at`; leaves the reader after it. */
  private mappingValue(col: number, at: number): unknown {
    const t = this.text;
    if (at === this.end || t.charCodeAt(at) === HASH) {
      this.seek(this.end + 1);
      // a scalar or flow collection may stand on a line of its own (how `yaml` writes an empty collection under a key)
      if (this.indent > col) return this.blockNode(this.indent, this.line + this.indent, true);
      // a sequence under a key may sit at the key's own indentation
      if (this.indent === col && !this.atMarker() && this.entryAt(this.line + col)) return this.sequence(col);
      return null;
    }
    if (t.charCodeAt(at) === PIPE) return this.liftedBlock(at, col);
    const value = this.inlineValue(at);
    this.seek(this.end + 1);
    return value;
  }

  /** The value of the literal block cut out at `at` (its `|`), read past its placeholder line. */
  private liftedBlock(at: number, col: number): string {
    const value = this.blocks.get(at);
    if (value === undefined || at + 1 !== this.end || !this.unread.delete(at)) giveUp();
    const next = this.end + 1;
    let i = next;
    while (this.text.charCodeAt(i) === SPACE) i++;
    if (i - next <= col || !this.text.startsWith(PLACEHOLDER_VALUE, i)) giveUp();
    this.seek(i + PLACEHOLDER_VALUE.length);
    return value;
  }

  /**
   * Where the key starting at `at` ends (its `:`, followed by a space or the line's end), or -1
   * when no key starts there.
   */
  private keyColon(at: number): number {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (isQuote(c)) {
      const close = this.closingQuote(at);
      return t.charCodeAt(close + 1) === COLON && (close + 2 === this.end || t.charCodeAt(close + 2) === SPACE) ? close + 1 : -1;
    }
    if (c === LBRACKET || c === LBRACE) return -1; // a flow collection (one as a key is left to the full parser)
    for (let j = t.indexOf(':', at); j >= 0 && j < this.end; j = t.indexOf(':', j + 1)) {
      if (j + 1 === this.end || t.charCodeAt(j + 1) === SPACE) return j;
    }
    return -1;
  }

  /** The key from `at` to `colon`: a quoted one, or a plain one that reads as a string. */
  private key(at: number, colon: number): string {
    const c = this.text.charCodeAt(at);
    if (!isQuote(c)) return this.plainKey(at, colon);
    const key = this.quoted(at, this.closingQuote(at));
    return key === '<<' || key === '__proto__' ? giveUp() : key;
  }

  /**
   * A plain key that reads as itself. Comments, brackets and commas in it, surrounding spaces,
   * merge keys, `__proto__` and keys the core schema reads as something else are left to the full parser.
   */
  private plainKey(at: number, end: number): string {
    const t = this.text;
    for (let i = at; i < end; i++) if (KEY_REFUSES[t.charCodeAt(i)] === 1) giveUp();
    if (end === at || t.charCodeAt(end - 1) === SPACE) giveUp();
    const raw = t.slice(at, end);
    if (!plainStart(raw) || raw === '<<' || raw === '__proto__' || resolvePlain(raw) !== raw) giveUp();
    return raw;
  }

  /** A value that fits on the current line from `at`: a quoted or plain scalar, or a flow collection. */
  private inlineValue(at: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (isQuote(c) || c === LBRACKET || c === LBRACE) {
      const value = isQuote(c) ? this.quotedValue(at) : c === LBRACKET ? this.flowSequence(at) : this.flowMapping(at);
      if (!this.onlyComment(this.pos)) giveUp();
      return value;
    }
    // Up to a comment; brackets, `: ` and a final `:` are left to the full parser.
    let e = at;
    for (let prev = 0; e < this.end; e++) {
      const ch = t.charCodeAt(e);
      if (ch === HASH && prev === SPACE) break;
      if (VALUE_REFUSES[ch] === 1 || (prev === COLON && ch === SPACE)) giveUp();
      prev = ch;
    }
    while (e > at && t.charCodeAt(e - 1) === SPACE) e--;
    const raw = t.slice(at, e);
    if (!plainStart(raw) || t.charCodeAt(e - 1) === COLON) giveUp();
    return this.plain(raw);
  }

  private plain(raw: string): unknown {
    const value = resolvePlain(raw);
    return typeof value === 'string' ? this.strings.own(value) : value;
  }

  /** Where the quoted scalar opening at `at` closes on its line; escapes are left to the full parser. */
  private closingQuote(at: number): number {
    const t = this.text;
    const q = t.charCodeAt(at);
    for (let i = at + 1; i < this.end; i++) {
      const c = t.charCodeAt(i);
      if (c === BACKSLASH && q === DQUOTE) giveUp();
      if (c !== q) continue;
      if (q === SQUOTE && t.charCodeAt(i + 1) === SQUOTE) i++; // '' stands for '
      else return i;
    }
    return giveUp();
  }

  /** The quoted scalar opening at `at`, from the pool; sets `pos` past it. */
  private quotedValue(at: number): string {
    const close = this.closingQuote(at);
    this.pos = close + 1;
    return this.strings.own(this.quoted(at, close));
  }

  /** The text of the quoted scalar from `at` to `close`. */
  private quoted(at: number, close: number): string {
    const s = this.text.slice(at + 1, close);
    return this.text.charCodeAt(at) === SQUOTE && s.includes("''") ? s.replaceAll("''", "'") : s;
  }

  /** `[a, "b", 1]` on one line; sets `pos` past its `]`. */
  private flowSequence(at: number): unknown {
    const base = this.top;
    this.flowItems(at, RBRACKET, (i) => {
      this.vals[this.top++] = this.flowScalar(i);
    });
    return this.sequenceFrom(base);
  }

  /** `{ a: 1, "b": c }` on one line; sets `pos` past its `}`. */
  private flowMapping(at: number): unknown {
    const t = this.text;
    const base = this.top;
    this.flowItems(at, RBRACE, (i) => {
      let key: string;
      let colon: number;
      if (isQuote(t.charCodeAt(i))) {
        colon = this.closingQuote(i) + 1;
        key = this.key(i, colon);
      } else {
        colon = i;
        while (colon < this.end && FLOW_STOP[t.charCodeAt(colon)] !== 1) colon++;
        key = this.plainKey(i, colon);
      }
      if (t.charCodeAt(colon) !== COLON || t.charCodeAt(colon + 1) !== SPACE) giveUp();
      const slot = this.addKey(base, key);
      this.vals[slot] = this.flowScalar(this.skipSpaces(colon + 1));
    });
    return this.mappingFrom(base);
  }

  /**
   * Reads the items of the one-line flow collection opening at `at` and closed by `closing`, each
   * with `item` from where it starts (leaving `pos` past it); sets `pos` past the closing bracket.
   */
  private flowItems(at: number, closing: number, item: (at: number) => void): void {
    let i = this.skipSpaces(at + 1);
    if (this.text.charCodeAt(i) === closing) {
      this.pos = i + 1;
      return;
    }
    do {
      item(i);
      i = this.flowSeparator(this.pos, closing);
    } while (i >= 0);
  }

  /**
   * After a flow item ending at `at`: the start of the next item after a `,`, or -1 with `pos`
   * past the closing bracket. A trailing comma is left to the full parser.
   */
  private flowSeparator(at: number, closing: number): number {
    const t = this.text;
    const i = this.skipSpaces(at);
    const c = t.charCodeAt(i);
    if (c === closing && i < this.end) {
      this.pos = i + 1;
      return -1;
    }
    if (c !== COMMA || i >= this.end) giveUp();
    const next = this.skipSpaces(i + 1);
    if (next >= this.end || t.charCodeAt(next) === closing) giveUp();
    return next;
  }

  /** A quoted or plain scalar inside a flow collection, from `at`; sets `pos` past it. */
  private flowScalar(at: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (at >= this.end) giveUp();
    if (isQuote(c)) return this.quotedValue(at);
    let j = at;
    while (j < this.end && FLOW_STOP[t.charCodeAt(j)] !== 1) j++;
    const stop = t.charCodeAt(j);
    if (j >= this.end || (stop !== COMMA && stop !== RBRACKET && stop !== RBRACE)) giveUp();
    this.pos = j;
    let e = j;
    while (e > at && t.charCodeAt(e - 1) === SPACE) e--;
    const raw = t.slice(at, e);
    if (!plainStart(raw)) giveUp();
    return this.plain(raw);
  }
}

function isQuote(c: number): boolean {
  return c === DQUOTE || c === SQUOTE;
}

/**
 * Whether a plain scalar may start as `raw` does here: not with an indicator, and with `-` only
 * before a letter, digit or dot (`-1`, `-a`, `-.5`).
 */
function plainStart(raw: string): boolean {
  const c = raw.charCodeAt(0);
  if (c !== DASH) return raw !== '' && NOT_PLAIN_FIRST[c] !== 1;
  return /^-[0-9A-Za-z.]/.test(raw);
}
