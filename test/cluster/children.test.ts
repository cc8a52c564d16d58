// Children stands in for "owner uid → child uids" plus a uid → object map: whatever the sequence
// of adds (new children or new versions) and deletes, an owner iterates the latest version of
// each child, in the order the uids were first added.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Children } from '../../src/cluster/children';
import type { KubeObject } from '../../src/k8s/types';

type Op = { add: boolean; owner: string; uid: string; version: number };

const child = (uid: string, version: number): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, uid, resourceVersion: String(version) } });

/** The reference: owner → (uid → latest version), a Map keeping first-insertion order. */
function model(ops: Op[]): Map<string, string[]> {
  const m = new Map<string, Map<string, number>>();
  for (const { add, owner, uid, version } of ops) {
    let kids = m.get(owner);
    if (add) {
      if (!kids) m.set(owner, (kids = new Map()));
      kids.set(uid, version);
    } else if (kids?.delete(uid) && kids.size === 0) m.delete(owner);
  }
  return new Map([...m].map(([o, kids]) => [o, [...kids].map(([u, v]) => `${u}@${v}`)]));
}

function run(ops: Op[]): Map<string, string[]> {
  const c = new Children();
  const owners = new Set<string>();
  for (const { add, owner, uid, version } of ops) {
    owners.add(owner);
    if (add) c.add(owner, child(uid, version));
    else c.delete(owner, uid);
  }
  const out = new Map<string, string[]>();
  for (const o of [...owners].sort()) {
    const kids = [...c.get(o)].map((k) => `${k.metadata.uid}@${k.metadata.resourceVersion}`);
    if (kids.length) out.set(o, kids);
  }
  return out;
}

const sorted = (m: Map<string, string[]>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

describe('Children', () => {
  it.each([
    ['a lone child, a few', 3],
    ['owners that outgrow an array', 40],
  ])('matches the uid-keyed reference for %s', (_, uids) => {
    const op = fc.record({ add: fc.boolean(), owner: fc.constantFrom('a', 'b'), uid: fc.integer({ min: 0, max: uids - 1 }).map((i) => `u${i}`), version: fc.nat(9) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        expect(run(ops)).toEqual(sorted(model(ops)));
      }),
    );
  });

  it('a new version of a child takes its place; clear drops the owner', () => {
    const c = new Children();
    c.add('o', child('x', 1));
    c.add('o', child('y', 1));
    c.add('o', child('x', 2));
    expect([...c.get('o')].map((k) => `${k.metadata.uid}@${k.metadata.resourceVersion}`)).toEqual(['x@2', 'y@1']);
    c.clear('o');
    expect([...c.get('o')]).toEqual([]);
  });
});
