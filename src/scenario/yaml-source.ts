// Multi-document YAML parsing that remembers where every value came from, so a problem found
// at a path inside a parsed object (`['spec','rules',0,'from']`) can be reported as FILE:LINE:COL.
// Parsing never throws: syntax errors, unresolved or recursive aliases and non-string keys all
// become diagnostics. Values come from the fast parser (./fast-yaml) when it can vouch for a text,
// and positions from the `yaml` library either way, so what users see does not depend on which.
import { Document, LineCounter, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import { errorAt, warningAt } from './diagnostics';
import type { Diagnostic, SourcePos } from './diagnostics';
import { fastParseYaml } from './fast-yaml';
import { deepFreeze } from './frozen-values';
import type { FastParse } from './fast-yaml';
import { StringPool } from './string-pool';

export type Path = readonly (string | number)[];

/** Turns a 1-based line/column of the parsed text into a position in a user's file. */
export type PositionMapper = (line: number, col: number) => SourcePos;

export interface SourceDoc {
  file: string;
  /** Index of the document in the stream, counting empty documents, 0-based. */
  index: number;
  /** The document as plain data (mappings are plain objects with string keys); undefined once `dropValue` was called. */
  readonly value: unknown;
  /** Where the document's content starts. */
  pos: SourcePos;
  /**
   * Where the value at `path` is. A block mapping or sequence under a key is located at its key
   * (the line a reader looks at); scalars and flow collections at the value itself. A path that
   * does not exist falls back to its nearest existing ancestor.
   */
  at(path: Path): SourcePos;
  /** Like `at`, but a mapping entry is always located at its key (for "unknown field" errors). */
  keyAt(path: Path): SourcePos;
  /**
   * For a string value holding text of its own (an `inline:` manifest), maps a line/column inside
   * that string back to this file. Exact for literal blocks (`|`); any other string maps every
   * position to where the string starts.
   */
  embedded(path: Path): PositionMapper;
  /**
   * The string value at `path` read again from the text when asked: for a text embedded in this
   * one (an `inline:` manifest), so its positions can be found without keeping a copy of it.
   */
  rereader(path: Path): () => string;
  /**
   * Lets go of the value once everything in it has been read (positions do not need it): a loaded
   * scenario keeps its documents for positions, and its raw value would otherwise live as long.
   */
  dropValue(): void;
}

export interface ParsedYaml {
  docs: SourceDoc[];
  diagnostics: Diagnostic[];
  /** Drops the syntax trees behind the positions; positions asked for later parse the text again. */
  release(): void;
}

const PARSE_OPTIONS = { merge: true, uniqueKeys: true, prettyErrors: true, logLevel: 'error' as const };

export interface ParseOptions {
  /** false takes the full parser even where the fast one would do (to check one against the other). */
  fast?: boolean;
  /** Where the values' strings come from: one pool for every text of a load shares equal strings between them. */
  strings?: StringPool;
  /**
   * Gives the text again when positions are asked for after `release`: the text itself is then
   * not kept (one embedded in another file can be read from that file's syntax tree).
   */
  reread?: () => string;
}

/** Parses every document of `text`; documents with errors are reported and left out of `docs`. */
export function parseYaml(text: string, file: string, mapPos?: PositionMapper, opts: ParseOptions = {}): ParsedYaml {
  const toPos: PositionMapper = mapPos ?? ((line, col) => ({ file, line, col }));
  const docs: SourceDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  let src: TextSource | undefined;
  try {
    const strings = opts.strings ?? new StringPool();
    const fast = opts.fast === false ? undefined : fastParseYaml(text, strings);
    src = fast ? readFast(text, file, toPos, fast, docs) : readFull(text, file, toPos, docs, diagnostics, strings);
    if (opts.reread) src.rereadWith(opts.reread);
  } catch (e) {
    // The parser is meant to report, not throw; this keeps a parser bug from becoming a stack trace.
    diagnostics.push(errorAt(toPos(1, 1), `cannot parse YAML: ${e instanceof Error ? e.message : String(e)}`));
  }
  return { docs, diagnostics, release: () => src?.release() };
}

/** Values from the fast parser; the syntax trees behind positions are built when first asked for. */
function readFast(text: string, file: string, toPos: PositionMapper, fast: FastParse, docs: SourceDoc[]): TextSource {
  const src = new TextSource(file, text, toPos);
  fast.values.forEach((value, index) => {
    if (value === null || value === undefined) return; // an empty document
    docs.push(new YamlDoc(index, value, fast.contentStart[index]!, src));
  });
  return src;
}

/** Values, positions and every problem from the `yaml` library's syntax trees. */
function readFull(text: string, file: string, toPos: PositionMapper, docs: SourceDoc[], diagnostics: Diagnostic[], strings: StringPool): TextSource {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter }) as Document.Parsed[];
  const src = new TextSource(file, text, toPos, parsed, lineCounter);
  const offsetPos = (offset: number) => src.offsetPos(offset);
  parsed.forEach((doc, index) => {
    const problems = documentProblems(doc, offsetPos);
    diagnostics.push(...problems);
    if (problems.some((d) => d.severity === 'error')) return;
    let value: unknown;
    try {
      // The `yaml` library's strings are slices of the text: pooled, they share nothing with it.
      // Frozen like the fast parser's values (see ./frozen-values).
      value = deepFreeze(strings.ownAll(doc.toJS({ maxAliasCount: 1000 })));
    } catch (e) {
      diagnostics.push(errorAt(offsetPos(doc.range[0]), `invalid YAML document: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    if (value === null || value === undefined) return; // an empty document (`---` alone, or only comments)
    docs.push(new YamlDoc(index, value, doc.contents?.range?.[0] ?? doc.range[0], src));
  });
  return src;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Syntax errors and warnings, plus what plain data cannot hold: unresolved or self-referencing aliases, collection keys, `__proto__`. */
function documentProblems(doc: Document.Parsed, offsetPos: (offset: number) => SourcePos): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of doc.errors) out.push(errorAt(offsetPos(e.pos[0]), firstLine(e.message)));
  for (const w of doc.warnings) out.push(warningAt(offsetPos(w.pos[0]), firstLine(w.message)));
  if (doc.errors.length > 0) return out;
  visit(doc, {
    Alias(_key, alias, path) {
      const target = alias.resolve(doc);
      const where = offsetPos(alias.range?.[0] ?? 0);
      if (!target) out.push(errorAt(where, `unknown anchor "${alias.source}"`));
      else if (path.includes(target)) out.push(errorAt(where, `alias "*${alias.source}" refers to a node that contains it`));
    },
    Pair(_key, pair) {
      if (isCollection(pair.key)) out.push(errorAt(offsetPos(pair.key.range?.[0] ?? 0), 'mapping keys must be scalars'));
      // Plain-object consumers would treat this key as the object's prototype.
      else if (isScalar(pair.key) && pair.key.value === '__proto__') out.push(errorAt(offsetPos(pair.key.range?.[0] ?? 0), 'the key "__proto__" is not allowed'));
    },
  });
  return out;
}

/**
 * What the documents of one text share: the text, its syntax trees and its line starts.
 * Positions are asked for when something is reported, rarely once loading is done, and a tree is
 * many times the size of the value it describes: the fast parser builds none, a loader that has
 * taken the positions it needs releases them, and a later question parses the same text again
 * with the same options (so the answer is the same). Line starts found by scanning the text are
 * dropped on release too.
 */
class TextSource {
  /** Whether the line starts came from the parse (kept) or from a scan of the text (rebuilt when needed). */
  private readonly ownLines: boolean;
  /** Gives the text again after a release, when it is not kept. */
  private reread: (() => string) | undefined = undefined;

  constructor(
    /** How the text is named in positions (every document of it shares the name). */
    readonly file: string,
    private kept: string | undefined,
    private readonly toPos: PositionMapper,
    private trees?: Document.Parsed[],
    private lines?: LineCounter,
  ) {
    this.ownLines = lines !== undefined;
  }

  get text(): string {
    return (this.kept ??= this.reread!());
  }

  rereadWith(reread: () => string): void {
    this.reread = reread;
  }

  tree(index: number): Document.Parsed {
    this.trees ??= parseAllDocuments(this.text, PARSE_OPTIONS) as Document.Parsed[];
    return this.trees[index]!;
  }

  linePos(offset: number): { line: number; col: number } {
    this.lines ??= scanLines(this.text);
    return this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
  }

  offsetPos(offset: number): SourcePos {
    const { line, col } = this.linePos(offset);
    return this.toPos(line, col);
  }

  mapPos(line: number, col: number): SourcePos {
    return this.toPos(line, col);
  }

  release(): void {
    this.trees = undefined;
    if (!this.ownLines) this.lines = undefined;
    if (this.reread !== undefined) this.kept = undefined;
  }
}

/** Line starts counted the way the `yaml` parser counts them. */
function scanLines(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lineCounter.addNewLine(nl + 1);
  return lineCounter;
}

/**
 * One document of a text. Every position is worked out when first asked for: the document's own
 * from the offset where its content starts, the others from the syntax tree (so values from the
 * fast parser never need one unless something is reported). Methods live on the prototype: a
 * stream of thousands of documents costs a few fields each.
 */
class YamlDoc implements SourceDoc {
  private rootPos: SourcePos | undefined = undefined;

  constructor(
    readonly index: number,
    private raw: unknown,
    private readonly contentStart: number,
    private readonly src: TextSource,
  ) {}

  get file(): string {
    return this.src.file;
  }

  get value(): unknown {
    return this.raw;
  }

  dropValue(): void {
    this.raw = undefined;
  }

  get pos(): SourcePos {
    return (this.rootPos ??= this.src.offsetPos(this.contentStart));
  }

  at(path: Path): SourcePos {
    return this.locate(path, false);
  }

  keyAt(path: Path): SourcePos {
    return this.locate(path, true);
  }

  embedded(path: Path): PositionMapper {
    let map: PositionMapper | undefined;
    return (line, col) => (map ??= this.embeddedMapper(path))(line, col);
  }

  private nodeAt(path: Path): unknown {
    const doc = this.src.tree(this.index);
    let node: unknown = doc.contents;
    for (const seg of path) {
      const found = child(doc, node, seg);
      if (!found) return undefined;
      node = found.node;
    }
    return node;
  }

  private locate(path: Path, preferKey: boolean): SourcePos {
    if (path.length === 0) return this.pos;
    const { src } = this;
    const doc = src.tree(this.index);
    let node: unknown = doc.contents;
    let pos = this.pos;
    for (const seg of path) {
      const found = child(doc, node, seg);
      if (!found) break;
      node = found.node;
      const keyStart = found.pair && isNode(found.pair.key) ? found.pair.key.range?.[0] : undefined;
      const nodeStart = isNode(found.node) ? found.node.range?.[0] : undefined;
      const useKey = keyStart !== undefined && (preferKey || nodeStart === undefined || isBlockCollection(found.node) || isEmptyScalar(found.node, src.text));
      const start = useKey ? keyStart : nodeStart;
      if (start !== undefined) pos = src.offsetPos(start);
    }
    return pos;
  }

  rereader(path: Path): () => string {
    return () => {
      const node = this.nodeAt(path);
      return isScalar(node) && typeof node.value === 'string' ? node.value : '';
    };
  }

  private embeddedMapper(path: Path): PositionMapper {
    const { src } = this;
    const node = this.nodeAt(path);
    const start = isScalar(node) && node.range ? node.range[0] : undefined;
    if (start === undefined) {
      const where = this.locate(path, false);
      return () => where;
    }
    if (isScalar(node) && node.type === 'BLOCK_LITERAL') {
      const header = src.linePos(start).line;
      const indent = blockIndent(src.text, start);
      return (line, col) => src.mapPos(header + line, col + indent);
    }
    const where = src.offsetPos(start);
    return () => where;
  }
}

/** The indentation of a literal block's content: that of its first non-blank line after the header. */
function blockIndent(text: string, headerOffset: number): number {
  let i = text.indexOf('\n', headerOffset);
  while (i >= 0 && i < text.length) {
    const lineStart = i + 1;
    let j = lineStart;
    while (text[j] === ' ') j++;
    if (j < text.length && text[j] !== '\n' && text[j] !== '\r') return j - lineStart;
    i = text.indexOf('\n', lineStart);
  }
  return 0;
}

interface Child {
  node: unknown;
  pair?: Pair<unknown, unknown>;
}

/** One step down the AST, following aliases and `<<` merge keys like toJS does. */
function child(doc: Document.Parsed, node: unknown, seg: string | number, depth = 0): Child | undefined {
  if (depth > 32) return undefined;
  const n = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(n)) {
    let merged: Child | undefined;
    for (const item of n.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? item.key.value : item.key;
      // With merge keys enabled the parser gives `<<` a symbol value.
      if (typeof key === 'symbol') {
        merged ??= mergedChild(doc, item.value, seg, depth);
        continue;
      }
      if (key !== null && typeof key !== 'object' && String(key) === String(seg)) return { node: item.value, pair: item };
    }
    return merged;
  }
  if (isSeq(n)) {
    const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
    return i >= 0 && i < n.items.length ? { node: n.items[i] } : undefined;
  }
  return undefined;
}

function mergedChild(doc: Document.Parsed, source: unknown, seg: string | number, depth: number): Child | undefined {
  const s = isAlias(source) ? source.resolve(doc) : source;
  if (isSeq(s)) {
    for (const item of s.items) {
      const found = child(doc, item, seg, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  return child(doc, s, seg, depth + 1);
}

function isNode(x: unknown): x is YamlNode {
  return isScalar(x) || isCollection(x) || isAlias(x);
}

function isBlockCollection(x: unknown): boolean {
  return isCollection(x) && !x.flow;
}

/** `key:` with nothing after it parses as an empty null scalar positioned past the key. */
function isEmptyScalar(x: unknown, text: string): boolean {
  if (!isScalar(x) || x.value !== null || !x.range) return false;
  return text.slice(x.range[0], x.range[1]).trim() === '';
}
