// kubectl's `-l` label selector syntax: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`.
import type { LabelSelector, Labels } from '../k8s/types';
import { matchSelector } from '../k8s/object';

export class SelectorError extends Error {}

/** Splits on commas outside parentheses. */
function terms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

export function parseSelector(s: string): LabelSelector {
  const sel: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] };
  for (const t of terms(s)) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/.exec(t))) {
      sel.matchExpressions.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values: m[3]!.split(',').map((v) => v.trim()) });
    } else if ((m = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(t))) {
      sel.matchExpressions.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    } else if ((m = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(t))) {
      sel.matchLabels[m[1]!] = m[2]!;
    } else if ((m = /^!\s*([^\s!=]+)$/.exec(t))) {
      sel.matchExpressions.push({ key: m[1]!, operator: 'DoesNotExist' });
    } else if (/^[^\s!=(),]+$/.test(t)) {
      sel.matchExpressions.push({ key: t, operator: 'Exists' });
    } else {
      throw new SelectorError(`unable to parse requirement: ${t}`);
    }
  }
  return sel;
}

export function selects(sel: LabelSelector | undefined, labels: Labels | undefined): boolean {
  return matchSelector(sel, labels ?? {});
}
