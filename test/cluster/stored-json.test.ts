// The stored objects are what `kubectl get -o json` prints, so how they are built (shared, frozen,
// copied or not) must never show in their JSON. golden/rollout.json holds the objects and events
// of a small rollout (readiness delay, then a scale-up) as the store gave them before it shared
// endpoint, status and condition parts; the JSON must match key for key, in order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../src/cluster/index';
import { applyOk, deployment, makeCluster, namespace, service } from './fixtures';

const golden = JSON.parse(readFileSync(new URL('./golden/rollout.json', import.meta.url), 'utf8')) as { objects: unknown[]; events: ChangeEvent[] };

function rollout() {
  const c = makeCluster({ podReadyDelayMs: 1000 });
  const events: ChangeEvent[] = [];
  c.onChange((e) => events.push(e));
  applyOk(c, 0, namespace('apps'), service('apps', 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }), deployment('apps', 'web', 2));
  c.advance(2000);
  c.scale('Deployment', 'apps', 'web', 3, 3000);
  c.advance(5000);
  const objects = ['Deployment', 'ReplicaSet', 'Pod', 'EndpointSlice'].flatMap((kind) => c.list(kind, 'apps'));
  return { objects, events };
}

describe('stored objects read exactly as before', () => {
  const { objects, events } = rollout();

  it('the same objects', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(golden.objects.map((o) => `${(o as { kind: string }).kind}/${(o as { metadata: { name: string } }).metadata.name}`));
  });

  it.each(golden.objects.map((o, i) => [`${(o as { kind: string }).kind} #${i}`, i] as const))('%s: same JSON text', (_, i) => {
    expect(JSON.stringify(objects[i])).toBe(JSON.stringify(golden.objects[i]));
  });

  it('the same change events', () => {
    expect(events).toEqual(golden.events);
  });
});
