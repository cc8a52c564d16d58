// Parses a text with the fast parser and with the full one and reports every difference a user
// could see: documents, values, diagnostics and positions (of every value, key and embedded text).
import { expect } from 'vitest';
import { fastParseYaml } from '../../src/scenario/fast-yaml';
import { parseYaml } from '../../src/scenario/yaml-source';
import type { Path, SourceDoc } from '../../src/scenario/yaml-source';

/** Every path to a value inside `value` (the root included), depth first. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function valueAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, seg) => (v as Record<string | number, unknown>)[seg], value);
}

/** What a user can get out of one document, positions included. */
function observe(doc: SourceDoc) {
  const paths = pathsOf(doc.value);
  return {
    index: doc.index,
    value: doc.value,
    pos: doc.pos,
    at: paths.map((p) => doc.at(p)),
    keyAt: paths.map((p) => doc.keyAt(p)),
    // a missing path falls back to its nearest ancestor
    missing: paths.map((p) => doc.at([...p, 'no-such-key', 7])),
    embedded: paths.filter((p) => typeof valueAt(doc.value, p) === 'string').map((p) => [doc.embedded(p)(1, 1), doc.embedded(p)(3, 5)]),
  };
}

/**
 * Checks that the parse users get equals the full parser's. Returns whether the fast parser took
 * the text (false: it handed the text to the full parser, which is always right).
 */
export function expectSameParse(text: string): boolean {
  const full = parseYaml(text, 'f.yaml', undefined, { fast: false });
  const used = parseYaml(text, 'f.yaml');
  expect(used.diagnostics).toEqual(full.diagnostics);
  expect(used.docs.map(observe)).toStrictEqual(full.docs.map(observe));
  const fast = fastParseYaml(text) !== undefined;
  // the fast parser takes only texts without any problem
  if (fast) expect(full.diagnostics).toEqual([]);
  return fast;
}
