// Traffic generators' small pieces: request templates and arrival gaps.
//
// Templates: header values, the body, and the path and query of a request step's URL (or `path:`)
// may contain `{{...}}` expressions, evaluated for every request from the step's own seeded stream:
//   {{seq}}              the request's number in its step, from 1
//   {{randomInt A B}}    an integer drawn uniformly from A..B (inclusive; A ≤ B, integers)
//   {{uuid}}             a random version-4 UUID
// Everything outside `{{ }}` is literal. The scheme and host of a URL cannot be templated: where a
// request dials is fixed for the whole step.
import type { Rng } from '../../sim';
import type { Rate } from '../scenario';

type Part = string | ((seq: number, rng: Rng) => string);

export interface Template {
  readonly parts: readonly Part[];
  /** The text itself when it has no expressions. */
  readonly literal?: string;
}

export type Compiled = { ok: true; template: Template } | { ok: false; message: string };

const HEX = '0123456789abcdef';

function uuid(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 32; i++) {
    let d = rng.int(16);
    if (i === 12) d = 4; // version 4
    else if (i === 16) d = 8 + (d & 3); // RFC 4122 variant
    s += HEX[d];
    if (i === 7 || i === 11 || i === 15 || i === 19) s += '-';
  }
  return s;
}

function expression(src: string): Part | string {
  const words = src.trim().split(/\s+/);
  const [fn, ...args] = words;
  switch (fn) {
    case 'seq':
      return args.length ? '{{seq}} takes no arguments' : (seq: number) => String(seq);
    case 'uuid':
      return args.length ? '{{uuid}} takes no arguments' : (_: number, rng: Rng) => uuid(rng);
    case 'randomInt': {
      const [a, b] = args.map(Number);
      if (args.length !== 2 || !Number.isInteger(a) || !Number.isInteger(b)) return `{{randomInt A B}} needs two integers, got "{{${src}}}"`;
      if (a! > b!) return `{{randomInt A B}}: A (${a}) must not be greater than B (${b})`;
      const lo = a!;
      const span = b! - a! + 1;
      return (_: number, rng: Rng) => String(lo + rng.int(span));
    }
    default:
      return `unknown template expression "{{${src}}}" (use {{seq}}, {{randomInt A B}} or {{uuid}})`;
  }
}

/** Compiles `text`; the message of a failure names the bad expression. */
export function compileTemplate(text: string): Compiled {
  if (!text.includes('{{')) return { ok: true, template: { parts: [text], literal: text } };
  const parts: Part[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) {
      parts.push(text.slice(pos));
      break;
    }
    if (open > pos) parts.push(text.slice(pos, open));
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, message: `template "${text}": "{{" at offset ${open} is never closed with "}}"` };
    const p = expression(text.slice(open + 2, close));
    if (typeof p === 'string') return { ok: false, message: p };
    parts.push(p);
    pos = close + 2;
  }
  return { ok: true, template: { parts } };
}

export function render(t: Template, seq: number, rng: Rng): string {
  if (t.literal !== undefined) return t.literal;
  let s = '';
  for (const p of t.parts) s += typeof p === 'string' ? p : p(seq, rng);
  return s;
}

/** Time to the next arrival of an open-loop generator, in ms. */
export function arrivalGap(rate: Rate, rng: Rng): number {
  const mean = 1000 / rate.perSecond;
  return rate.arrival === 'constant' ? mean : -Math.log(1 - rng.next()) * mean;
}
