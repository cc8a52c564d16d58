// Go's text/tabwriter as kubectl and istioctl configure it. Cells are tab-terminated; the text
// after a line's last tab is free. A column is aligned over each block of consecutive lines that
// have a cell in it (so a line without tabs ends the block), as Go does.

export interface TableOptions {
  /** Spaces after the widest cell of a column (kubectl 3, describe 2, `istioctl waypoint` 5, `istioctl zc` 1). */
  padding: number;
  /** Minimal width of a padded cell, padding included (kubectl tables 6, others 0). */
  minWidth?: number;
}

export const KUBECTL_TABLE: TableOptions = { padding: 3, minWidth: 6 };

function width(s: string): number {
  return [...s].length;
}

/** Formats tab-separated text exactly like Go's tabwriter (no flags). */
export function tabwrite(text: string, opts: TableOptions): string {
  const trailingNewline = text.endsWith('\n');
  const lines = (trailingNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const out: string[] = lines.map(() => '');
  const widths: number[] = [];
  const minWidth = opts.minWidth ?? 0;
  const emit = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      let s = '';
      line.forEach((cell, j) => {
        s += j < line.length - 1 ? cell + ' '.repeat(Math.max(0, widths[j]! - width(cell))) : cell;
      });
      out[i] = s;
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      emit(line0, t);
      line0 = t;
      let w = minWidth;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column]!) + opts.padding);
      }
      widths.push(w);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--;
    }
    emit(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}

/** Renders rows (the header is just the first row), one line each with a trailing newline. */
export function formatTable(rows: readonly (readonly string[])[], opts: TableOptions = KUBECTL_TABLE): string {
  if (!rows.length) return '';
  return tabwrite(`${rows.map((r) => r.join('\t')).join('\n')}\n`, opts);
}
