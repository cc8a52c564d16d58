// Small helpers for writing YAML as text. Generated YAML is written from templates rather than a
// serializer because it is tens of thousands of lines; these keep the templates correct.

/** Plain scalars YAML would read as something other than a string. */
const NOT_A_STRING = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|[-+]?\.inf|\.nan|0x[\da-f]+|0o[0-7]+)$/i;
const SAFE_PLAIN = /^[A-Za-z0-9][-A-Za-z0-9_./]*$/;

/** A string scalar: plain when it reads back as the same string, double-quoted (JSON is valid YAML) otherwise. */
export function str(value: string): string {
  return SAFE_PLAIN.test(value) && !NOT_A_STRING.test(value) ? value : JSON.stringify(value);
}

/** A block sequence of scalars at `indent` spaces. */
export function seq(values: readonly string[], indent: number): string {
  const pad = ' '.repeat(indent);
  return values.map((v) => `${pad}- ${str(v)}\n`).join('');
}

/** A flow sequence of scalars: `[a, "b c"]`. */
export function flowSeq(values: readonly string[]): string {
  return `[${values.map(str).join(', ')}]`;
}

/** A block mapping of string values at `indent` spaces. */
export function map(entries: Readonly<Record<string, string>>, indent: number): string {
  const pad = ' '.repeat(indent);
  return Object.entries(entries)
    .map(([k, v]) => `${pad}${str(k)}: ${str(v)}\n`)
    .join('');
}

/** Multi-document YAML from documents that each end with a newline. */
export function documents(docs: readonly string[]): string {
  return docs.join('---\n');
}

/** Text indented by `indent` spaces on every non-empty line, for a `|` block scalar. */
export function indentBlock(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : pad + line))
    .join('\n');
}
