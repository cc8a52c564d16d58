// The report page: reads the embedded RunResult JSON and wires the views together.
import { select } from 'd3-selection';
import type { RequestRecord } from '../../src/result/types';
import { flatRequests, pathWeights } from './aggregate';
import { DATA_ELEMENT_ID } from './data-element';
import { autoGrouping, GROUPINGS, READABLE_BOXES, vertexCount, type Grouping } from './layout';
import type { ViewResult } from './model';
import { buildTopology, podsOnPaths } from './topology';
import { add, byId, panel, type Sel } from './ui/dom';
import { renderRequest } from './ui/sequence';
import { renderStep } from './ui/step-view';
import { flattenSteps, markSelected, renderChecklist, type FlatStep } from './ui/steps';
import { TopologyView } from './ui/topology-view';


function readResults(): ViewResult[] {
  const text = document.getElementById(DATA_ELEMENT_ID)?.textContent ?? '[]';
  const data = JSON.parse(text) as ViewResult | ViewResult[];
  return Array.isArray(data) ? data : [data];
}

/** Picks what to show first: a failed step with traffic, else the first step with traffic. */
function firstStep(steps: FlatStep[]): FlatStep | undefined {
  const traffic = (f: FlatStep) => (f.step.requests?.length ?? 0) > 0;
  return steps.find((f) => !f.step.passed && traffic(f)) ?? steps.find(traffic) ?? steps[0];
}

function showResult(app: Sel, result: ViewResult): void {
  app.selectAll('*').remove();
  const steps = flattenSteps(result.steps);
  const index = buildTopology(result);

  const head = add(app, 'div', 'run-head');
  add(head, 'span', `verdict ${result.passed ? 'pass' : 'fail'}`, result.passed ? 'PASSED' : 'FAILED');
  add(head, 'span', 'scenario', result.scenario);
  add(head, 'span', 'muted', `seed ${result.seed} · ${steps.filter((s) => s.step.passed).length}/${steps.length} steps passed`);

  const grid = add(app, 'div', 'grid');
  const side = panel(grid, 'steps', 'steps-panel');
  const main = add(grid, 'div', 'content');

  const topo = panel(main, 'topology', 'topology-panel');
  const controls = add(topo, 'div', 'controls');
  add(controls, 'label', undefined, 'show ');
  const groupSel = add(controls, 'select', 'grouping').attr('id', 'grouping');
  const initial = autoGrouping(index);
  for (const g of GROUPINGS) add(groupSel, 'option', undefined, g === 'pod' ? 'pods' : `${g}s per node`).attr('value', g).property('selected', g === initial);
  // A mesh too big to read even folded by namespace starts focused on the selected step's paths.
  const focusLabel = add(controls, 'label', 'focus');
  const focusBox = add(focusLabel, 'input').attr('type', 'checkbox').attr('id', 'focus').property('checked', vertexCount(index, initial) > READABLE_BOXES);
  add(focusLabel, 'span', undefined, ' only this step’s paths');
  const fitBtn = add(controls, 'button', undefined, 'fit');
  const pathNote = add(controls, 'span', 'muted path-note');
  legend(controls);
  const view = new TopologyView(topo, index);

  const stepBody = panel(main, 'step', 'step-panel');
  const reqBody = panel(main, 'request', 'request-panel');
  add(reqBody, 'p', 'muted', 'Pick a request in the table above to see it hop by hop.');

  let current: FlatStep | undefined;
  /** The grouping picked by hand; until then each drawing picks the finest readable one. */
  let chosen: Grouping | undefined;
  const focused = () => focusBox.property('checked') as boolean;
  const draw = () => {
    const focus = focused() ? podsOnPaths(index, current ? flatRequests(current.step) : []) : undefined;
    const g = chosen ?? autoGrouping(index, READABLE_BOXES, focus);
    groupSel.property('value', g);
    view.draw(g, focus);
  };
  const light = (what: string, requests: ReturnType<typeof flatRequests>) => {
    if (requests.length === 0) {
      view.highlight(null);
      pathNote.text(focused() ? 'this step sent no requests: nothing to focus on' : '');
      return;
    }
    view.highlight(pathWeights(requests, view.vertexOf));
    pathNote.text(`paths of ${what}`);
  };
  const pickRequest = (r: RequestRecord) => {
    reqBody.selectAll('*').remove();
    renderRequest(reqBody, r);
    stepBody.selectAll<HTMLTableRowElement, RequestRecord>('tr[data-request]').classed('selected', (d) => d === r);
    light(`request #${r.id}`, flatRequests({ ...current!.step, requests: [r] }));
  };
  const pickStep = (id: string) => {
    const f = steps.find((s) => s.id === id);
    if (!f) return;
    current = f;
    if (focused()) draw();
    markSelected(side, id);
    stepBody.selectAll('*').remove();
    reqBody.selectAll('*').remove();
    renderStep(stepBody, f.step, pickRequest);
    const n = f.step.requests?.length ?? 0;
    add(reqBody, 'p', 'muted', n ? 'Pick a request in the table above to see it hop by hop.' : 'This step sent no requests.');
    const total = f.step.summary?.count ?? n;
    light(`step “${f.step.name}” (${n < total ? `${n} kept of ${total}` : n} requests)`, flatRequests(f.step));
  };
  renderChecklist(side, steps, pickStep);

  // Picking a step redraws a focused canvas itself; otherwise the canvas is drawn once here.
  const redraw = () => {
    if (!(current && focused())) draw();
    if (current) pickStep(current.id);
  };
  groupSel.on('change', function () {
    chosen = (this as HTMLSelectElement).value as Grouping;
    redraw();
  });
  focusBox.on('change', redraw);
  fitBtn.on('click', () => view.fit());
  current = firstStep(steps);
  redraw();
}

function legend<P extends Element>(root: Sel<P>): void {
  const l = add(root, 'span', 'legend');
  for (const [cls, text] of [
    ['enroll-ambient', 'ambient'],
    ['enroll-sidecar', 'sidecar'],
    ['enroll-none', 'not in mesh'],
    ['role-waypoint', 'waypoint'],
    ['role-gateway', 'gateway'],
    ['role-ztunnel', 'ztunnel'],
  ]) {
    const item = add(l, 'span', `legend-item ${cls}`);
    add(item, 'span', 'swatch');
    add(item, 'span', undefined, text!);
  }
  const deny = add(l, 'span', 'legend-item');
  add(deny, 'span', 'deny-swatch', '✕');
  add(deny, 'span', undefined, 'stopped here');
}

function boot(): void {
  const app = byId('app');
  try {
    const results = readResults();
    const header = byId('top');
    if (results.length > 1) {
      const pick = add(header, 'select', 'scenario-pick').attr('id', 'scenario-pick');
      results.forEach((r, i) => add(pick, 'option', undefined, `${r.passed ? '✓' : '✗'} ${r.scenario}`).attr('value', i));
      pick.on('change', function () {
        showResult(app, results[Number((this as HTMLSelectElement).value)]!);
      });
    }
    if (results[0]) showResult(app, results[0]);
    else add(app, 'p', 'muted', 'This run has no results.');
    select(document.body).attr('data-ready', 'true');
  } catch (e) {
    add(app, 'pre', 'fatal', `The report could not be shown: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
}

boot();
