import { describe, expect, it } from 'vitest';
import { DiagnosticCollector, errorAt, fileLevel, formatDiagnostic, sortDiagnostics, warningAt } from '../../src/scenario/diagnostics';

describe('formatDiagnostic', () => {
  it.each([
    [errorAt({ file: 'a/b.yaml', line: 3, col: 7 }, 'unknown field "x"'), 'a/b.yaml:3:7: unknown field "x"'],
    [warningAt({ file: 'b.yaml', line: 1, col: 1 }, 'kept but has no effect'), 'b.yaml:1:1: warning: kept but has no effect'],
    [errorAt(fileLevel('missing.yaml'), 'no such file or directory'), 'missing.yaml: no such file or directory'],
  ])('%j', (d, text) => {
    expect(formatDiagnostic(d)).toBe(text);
  });
});

describe('sortDiagnostics', () => {
  const d = (file: string, line: number, col: number, message = 'm') => errorAt({ file, line, col }, message);

  it('keeps files in first-reported order and sorts positions within a file', () => {
    const sorted = sortDiagnostics([d('b', 9, 1), d('a', 5, 2), d('b', 2, 4), d('a', 5, 1)]);
    expect(sorted.map((x) => `${x.file}:${x.line}:${x.col}`)).toEqual(['b:2:4', 'b:9:1', 'a:5:1', 'a:5:2']);
  });

  it('puts the named files first', () => {
    const sorted = sortDiagnostics([d('m', 1, 1), d('s', 3, 1)], ['s']);
    expect(sorted.map((x) => x.file)).toEqual(['s', 'm']);
  });

  it('is stable for equal positions', () => {
    const sorted = sortDiagnostics([d('a', 1, 1, 'first'), d('a', 1, 1, 'second')]);
    expect(sorted.map((x) => x.message)).toEqual(['first', 'second']);
  });
});

describe('DiagnosticCollector', () => {
  it('drops exact duplicates and tells errors from warnings', () => {
    const c = new DiagnosticCollector();
    c.warning({ file: 'f', line: 1, col: 1 }, 'w');
    expect(c.hasErrors).toBe(false);
    c.error({ file: 'f', line: 2, col: 1 }, 'e');
    c.error({ file: 'f', line: 2, col: 1 }, 'e');
    expect(c.hasErrors).toBe(true);
    expect(c.list().map(formatDiagnostic)).toEqual(['f:1:1: warning: w', 'f:2:1: e']);
  });
});
