// WorkQueue stands in for a Set used as a FIFO by the controllers: whatever the sequence of adds
// and takes, it hands out the keys the Set would, in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/cluster/work-queue';

type Op = { take: true } | { take: false; key: string };

function viaSet(ops: Op[]): (string | undefined)[] {
  const s = new Set<string>();
  const out: (string | undefined)[] = [];
  for (const op of ops) {
    if (!op.take) s.add(op.key);
    else {
      const first = s.values().next();
      if (!first.done) s.delete(first.value);
      out.push(first.done ? undefined : first.value);
    }
  }
  out.push(...s);
  return out;
}

function viaQueue(ops: Op[]): (string | undefined)[] {
  const q = new WorkQueue();
  const out: (string | undefined)[] = [];
  for (const op of ops) {
    if (!op.take) q.add(op.key);
    else out.push(q.take());
  }
  for (let k = q.take(); k !== undefined; k = q.take()) out.push(k);
  return out;
}

describe('WorkQueue', () => {
  it.each([
    ['keys in the order added', ['a', 'b', 'c'], ['a', 'b', 'c']],
    ['a key added twice is queued once, at its first place', ['a', 'b', 'a'], ['a', 'b']],
  ])('%s', (_, adds, want) => {
    const q = new WorkQueue();
    for (const k of adds) q.add(k);
    expect(q.size).toBe(want.length);
    expect(viaQueue(adds.map((key) => ({ take: false, key })))).toEqual(want);
  });

  it('a key taken and added again goes last', () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    expect(q.take()).toBe('a');
    expect(q.has('a')).toBe(false);
    q.add('a');
    expect([q.take(), q.take(), q.take()]).toEqual(['b', 'a', undefined]);
  });

  it('hands out what a Set used as a FIFO would, for any adds and takes', () => {
    const op = fc.oneof(fc.constant<Op>({ take: true }), fc.constantFrom('a', 'b', 'c', 'd').map((key): Op => ({ take: false, key })));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        expect(viaQueue(ops)).toEqual(viaSet(ops));
      }),
    );
  });
});
