// The scheduler finds its usual node through an index of nodes by zone and pod count instead of a
// scan; the choice must be the one a scan of every node in order makes, through binding, unbinding,
// node removal and relabelling, cordoned, full and address-less nodes, and node selectors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeTable, ZONE_LABEL, type NodeSlot } from '../../src/cluster/nodes';
import { matchLabels } from '../../src/k8s/object';
import type { Labels } from '../../src/k8s/types';

const MAX_PODS = 6;

type Op =
  | { kind: 'bind'; owner: number; selector: boolean }
  | { kind: 'unbind'; pick: number }
  | { kind: 'removeNode'; pick: number }
  | { kind: 'addNode'; zone: number; disk: boolean }
  | { kind: 'relabel'; pick: number; zone: number; cordon: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('bind' as const), owner: fc.integer({ min: 0, max: 5 }), selector: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('unbind' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeNode' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addNode' as const), zone: fc.integer({ min: 0, max: 3 }), disk: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('relabel' as const), pick: fc.nat(), zone: fc.integer({ min: 0, max: 3 }), cordon: fc.boolean() }) },
);

/** The choice by the definition: lexicographic (owner on node, owner in zone, pods on node), earliest node on ties. */
function fullScan(nodes: readonly NodeSlot[], bound: readonly { owner: string; node: string }[], selector: Labels | undefined, owner: string): string | undefined {
  const onNode = (n: NodeSlot) => bound.filter((b) => b.owner === owner && b.node === n.name).length;
  const inZone = (n: NodeSlot) => bound.filter((b) => b.owner === owner && nodes.find((m) => m.name === b.node)?.zone === n.zone).length;
  const podsOn = (n: NodeSlot) => bound.filter((b) => b.node === n.name).length;
  let best: { name: string; key: number[] } | undefined;
  for (const n of nodes) {
    if (n.unschedulable || !n.ipam || podsOn(n) >= MAX_PODS || (selector && !matchLabels(selector, n.labels))) continue;
    const key = [onNode(n), inZone(n), podsOn(n)];
    if (!best || before(key, best.key)) best = { name: n.name, key };
  }
  return best?.name;
}

function before(a: number[], b: number[]): boolean {
  const i = a.findIndex((x, j) => x !== b[j]);
  return i >= 0 && a[i]! < b[i]!;
}

describe('scheduler node choice', () => {
  it('is the node a full scan in node order picks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(op, { maxLength: 120 }), (initial, ops) => {
        // Room for 8 nodes' pod ranges: later nodes get no pod IPs and take no pods.
        const table = new NodeTable(0x0a000000, { base: 0x0af40000, prefix: 21 }, MAX_PODS);
        let named = 0;
        const labels = (zone: number, disk: boolean): Labels => ({ [ZONE_LABEL]: `zone-${zone}`, ...(disk ? { disk: 'ssd' } : {}) });
        const addNode = (zone: number, disk: boolean) => table.upsert(`node-${named++}`, labels(zone, disk), false);
        for (let i = 0; i < initial; i++) addNode(i % 3, i % 2 === 0);
        let bound: { owner: string; node: string }[] = [];
        for (const o of ops) {
          if (o.kind === 'addNode') addNode(o.zone, o.disk);
          else if (o.kind === 'relabel' && table.list().length > 0) {
            const n = table.list()[o.pick % table.list().length]!;
            table.upsert(n.name, labels(o.zone, n.labels['disk'] !== undefined), o.cordon);
          }
          else if (o.kind === 'removeNode' && table.list().length > 0) {
            const gone = table.list()[o.pick % table.list().length]!.name;
            table.remove(gone);
            bound = bound.filter((b) => b.node !== gone);
          } else if (o.kind === 'unbind' && bound.length > 0) {
            const [b] = bound.splice(o.pick % bound.length, 1);
            table.count(b!.owner, b!.node, -1);
          } else if (o.kind === 'bind') {
            const owner = `owner-${o.owner}`;
            const selector = o.selector ? { disk: 'ssd' } : undefined;
            const want = fullScan(table.list(), bound, selector, owner);
            const got = table.choose(selector, owner);
            expect('node' in got ? got.node.name : undefined).toBe(want);
            if ('node' in got) {
              table.count(owner, got.node.name, 1);
              bound.push({ owner, node: got.node.name });
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("no longer counts a removed node's pods in their owner's zone", () => {
    const table = new NodeTable(0x0a000000, { base: 0x0af40000, prefix: 16 }, MAX_PODS);
    for (const [name, zone] of [['a', 'z0'], ['b', 'z1'], ['c', 'z2'], ['d', 'z0']] as const) table.upsert(name, { [ZONE_LABEL]: zone }, false);
    const bind = (owner: string): string => {
      const got = table.choose(undefined, owner);
      if (!('node' in got)) throw new Error(got.reason);
      table.count(owner, got.node.name, 1);
      return got.node.name;
    };
    expect([bind('web'), bind('web')]).toEqual(['a', 'b']);
    // a goes, with its web pod: z0 holds none of web's pods again, and d (in z0, empty) is the pick.
    table.remove('a');
    expect(bind('other')).toBe('c');
    expect(bind('web')).toBe('d');
  });
});
