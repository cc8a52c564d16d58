// Groups stands in for Map<key, Set<string>> in the cluster's indexes: whatever the sequence of
// adds and deletes, every key iterates the members a Set would, in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Groups } from '../../src/cluster/groups';

type Op = { add: boolean; key: string; member: string };

/** The reference: what the indexes held before, with empty groups dropped. */
function model(ops: Op[]): Map<string, string[]> {
  const m = new Map<string, Set<string>>();
  for (const { add, key, member } of ops) {
    let s = m.get(key);
    if (add) {
      if (!s) m.set(key, (s = new Set()));
      s.add(member);
    } else if (s) {
      s.delete(member);
      if (s.size === 0) m.delete(key);
    }
  }
  return new Map([...m].map(([k, s]) => [k, [...s]]));
}

function run(ops: Op[]): Map<string, string[]> {
  const g = new Groups<string>();
  for (const { add, key, member } of ops) {
    if (add) g.add(key, member);
    else g.delete(key, member);
  }
  return new Map([...g.keys()].map((k) => [k, [...g.get(k)]]));
}

const op = (members: number) =>
  fc.record({ add: fc.boolean(), key: fc.constantFrom('a', 'b'), member: fc.integer({ min: 0, max: members - 1 }).map((i) => `m${i}`) });

describe('Groups behaves as a map of Sets', () => {
  it.each([
    ['small groups (a lone member, a few)', 3],
    ['groups that outgrow an array', 40],
  ])('%s', (_, members) => {
    fc.assert(
      fc.property(fc.array(op(members), { maxLength: 300 }), (ops) => {
        expect(run(ops)).toEqual(model(ops));
      }),
      { numRuns: 300 },
    );
  });

  it.each<[string, Op[], string[]]>([
    ['adding a member twice keeps one', [{ add: true, key: 'k', member: 'x' }, { add: true, key: 'k', member: 'x' }], ['x']],
    ['a member deleted and added again goes last', [
      { add: true, key: 'k', member: 'x' },
      { add: true, key: 'k', member: 'y' },
      { add: false, key: 'k', member: 'x' },
      { add: true, key: 'k', member: 'x' },
    ], ['y', 'x']],
    ['deleting an absent member changes nothing', [{ add: true, key: 'k', member: 'x' }, { add: false, key: 'k', member: 'z' }], ['x']],
  ])('%s', (_, ops, members) => {
    expect(run(ops).get('k')).toEqual(members);
  });

  it('drops a key left empty, and a cleared key with all its members', () => {
    const g = new Groups<string>();
    g.add('a', 'x');
    g.delete('a', 'x');
    for (let i = 0; i < 20; i++) g.add('b', `m${i}`);
    g.clear('b');
    expect([...g.keys()]).toEqual([]);
    expect([...g.get('b')]).toEqual([]);
    expect(g.size).toBe(0);
  });

  it('keys order by their first member since they were last empty', () => {
    const g = new Groups<string>();
    g.add('a', 'x');
    g.add('b', 'x');
    g.delete('a', 'x');
    g.add('a', 'y');
    expect([...g.keys()]).toEqual(['b', 'a']);
  });
});
