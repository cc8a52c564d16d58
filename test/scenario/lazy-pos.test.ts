import { describe, expect, it } from 'vitest';
import type { SourcePos } from '../../src/scenario/diagnostics';
import { withPos } from '../../src/scenario/lazy-pos';
import type { Locator } from '../../src/scenario/lazy-pos';
import type { Path } from '../../src/scenario/yaml-source';

/** A locator that puts a path at line = its length, col = 1, and counts its lookups. */
function locator(): Locator & { lookups: Path[] } {
  const lookups: Path[] = [];
  return { lookups, at: (path: Path): SourcePos => (lookups.push(path), { file: 'f.yaml', line: path.length, col: 1 }) };
}

describe('withPos', () => {
  it('looks the position up on first read only, and keeps the key order of a spread', () => {
    const l = locator();
    const o = withPos({ a: 1 }, l, ['spec', 'apps', 0], { b: 2 });
    expect(l.lookups).toEqual([]);
    expect(Object.keys(o)).toEqual(['a', 'pos', 'at', 'b']);
    expect({ ...o }).toEqual({ a: 1, pos: { file: 'f.yaml', line: 3, col: 1 }, at: o.at, b: 2 });
    expect(o.pos).toBe(o.pos);
    expect(l.lookups).toEqual([['spec', 'apps', 0]]);
  });

  it.each<[name: string, base: Path, path: Path, looked: Path]>([
    ['inside a value', ['spec', 'steps', 2], ['request', 'from'], ['spec', 'steps', 2, 'request', 'from']],
    ['the value itself', ['spec', 'steps', 2], [], ['spec', 'steps', 2]],
    ['from the root', [], ['spec', 'seed'], ['spec', 'seed']],
  ])('at() locates a path %s', (_name, base, path, looked) => {
    const l = locator();
    const o = withPos({}, l, base, {});
    expect(o.at(path)).toEqual({ file: 'f.yaml', line: looked.length, col: 1 });
    expect(l.lookups).toEqual([looked]);
  });

  it('takes a position written to it', () => {
    const o = withPos({}, locator(), [], {});
    o.pos = { file: 'g.yaml', line: 9, col: 1 };
    expect(o.pos).toEqual({ file: 'g.yaml', line: 9, col: 1 });
  });

  it('keeps each object its own place', () => {
    const l = locator();
    const [a, b] = [withPos({ n: 'a' }, l, ['x'], {}), withPos({ n: 'b' }, l, ['x', 'y'], {})];
    expect([a.pos.line, b.pos.line, a.at(['z']).line, b.at(['z']).line]).toEqual([1, 2, 2, 3]);
  });
});
