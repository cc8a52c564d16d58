// The per-hop walkthrough as text: a numbered tree, one block per hop, ending with the outcome and
// every "what would change this" line gathered from the hops.
import { createColors } from 'picocolors';
import type { PolicyExplanation } from '../authz/explain';
import type { DiffResult } from '../explain/diff';
import type { ExplainedHop, Observed } from '../explain/types';
import type { RequestRecord } from '../result/types';
import { outcomeText } from './path-text';

type Colors = ReturnType<typeof createColors>;

function observedText(o: Observed): string {
  const parts = [`source ${o.sourceIdentity ?? '(no identity: plaintext)'}`];
  if (o.sourceIp) parts.push(`from ${o.sourceIp}`);
  const dst = o.destination ? `${o.destination}${o.port !== undefined ? `:${o.port}` : ''}` : o.port !== undefined ? `port ${o.port}` : '';
  if (dst) parts.push(`to ${dst}`);
  if (o.service) parts.push(`(service ${o.service})`);
  if (o.workload) parts.push(`(pod ${o.workload})`);
  return parts.join(' ');
}

function policyLines(p: PolicyExplanation, c: Colors): string[] {
  const tag = `${p.dryRun ? 'dry-run ' : ''}${p.action} ${p.policy}${p.origin === 'authz' ? '' : ` (${p.origin})`}`;
  const head = p.matched ? `${c.green('✓')} ${tag}: rule ${p.rule} matched` : `${c.red('✗')} ${tag}: ${p.rules.length === 0 ? 'no rules, matches nothing' : 'no rule matched'}`;
  const lines = [head];
  for (const r of p.rules) {
    const conds = r.conditions.map((x) => `${x.holds ? '✓' : '✗'} ${x.text}`);
    if (r.inert) conds.unshift(`never matches here: ${r.inert}`);
    if (conds.length === 0) conds.push('no conditions: matches everything');
    lines.push(`    rule ${r.rule}: ${conds.join('; ')}`);
  }
  return lines;
}

function hopLines(h: ExplainedHop, n: number, c: Colors): string[] {
  const lines = [`${c.bold(`${n}. ${h.name}`)}${h.cluster ? c.dim(` [${h.cluster}]`) : ''}`];
  const add = (s: string) => lines.push(`     ${s}`);
  if (h.observed) add(`saw: ${observedText(h.observed)}`);
  if (h.policies?.length) {
    add('policies (in evaluation order):');
    for (const p of h.policies) for (const l of policyLines(p, c)) add(`  ${l}`);
  } else if (h.role === 'inbound' || h.role === 'waypoint') add('policies: none apply here');
  if (h.routes?.length) {
    add('routes (in precedence order):');
    for (const r of h.routes) add(`  ${r.matched ? c.green('✓') : c.red('✗')} ${r.route} — ${r.why}`);
  }
  for (const a of h.attempts ?? []) {
    const deny = a.decisions.find((d) => d.kind === 'authz' && d.result === 'DENY');
    add(c.yellow(`failed attempt → ${a.endpoint}${deny ? `: ${deny.at} DENY (${deny.reason ?? ''}), saw source ${deny.sourceIdentity ?? 'none'}` : ''}; retried`));
  }
  add(`→ ${h.verdict}`);
  for (const note of h.notes ?? []) add(c.yellow(`note: ${note}`));
  for (const f of h.fixes ?? []) add(c.cyan(`what would change this: ${f}`));
  return lines;
}

export function renderExplainText(r: RequestRecord, hops: readonly ExplainedHop[], opts: { color: boolean }): string {
  const c = createColors(opts.color);
  const ok = r.outcome === 'response' && (r.status ?? 0) < 400;
  const lines = [c.bold(`${r.method} ${r.to.host}:${r.to.port}${r.path}`) + c.dim(` from ${r.from.namespace}/${r.from.pod}`), ''];
  hops.forEach((h, i) => lines.push(...hopLines(h, i + 1, c), ''));
  lines.push(`outcome: ${ok ? c.green(outcomeText(r)) : c.red(outcomeText(r))}${r.error && r.outcome === 'response' && r.error !== r.body ? ` — ${r.error}` : ''}`);
  const fixes = [...new Set(hops.flatMap((h) => h.fixes ?? []))];
  if (fixes.length && !ok) for (const f of fixes) lines.push(c.cyan(`what would change this: ${f}`));
  else if (fixes.length) for (const f of fixes) lines.push(c.cyan(`worth a look: ${f}`));
  return `${lines.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 2))).join('').trimEnd());
}

const arrow = (a: string, b: string) => (a === b ? a : `${a} → ${b}`);

/** `meshsim diff` as a connectivity table of the flows that changed. */
export function renderDiffText(d: DiffResult, opts: { color: boolean }): string {
  const c = createColors(opts.color);
  if (d.changes.length === 0) return `no flow changed (${d.compared} compared)\n`;
  const rows = [['CLUSTER', 'SOURCE', 'DESTINATION', 'METHOD', 'OUTCOME', 'PATH', 'DECIDING RULE']];
  for (const ch of d.changes) {
    const f = ch.flow;
    rows.push([f.cluster, f.from, f.url, f.method, arrow(ch.before.outcome, ch.after.outcome), arrow(ch.before.path, ch.after.path), arrow(ch.before.deciding, ch.after.deciding)]);
  }
  const [head, ...body] = table(rows);
  return `${[c.bold(head!), ...body, '', `${d.changes.length} of ${d.compared} flows changed`].join('\n')}\n`;
}
