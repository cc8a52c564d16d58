// One request as text: its path, what the client saw, and every decision in the order taken.
import { createColors } from 'picocolors';
import type { Decision, RequestRecord } from '../result/types';
import { outcomeText, pathText } from './path-text';

function decisionText(d: Decision): string {
  const rule = d.rule !== undefined && d.rule !== null ? ` rule ${d.rule}` : '';
  const policy = d.policy ? ` ${d.policy}${rule}` : '';
  const identity = d.sourceIdentity !== undefined ? ` (source ${d.sourceIdentity ?? 'none: plaintext'})` : '';
  return `${d.kind.padEnd(16)} ${d.result}${policy}${d.reason ? ` — ${d.reason}` : ''}${identity}`;
}

/** Without `explain`, only the deciding denial (if any) is listed; with it, every decision per proxy. */
export function renderRequestText(r: RequestRecord, opts: { color: boolean; explain?: boolean }): string {
  const c = createColors(opts.color);
  const ok = r.outcome === 'response' && (r.status ?? 0) < 400;
  const lines = [c.bold(`${r.method} ${r.to.host}:${r.to.port}${r.path}`) + c.dim(` from ${r.from.namespace}/${r.from.pod}`), `  ${c.cyan(pathText(r))}`, `  ${ok ? c.green(outcomeText(r)) : c.red(outcomeText(r))}  ${c.dim(`${r.latencyMs}ms`)}`];
  const denial = [...r.decisions].reverse().find((d) => d.result === 'DENY');
  const shown = opts.explain ? r.decisions : denial ? [denial] : [];
  let at = '';
  for (const d of shown) {
    if (d.at !== at) {
      at = d.at;
      lines.push(`  ${c.bold(at)}`);
    }
    const text = decisionText(d);
    lines.push(`    ${d.result === 'DENY' ? c.red(text) : text}`);
  }
  return `${lines.join('\n')}\n`;
}
