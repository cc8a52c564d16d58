// Go's text/tabwriter as kubectl and istioctl configure it: every cell but the last of a line is
// padded to its column's width (widest cell + padding, at least minWidth); the last cell is free.

export interface TableOptions {
  /** Spaces after the widest cell of a column (kubectl 3, `istioctl waypoint` 5, `istioctl zc` 1). */
  padding: number;
  /** Minimal width of a padded cell, padding included (kubectl 6, istioctl 0). */
  minWidth?: number;
}

export const KUBECTL_TABLE: TableOptions = { padding: 3, minWidth: 6 };

/** Renders rows (the header is just the first row) with a trailing newline per line. */
export function formatTable(rows: readonly (readonly string[])[], opts: TableOptions = KUBECTL_TABLE): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length - 1; i++) {
      const w = Math.max(opts.minWidth ?? 0, [...row[i]!].length + opts.padding);
      if (w > (widths[i] ?? 0)) widths[i] = w;
    }
  }
  let out = '';
  for (const row of rows) {
    let line = '';
    row.forEach((cell, i) => {
      line += i < row.length - 1 ? cell.padEnd(widths[i]! - ([...cell].length - cell.length), ' ') : cell;
    });
    out += `${line}\n`;
  }
  return out;
}
