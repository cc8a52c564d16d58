// Loaders release the YAML syntax trees once they have the positions they need; a position asked
// for afterwards parses the text again and must be exactly where it was.
import { describe, expect, it } from 'vitest';
import { loadManifestText, parseYaml, type Path } from '../../src/scenario';

const TEXT = `# leading comment
apiVersion: v1
kind: Service
metadata: { name: web, namespace: app }
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
base: &base { a: 1 }
merged:
  <<: *base
  b: |
    line one
    line two
---
kind: List
items:
  - { kind: Namespace, metadata: { name: x } }
`;

const PATHS: [number, Path][] = [
  [0, []],
  [0, ['metadata', 'name']],
  [0, ['spec', 'selector']],
  [0, ['spec', 'ports', 0, 'targetPort']],
  [0, ['spec', 'missing', 'deeper']],
  [1, ['merged', 'a']],
  [1, ['merged', 'b']],
  [2, ['items', 0, 'metadata']],
];

describe('positions after the syntax trees are released', () => {
  it.each(PATHS)('document %i at %j', (index, path) => {
    const parsed = parseYaml(TEXT, 'f.yaml');
    const doc = parsed.docs[index]!;
    const before = { at: doc.at(path), keyAt: doc.keyAt(path) };
    parsed.release();
    expect({ at: doc.at(path), keyAt: doc.keyAt(path) }).toEqual(before);
  });

  it('embedded text maps to the same places', () => {
    const parsed = parseYaml(TEXT, 'f.yaml');
    const before = parsed.docs[1]!.embedded(['merged', 'b'])(2, 3);
    parsed.release();
    expect(parsed.docs[1]!.embedded(['merged', 'b'])(2, 3)).toEqual(before);
    expect(before).toEqual({ file: 'f.yaml', line: 17, col: 7 });
  });

  it('manifests loaded (and released) still place later problems', () => {
    const load = loadManifestText(TEXT.split('---\n')[0]!, 'svc.yaml');
    expect(load.resources[0]!.at(['spec', 'ports', 0, 'targetPort'])).toEqual({ file: 'svc.yaml', line: 10, col: 19 });
  });
});
