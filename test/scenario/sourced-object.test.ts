// Loaded objects keep only their document and path; where they are is worked out when read.
import { describe, expect, it } from 'vitest';
import { loadManifestText } from '../../src/scenario/manifests';
import type { Path } from '../../src/scenario/yaml-source';

const TEXT = `apiVersion: v1
kind: Namespace
metadata: { name: a }
---
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: { name: b, namespace: a }
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: c
      namespace: a
`;

const noIssues = () => [];

describe('loaded objects', () => {
  const load = () => loadManifestText(TEXT, 'm.yaml', { validate: noIssues });

  it.each<[name: string, docIndex: number, listIndex: number | undefined, line: number, col: number]>([
    ['a', 0, undefined, 1, 1],
    ['b', 1, 0, 7, 5],
    ['c', 1, 1, 10, 5],
  ])('%s: document %i, list item %s, at %i:%i', (name, docIndex, listIndex, line, col) => {
    const r = load().resources.find((x) => x.obj.metadata.name === name)!;
    expect([r.file, r.docIndex, r.listIndex]).toEqual(['m.yaml', docIndex, listIndex]);
    expect(r.pos).toEqual({ file: 'm.yaml', line, col });
  });

  it.each<[name: string, path: Path, line: number, col: number]>([
    ['a', ['metadata', 'name'], 3, 19],
    ['b', ['metadata', 'namespace'], 9, 37],
    ['c', ['metadata', 'namespace'], 14, 18],
    ['c', ['metadata'], 12, 5],
    // a path that does not exist falls back to the nearest existing ancestor inside the item
    ['c', ['spec', 'missing'], 10, 5],
  ])('%s at %j is %i:%i', (name, path, line, col) => {
    const r = load().resources.find((x) => x.obj.metadata.name === name)!;
    expect(r.at(path)).toEqual({ file: 'm.yaml', line, col });
  });

  it('remembers a position written to it, and the clusters it is applied to', () => {
    const r = load().resources[0]!;
    r.pos = { file: 'other.yaml', line: 9, col: 2 };
    r.clusters = ['east'];
    expect([r.pos, r.clusters]).toEqual([{ file: 'other.yaml', line: 9, col: 2 }, ['east']]);
  });

  it('reads the same value as the document it came from', () => {
    const [ns, b] = load().resources;
    expect(ns!.obj).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
    expect(b!.obj.metadata).toEqual({ name: 'b', namespace: 'a' });
  });
});
