// JSON text exactly as `JSON.stringify(value, null, 2)` writes it, made and written in pieces. A run
// with many kept requests, each nesting its fan-out's calls, can outgrow the longest string V8 can
// make (about 512 MiB), and the pieces can leave as they are made instead of all at the end.

/** Containers this deep or deeper are stringified whole: pieces near the top are enough. */
const WALK_DEPTH = 4;

/** Characters gathered before they are written. */
const BATCH = 1 << 20;

function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** The pieces of `value`'s JSON text, laid out as at `indent` inside a larger document. */
export function* jsonPieces(value: unknown, indent = '', depth = 0): Generator<string> {
  if (depth >= WALK_DEPTH || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    // A string's own line breaks are escaped in JSON: every raw one is layout, indented here.
    const text = JSON.stringify(value, null, 2);
    yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return yield '[]';
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      const v: unknown = value[i];
      yield* jsonPieces(skipped(v) ? null : v, inner, depth + 1);
    }
    return yield `\n${indent}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => !skipped(record[k]));
  if (keys.length === 0) return yield '{}';
  yield '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    yield `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(k)}: `;
    yield* jsonPieces(record[k], inner, depth + 1);
  }
  yield `\n${indent}}`;
}

/** Writes `value` as `JSON.stringify(value, null, 2)` and a newline would, in batches. */
export function writeJson(value: unknown, write: (text: string) => void): void {
  let batch = '';
  for (const piece of jsonPieces(value)) {
    batch += piece;
    if (batch.length >= BATCH) {
      write(batch);
      batch = '';
    }
  }
  write(`${batch}\n`);
}
