// `meshsim diff`: the accounts/finance lab before and after its waypoint, built from the lab's own
// manifests, changes exactly the flows the waypoint-identity trap breaks; an unchanged pair changes none.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerDiff } from '../../src/cli/diff-command';
import { diffVariants, flowsOfSteps, playScenario, probeFlows, type DiffResult } from '../../src/explain';
import { loadScenario, loadScenarioText, type Scenario } from '../../src/scenario';

const LAB_DIR = resolve(__dirname, '../../scenarios/accounts-finance');

/** The lab's clusters and manifests with deny-all + allow-from-finance, optionally with its waypoint enrolled. */
function labVariant(withWaypoint: boolean): Scenario {
  const text = stringify({
    apiVersion: 'meshsim.dev/v1alpha1',
    kind: 'Scenario',
    metadata: { name: withWaypoint ? 'after-waypoint' : 'before-waypoint' },
    spec: {
      seed: 7,
      clusters: [
        { name: 'cluster1', network: 'network1', nodes: [{ name: 'c1-node-a', region: 'us-east1', zone: 'us-east1-b' }, { name: 'c1-node-b', region: 'us-east1', zone: 'us-east1-c' }] },
        { name: 'cluster2', network: 'network2', nodes: [{ name: 'c2-node-a', region: 'us-central1', zone: 'us-central1-a' }, { name: 'c2-node-b', region: 'us-central1', zone: 'us-central1-b' }] },
      ],
      resources: [
        { file: 'manifests/namespaces.yaml' },
        { file: 'manifests/finance.yaml' },
        { file: 'manifests/accounts-service.yaml' },
        { file: 'manifests/accounts-cluster1.yaml', clusters: ['cluster1'] },
        { file: 'manifests/accounts-cluster2.yaml', clusters: ['cluster2'] },
        { file: 'manifests/eastwest-cluster1.yaml', clusters: ['cluster1'] },
        { file: 'manifests/eastwest-cluster2.yaml', clusters: ['cluster2'] },
        { file: 'changes/deny-all.yaml' },
        { file: 'changes/allow-from-finance.yaml' },
        ...(withWaypoint ? [{ file: 'changes/waypoint.yaml' }] : []),
      ],
      steps: withWaypoint ? [{ name: 'enroll', label: { kind: 'Namespace', name: 'accounts', labels: { 'istio.io/use-waypoint': 'waypoint' } } }] : [],
    },
  });
  const loaded = loadScenarioText(text, `${LAB_DIR}/diff-variant.yaml`);
  if (!loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.scenario;
}

async function diff(a: Scenario, b: Scenario, methods = ['GET']): Promise<DiffResult> {
  const before = (await playScenario(a)).world;
  const after = (await playScenario(b)).world;
  return diffVariants({ before, after, flows: [...probeFlows(before, methods), ...probeFlows(after, methods)], seed: 7 });
}

describe('diff of the lab before and after the waypoint', async () => {
  const result = await diff(labVariant(false), labVariant(true));

  it('lists exactly the flows that changed, with outcome, path and deciding rule before → after', () => {
    const rows = result.changes.map((c) => [c.flow.cluster, c.flow.from, c.flow.method, c.before.outcome, c.after.outcome, c.before.path, c.after.path, c.before.deciding, c.after.deciding]);
    const trap = 'ztunnel DENY (allow policies exist, but none allowed)';
    const allowed = 'ztunnel ALLOW accounts/allow-from-finance rule 0';
    expect(rows).toEqual([
      // accounts calling itself was already denied at L4; now the waypoint answers 503 instead of a reset.
      ['cluster1', 'accounts/accounts', 'GET', 'reset', '503', 'ztunnel,ztunnel', 'ztunnel,waypoint,ztunnel', trap, trap],
      ['cluster1', 'finance/curl', 'GET', '200', '503', 'ztunnel,ztunnel', 'ztunnel,waypoint,ztunnel', allowed, trap],
      ['cluster2', 'accounts/accounts', 'GET', 'reset', '503', 'ztunnel,ztunnel', 'ztunnel,waypoint,ztunnel', trap, trap],
      ['cluster2', 'finance/curl', 'GET', '200', '503', 'ztunnel,ztunnel', 'ztunnel,waypoint,ztunnel', allowed, trap],
    ]);
    expect(result.changes.every((c) => c.flow.url === 'http://accounts.accounts.svc.cluster.local:8080/')).toBe(true);
    expect(result.compared).toBe(4);
  });

  it('an unchanged pair reports no flow', async () => {
    expect((await diff(labVariant(true), labVariant(true), ['GET', 'POST'])).changes).toEqual([]);
  });
});

describe('diff of the shipped lab across its steps', () => {
  const lab = (() => {
    const s = loadScenario(`${LAB_DIR}/scenario.yaml`).scenario;
    if (!s) throw new Error('lab did not load');
    return s;
  })();
  const rows = [
    { before: '5. the fix — allow the waypoint\'s principal at L4', after: '5. the fix — allow the waypoint\'s principal at L4', changed: [['GET', '503', '200'], ['POST', '503', '200']] },
    // GET still gets 200, but now a waypoint policy decides too: a changed deciding rule is a change.
    { before: '6. allow only GET, at the waypoint', after: '6. allow only GET, at the waypoint', changed: [['GET', '200', '200'], ['POST', '200', '403']] },
    { before: '2. finance is now reset by the accounts ztunnel', after: '2. finance is now reset by the accounts ztunnel', changed: [] },
  ];
  it.each(rows)('before/after "$before": the request steps that changed', async ({ before, after, changed }) => {
    const a = (await playScenario(lab, { before })).world;
    const b = (await playScenario(lab, { after })).world;
    const r = diffVariants({ before: a, after: b, flows: flowsOfSteps(lab), seed: 7 });
    expect(r.changes.map((c) => [c.flow.method, c.before.outcome, c.after.outcome])).toEqual(changed);
  });
});

describe('a step that changes the mesh from a script (istioctl waypoint apply --enroll-namespace)', async () => {
  const canary = loadScenario(resolve(__dirname, '../../scenarios/canary-90-10/scenario.yaml')).scenario!;
  const step = '2. a waypoint for the namespace';
  const flows = flowsOfSteps(canary).slice(0, 1);

  it('is executed, so the request it affects now goes through the waypoint', async () => {
    const [before, after] = [await playScenario(canary, { before: step }), await playScenario(canary, { after: step })];
    expect(after.notices).toEqual([]);
    const r = diffVariants({ before: before.world, after: after.world, flows, seed: 7 });
    expect(r.changes.map((c) => [c.before.path, c.after.path])).toEqual([['ztunnel,ztunnel', 'ztunnel,waypoint,ztunnel']]);
  });

  it('is skipped with exec off, which leaves a notice and no change', async () => {
    const after = await playScenario(canary, { after: step, exec: false });
    expect(after.notices).toEqual([`step "${step}": skipped (--no-exec); what its script changes is not in the compared state`]);
    const before = await playScenario(canary, { before: step });
    expect(diffVariants({ before: before.world, after: after.world, flows, seed: 7 }).changes).toEqual([]);
  });
});

describe('meshsim diff exit codes', () => {
  const out: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    out.length = 0;
  });
  async function run(args: string[]): Promise<number> {
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const program = new Command('meshsim').exitOverride();
    let code = -1;
    registerDiff(program, (c) => {
      code = c;
    });
    await program.parseAsync(args, { from: 'user' });
    return code;
  }
  const lab = `${LAB_DIR}/scenario.yaml`;
  const rows = [
    { id: 'a step that changes flows', args: ['diff', lab, '--before', '4. enroll the namespace'], code: 1, text: 'GET     200 → 503' },
    { id: 'the same scenario twice', args: ['diff', lab, lab], code: 0, text: 'no flow changed' },
    { id: 'an unknown step', args: ['diff', lab, '--after', 'no such step'], code: 2, text: 'has no step named "no such step"' },
    { id: 'two scenarios and a step', args: ['diff', lab, lab, '--before', '4. enroll the namespace'], code: 2, text: 'give either two scenarios' },
    { id: 'a missing file', args: ['diff', `${LAB_DIR}/missing.yaml`, lab], code: 2, text: 'missing.yaml' },
  ];
  it.each(rows)('$id → exit $code', async ({ args, code, text }) => {
    expect(await run(args)).toBe(code);
    expect(out.join('')).toContain(text);
  });
});
