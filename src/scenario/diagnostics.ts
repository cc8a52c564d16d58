// Problems found in user input, located as FILE:LINE:COL. Every layer that finds a problem in a
// scenario or manifest reports it through these types, so the CLI can print all of them at once.

export type Severity = 'error' | 'warning';

/** A place in a user's file. Lines and columns are 1-based; line 0 means "the file as a whole". */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic extends SourcePos {
  message: string;
  severity: Severity;
}

/** `FILE:LINE:COL: message`, or `FILE:LINE:COL: warning: message`; `FILE: message` when there is no line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  return `${where}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

export function errorAt(pos: SourcePos, message: string): Diagnostic {
  return { file: pos.file, line: pos.line, col: pos.col, message, severity: 'error' };
}

export function warningAt(pos: SourcePos, message: string): Diagnostic {
  return { file: pos.file, line: pos.line, col: pos.col, message, severity: 'warning' };
}

/** The position of a whole file, for problems such as "no such file". */
export function fileLevel(file: string): SourcePos {
  return { file, line: 0, col: 0 };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Orders diagnostics for printing: `firstFiles`, then the other files in the order they were first
 * reported (which follows the order files were read), then by line and column within a file.
 * Stable, so equal positions keep their reporting order.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[], firstFiles: readonly string[] = []): Diagnostic[] {
  const fileRank = new Map<string, number>(firstFiles.map((f, i) => [f, i]));
  for (const d of diagnostics) if (!fileRank.has(d.file)) fileRank.set(d.file, fileRank.size);
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => fileRank.get(a.d.file)! - fileRank.get(b.d.file)! || a.d.line - b.d.line || a.d.col - b.d.col || a.i - b.i)
    .map(({ d }) => d);
}

/** Accumulates diagnostics from several files and passes; `list()` returns them sorted and de-duplicated. */
export class DiagnosticCollector {
  private readonly items: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  add(d: Diagnostic): void {
    const key = `${formatDiagnostic(d)}\u0000${d.severity}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(d);
  }

  addAll(ds: Iterable<Diagnostic>): void {
    for (const d of ds) this.add(d);
  }

  error(pos: SourcePos, message: string): void {
    this.add(errorAt(pos, message));
  }

  warning(pos: SourcePos, message: string): void {
    this.add(warningAt(pos, message));
  }

  get hasErrors(): boolean {
    return hasErrors(this.items);
  }

  get size(): number {
    return this.items.length;
  }

  /** Sorted for printing, `firstFiles` first (e.g. the scenario before the manifests it includes). */
  list(firstFiles: readonly string[] = []): Diagnostic[] {
    return sortDiagnostics(this.items, firstFiles);
  }
}
