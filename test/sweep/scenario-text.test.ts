// --set values are written into the parsed scenario, not its text: every problem is still located
// in the file as the user wrote it, however the YAML would be printed again.
import { describe, expect, it } from 'vitest';
import { prepare } from '../../src/sweep/scenario-text';
import { combinations, parseSet } from '../../src/sweep/spec';

/** A folded description (a re-printed document would join its lines) above the fields a --set changes. */
const TEXT = `apiVersion: meshsim.dev/v1alpha1
kind: Scenario
metadata:
  name: folded
  description: >
    A description long enough to be folded over
    several lines of the file, which a printer
    would join into one.
spec:
  seed: 3
  latency: {}
  steps:
    - name: wait
      wait: 1s
`;

function combination(...sets: string[]) {
  const params = sets.map((s) => {
    const p = parseSet(s);
    if (!p.ok) throw new Error(p.message);
    return p.value;
  });
  return combinations(params)[0]!;
}

describe('a scenario with --set values', () => {
  it('locates a bad value at the line the file has for it', () => {
    const r = prepare(TEXT, 'folded.yaml', combination('seed=abc'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(['--set seed=abc: folded.yaml:10:9: seed: expected a number, got string "abc"']);
  });

  it('sets into an existing map and creates missing ones on the way', () => {
    const r = prepare(TEXT, 'folded.yaml', combination('latency.waypoint.workers=3', 'istio.features.PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true'));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scenario.latency.value).toEqual({ proxies: { waypoint: { workers: 3 } } });
      expect(r.scenario.istio.features.PILOT_AUTO_ALLOW_WAYPOINT_POLICY).toBe(true);
    }
  });

  it('places an unknown field the --set added at its nearest ancestor in the file', () => {
    const r = prepare(TEXT, 'folded.yaml', combination('latency.nope=1'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^--set latency\.nope=1: folded\.yaml:11:\d+: .*"nope"/);
  });

  it.each([
    ['seed.x=1', '--set seed.x=1: spec.seed is a scalar (3), not a map or list'],
    ['steps.name=x', '--set steps.name=x: spec.steps is a list: name its items by index (spec.steps.0, spec.steps.1, ...)'],
  ])('refuses --set %s, which the document cannot take', (set, message) => {
    const r = prepare(TEXT, 'folded.yaml', combination(set));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([message]);
  });

  it('checks each --set against the value the earlier ones left', () => {
    const r = prepare(TEXT, 'folded.yaml', combination('istio=1', 'istio.features.PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(['--set istio=1 --set istio.features.PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true: spec.istio is a scalar (1), not a map or list']);
  });
});
