// kubectl's -o jsonpath templates: text with `{...}` expressions — field paths (`.a.b`, `['x.y']`),
// indices and slices-free wildcards (`[0]`, `[*]`), `range ... end` loops and quoted literals.
// Arrays print space-separated, maps and objects as JSON, like kubectl.

type Segment = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'recursive'; name: string };

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'path'; segments: Segment[] }
  | { kind: 'range'; segments: Segment[]; body: Node[] };

export class JsonPathError extends Error {}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function parsePath(expr: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  const s = expr.trim();
  if (s === '@' || s === '$' || s === '.' || s === '') return segs;
  if (s[0] === '$' || s[0] === '@') i = 1;
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i + 2));
      if (!m) throw new JsonPathError(`unrecognized identifier in ${expr}`);
      segs.push({ kind: 'recursive', name: m[0] });
      i += 2 + m[0].length;
    } else if (s[i] === '.') {
      const m = /^[A-Za-z0-9_/-]*(?:\\\.[A-Za-z0-9_/-]*)*/.exec(s.slice(i + 1));
      const name = (m?.[0] ?? '').replace(/\\\./g, '.');
      i += 1 + (m?.[0].length ?? 0);
      if (name) segs.push({ kind: 'field', name });
    } else if (s[i] === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) throw new JsonPathError(`unterminated array in ${expr}`);
      const inner = s.slice(i + 1, end).trim();
      if (inner === '*') segs.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) segs.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) segs.push({ kind: 'field', name: unquote(inner) });
      else throw new JsonPathError(`unsupported array expression [${inner}]`);
      i = end + 1;
    } else {
      throw new JsonPathError(`unrecognized character in action: ${s.slice(i)}`);
    }
  }
  return segs;
}

function parseTemplate(tpl: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1]!.push({ kind: 'text', text: tpl.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1]!.push({ kind: 'text', text: tpl.slice(i, open) });
    const close = tpl.indexOf('}', open);
    if (close < 0) throw new JsonPathError(`unclosed action`);
    const action = tpl.slice(open + 1, close).trim();
    const top = stack[stack.length - 1]!;
    if (/^".*"$|^'.*'$/s.test(action)) top.push({ kind: 'text', text: unquote(action) });
    else if (action.startsWith('range ')) {
      const node: Node = { kind: 'range', segments: parsePath(action.slice(6)), body: [] };
      top.push(node);
      stack.push(node.body);
    } else if (action === 'end') {
      if (stack.length === 1) throw new JsonPathError('not in range, nothing to end');
      stack.pop();
    } else top.push({ kind: 'path', segments: parsePath(action) });
    i = close + 1;
  }
  return root;
}

/** `allowMissing`: an index past the end finds nothing instead of failing (client-go's AllowMissingKeys). */
function evaluate(values: unknown[], segs: Segment[], allowMissing = false): unknown[] {
  let cur = values;
  for (const seg of segs) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (seg.kind === 'field') {
        if (v && typeof v === 'object' && !Array.isArray(v) && seg.name in v) next.push((v as Record<string, unknown>)[seg.name]);
      } else if (seg.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = seg.index < 0 ? v.length + seg.index : seg.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
          else if (!allowMissing) throw new JsonPathError(`array index out of bounds: index ${seg.index}, length ${v.length}`);
        }
      } else if (seg.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (v && typeof v === 'object') next.push(...Object.values(v));
      } else {
        collect(v, seg.name, next);
      }
    }
    cur = next;
  }
  return cur;
}

function collect(v: unknown, name: string, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) collect(x, name, out);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (name in o) out.push(o[name]);
    for (const x of Object.values(o)) collect(x, name, out);
  }
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function render(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'path') {
      const vals = evaluate([data], n.segments);
      out += vals.map(show).join(' ');
    } else {
      for (const item of evaluate([data], n.segments).flatMap((v) => (Array.isArray(v) ? v : [v]))) out += render(n.body, item);
    }
  }
  return out;
}

/** Renders a kubectl jsonpath template against `data`; throws JsonPathError in kubectl's words. */
export function jsonPath(template: string, data: unknown): string {
  return render(parseTemplate(template), data);
}

/**
 * The values one `{...}` expression finds in `data`, missing keys and indices finding nothing
 * (kubectl's custom columns). Throws JsonPathError when `expr` is not a single path expression.
 */
export function jsonPathValues(expr: string, data: unknown): unknown[] {
  const nodes = parseTemplate(expr);
  const path = nodes.length === 1 ? nodes[0]! : undefined;
  if (path?.kind !== 'path') throw new JsonPathError(`unexpected path string ${expr}`);
  return evaluate([data], path.segments, true);
}
