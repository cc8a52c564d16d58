// kubectl's `-o custom-columns=HEADER:FIELD,...` and `-o custom-columns-file=FILE`
// (cli-runtime's customcolumn.go): each field a relaxed JSONPath (`.a.b`, `a.b`, `{.a.b}`), a
// column with nothing found prints `<none>`, several values print comma-separated, each as Go's
// fmt prints it with terminal escapes defused (printers.EscapeTerminal: ESC as `^[`, CR as `\r`);
// rows aligned as kubectl's tab writer aligns them.
import { goValue } from '../../k8s/go-format';
import { jsonPathValues } from './jsonpath';
import { formatTable } from './table';

export interface Column {
  header: string;
  /** A complete JSONPath expression, `{.metadata.name}`. */
  field: string;
}

/** A spec that kubectl refuses, with its message. */
export class CustomColumnsError extends Error {}

/** kubectl's RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`. */
export function relaxedJsonPath(expr: string): string {
  if (expr === '') return expr;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m) throw new CustomColumnsError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] ?? m[2]}}`;
}

/** The columns of `custom-columns=SPEC`. */
export function columnsFromSpec(spec: string): Column[] {
  if (spec === '') throw new CustomColumnsError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new CustomColumnsError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), field: relaxedJsonPath(part.slice(colon + 1)) };
  });
}

/** The columns of a custom-columns file: a line of headers over a line of field specs. */
export function columnsFromTemplate(text: string): Column[] {
  // Lines as Go's bufio.Scanner reads them: a final newline ends the last line, it opens no new one.
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const words = (line: string | undefined) => (line ?? '').split(/\s+/).filter(Boolean);
  if (lines.length < 1) throw new CustomColumnsError('invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.');
  if (lines.length < 2) throw new CustomColumnsError('invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.');
  const headers = words(lines[0]);
  const specs = words(lines[1]);
  if (headers.length !== specs.length) throw new CustomColumnsError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  return headers.map((header, i) => ({ header, field: relaxedJsonPath(specs[i]!) }));
}

/** printers.EscapeTerminal: a value cannot move the cursor or recolour the terminal it is printed to. */
function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

/** The table for `objects`: one row each, under the headers unless `noHeaders`. */
export function customColumns(columns: readonly Column[], objects: readonly unknown[], noHeaders: boolean): string {
  const rows = objects.map((o) =>
    columns.map((c) => {
      const values = jsonPathValues(c.field, o);
      return values.length === 0 ? '<none>' : values.map((v) => escapeTerminal(goValue(v))).join(',');
    }),
  );
  return formatTable(noHeaders ? rows : [columns.map((c) => c.header), ...rows]);
}
