// The steps as a checklist, and a step's own details: failures, changes, command output.
import type { ViewStep } from '../model';
import { add, ms, type Sel } from './dom';

export interface FlatStep {
  id: string;
  step: ViewStep;
  depth: number;
}

/** Steps in order with nested ones (parallel steps) after their parent; ids are index paths. */
export function flattenSteps(steps: ViewStep[], prefix = '', depth = 0): FlatStep[] {
  return steps.flatMap((s, i) => {
    const id = `${prefix}${i}`;
    return [{ id, step: s, depth }, ...flattenSteps(s.steps ?? [], `${id}.`, depth + 1)];
  });
}

export function renderChecklist<P extends Element>(root: Sel<P>, steps: FlatStep[], onPick: (id: string) => void): void {
  const list = add(root, 'ol', 'checklist');
  for (const f of steps) {
    const li = add(list, 'li', `step ${f.step.passed ? 'pass' : 'fail'}`)
      .attr('data-step', f.id)
      .attr('tabindex', 0)
      .style('padding-left', `${8 + f.depth * 16}px`)
      .on('click', () => onPick(f.id))
      .on('keydown', (ev: KeyboardEvent) => {
        if (ev.key === 'Enter' || ev.key === ' ') onPick(f.id);
      });
    add(li, 'span', 'mark', f.step.passed ? '✓' : '✗');
    add(li, 'span', 'step-name', f.step.name);
    add(li, 'span', `badge type-${f.step.type}`, f.step.type);
    if (f.step.summary) add(li, 'span', 'count', `${f.step.summary.count}`);
    for (const m of f.step.failures) add(li, 'div', 'failure', m);
  }
}

export function markSelected<P extends Element>(root: Sel<P>, id: string): void {
  root.selectAll<HTMLElement, unknown>('li.step').classed('selected', function () {
    return this.getAttribute('data-step') === id;
  });
}

/** Header, failures, changes and (for run steps) the command output as a terminal. */
export function renderStepDetails<P extends Element>(root: Sel<P>, s: ViewStep): void {
  const head = add(root, 'div', 'step-head');
  add(head, 'span', `verdict ${s.passed ? 'pass' : 'fail'}`, s.passed ? 'passed' : 'failed');
  add(head, 'span', 'step-title', s.name);
  add(head, 'span', `badge type-${s.type}`, s.type);
  if (s.startMs !== undefined) add(head, 'span', 'muted', `at ${ms(s.startMs)}${s.endMs !== undefined ? ` – ${ms(s.endMs)}` : ''}`);
  if (s.failures.length) {
    const ul = add(root, 'ul', 'failures');
    for (const f of s.failures) add(ul, 'li', undefined, f);
  }
  if (s.changes?.length) {
    const ul = add(root, 'ul', 'changes');
    for (const c of s.changes) add(ul, 'li', undefined, c);
  }
  if (s.type === 'run' || s.stdout !== undefined || s.stderr !== undefined) {
    const term = add(root, 'div', 'terminal');
    if (s.stdout) add(term, 'pre', 'stdout', s.stdout);
    if (s.stderr) add(term, 'pre', 'stderr', s.stderr);
    if (!s.stdout && !s.stderr) add(term, 'pre', 'muted', '(no output)');
    if (s.exitCode !== undefined) add(term, 'div', `exit ${s.exitCode === 0 ? 'ok' : 'bad'}`, `exit code ${s.exitCode}`);
  }
}
