import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/cluster/names';
import type { ClusterState } from '../../src/cluster/index';
import { applyOk, deployment, gateway, makeCluster, namespace, service } from './fixtures';

function build(seed: string): ClusterState {
  const c = makeCluster({ rng: seedrandom(seed), podReadyDelayMs: 100 });
  applyOk(c, 0, namespace('a'), namespace('b'), deployment('a', 'x', 4), deployment('b', 'y', 3), service('a', 'x', { selector: { app: 'x' }, ports: [{ port: 80 }] }), gateway('a', 'waypoint', 'istio-waypoint'));
  c.advance(200);
  c.scale('Deployment', 'b', 'y', 1, 300);
  return c.state;
}

function dump(s: ClusterState): string {
  const out: Record<string, unknown> = {};
  for (const [kind, buckets] of s.objects) for (const [ns, b] of buckets) for (const [name, o] of b) out[`${kind}/${ns}/${name}`] = o;
  return canonicalJson(out);
}

describe('determinism', () => {
  it('same seed and inputs → byte-identical state', () => {
    expect(dump(build('7'))).toBe(dump(build('7')));
  });

  it('a different seed changes generated names', () => {
    expect(dump(build('7'))).not.toBe(dump(build('8')));
  });

  it('snapshots are frozen and earlier snapshots are untouched by later writes', () => {
    const c = makeCluster();
    const before = c.state;
    applyOk(c, 0, namespace('apps'));
    expect(before.objects.get('Namespace')!.get('')!.has('apps')).toBe(false);
    expect(c.state.objects.get('Namespace')!.get('')!.has('apps')).toBe(true);
    expect(Object.isFrozen(c.get('Namespace', undefined, 'apps'))).toBe(true);
    // Buckets untouched by the write are shared between snapshots.
    expect(c.state.objects.get('Node')).toBe(before.objects.get('Node'));
  });
});
