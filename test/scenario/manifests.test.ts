import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/scenario/diagnostics';
import { loadManifestText, loadManifests } from '../../src/scenario/manifests';
import type { PathIssue } from '../../src/k8s/issues';

const FIXTURES = 'test/fixtures/scenario/manifests';
const names = (r: { resources: { obj: { metadata: { name: string } } }[] }) => r.resources.map((x) => x.obj.metadata.name);

/** A stand-in validator with fixed rules, so these tests do not depend on the k8s schemas. */
function requireName(obj: unknown): PathIssue[] {
  const name = (obj as { metadata?: { name?: unknown } }).metadata?.name;
  return typeof name === 'string' ? [] : [{ path: ['metadata', 'name'], message: 'name is required', severity: 'error' }];
}

describe('loadManifests', () => {
  it('walks a folder recursively in sorted order, taking only .yaml, .yml and .json files', () => {
    const r = loadManifests([`${FIXTURES}/folder`]);
    expect(r.diagnostics).toEqual([]);
    expect(r.resources.map((x) => [x.file, x.docIndex, x.obj.metadata.name])).toEqual([
      [`${FIXTURES}/folder/a.yml`, 0, 'a'],
      [`${FIXTURES}/folder/b.yaml`, 0, 'b'],
      [`${FIXTURES}/folder/b.yaml`, 1, 'b2'],
      [`${FIXTURES}/folder/sub/c.json`, 0, 'c'],
    ]);
  });

  it('keeps paths as the user typed them', () => {
    const r = loadManifests([`./${FIXTURES}/folder/`]);
    expect(r.resources[0]!.file).toBe(`./${FIXTURES}/folder/a.yml`);
  });

  it('loads a file of any extension when it is named directly, and several paths in order', () => {
    const r = loadManifests([`${FIXTURES}/folder/notes.txt`, `${FIXTURES}/folder/a.yml`]);
    expect(names(r)).toEqual(['not-loaded', 'a']);
  });

  it('flattens kind: List and locates item problems inside the list', () => {
    const r = loadManifests([`${FIXTURES}/list.yaml`], { validate: requireName });
    expect(names(r)).toEqual(['curl']);
    expect(r.resources[0]!.listIndex).toBe(0);
    expect(r.resources[0]!.pos.line).toBe(4);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([`${FIXTURES}/list.yaml:11:5: name is required`]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]!.listIndex).toBe(1);
  });

  it('reads "-" from the text the caller passes', () => {
    const r = loadManifests(['-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata: { name: s }\n' });
    expect(names(r)).toEqual(['s']);
    expect(r.resources[0]!.file).toBe('<stdin>');
    expect(loadManifests(['-']).diagnostics.map(formatDiagnostic)).toEqual(['-: no standard input to read']);
  });

  it('reports missing paths, at the place that named them when given', () => {
    expect(loadManifests(['nope/x.yaml']).diagnostics.map(formatDiagnostic)).toEqual(['nope/x.yaml: no such file or directory']);
    const origin = { file: 's.yaml', line: 7, col: 13 };
    expect(loadManifests(['nope/x.yaml'], { origin }).diagnostics.map(formatDiagnostic)).toEqual(['s.yaml:7:13: nope/x.yaml: no such file or directory']);
  });

  it('warns about a folder with no manifests', () => {
    const r = loadManifests(['test/fixtures/scenario/manifests/folder/sub/..', 'src/scenario'], { origin: { file: 's', line: 1, col: 1 } });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['s:1:1: warning: src/scenario: no .yaml, .yml, .json files in this folder']);
  });
});

describe('loadManifestText', () => {
  it('validates each object and reports issues at their paths', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {}\n---\n- a\n---\n42\n';
    const r = loadManifestText(text, 'm.yaml', { validate: requireName });
    expect(r.resources).toEqual([]);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'm.yaml:3:1: name is required',
      'm.yaml:6:1: expected a Kubernetes object (a mapping), got a sequence',
      'm.yaml:8:1: expected a Kubernetes object (a mapping), got number 42',
    ]);
  });

  it('keeps warnings without rejecting the object', () => {
    const warn = (): PathIssue[] => [{ path: ['kind'], message: 'not simulated', severity: 'warning' }];
    const r = loadManifestText('apiVersion: x/v1\nkind: Thing\nmetadata: { name: t }\n', 't.yaml', { validate: warn });
    expect(names(r)).toEqual(['t']);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['t.yaml:2:7: warning: not simulated']);
  });

  it('with rejectInvalid, keeps validation failures out of the diagnostics', () => {
    const r = loadManifestText('apiVersion: v1\nkind: Pod\nmetadata: {}\n', 'r.yaml', { validate: requireName, rejectInvalid: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.rejected.map((x) => x.diagnostics.map(formatDiagnostic))).toEqual([['r.yaml:3:11: name is required']]);
  });

  it('reports syntax errors and still loads the other documents', () => {
    const r = loadManifestText('apiVersion: v1\nkind: Namespace\nmetadata: { name: ok }\n---\nkind: [\n', 's.yaml', { validate: requireName });
    expect(names(r)).toEqual(['ok']);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.line).toBeGreaterThanOrEqual(5);
  });

  it('a validator that throws becomes a diagnostic', () => {
    const r = loadManifestText('a: 1\n', 'x.yaml', {
      validate: () => {
        throw new Error('boom');
      },
    });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['x.yaml:1:1: cannot validate object: boom']);
  });

  it('uses the k8s validator by default', () => {
    const r = loadManifestText('apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: {}\n', 'n.yaml');
    expect(r.resources).toEqual([]);
    expect(r.diagnostics.map((d) => [d.line, d.severity])).toEqual([[3, 'error']]);
  });
});
