// The three patch types `kubectl patch` sends: JSON merge patch (RFC 7386, its appendix's cases),
// JSON patch (RFC 6902, its appendix's cases) and Kubernetes' strategic merge patch, whose lists
// merge by the `patchMergeKey` k8s.io/api declares for them.
import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, type Json } from '../../src/k8s/json-patch';
import { listStrategy, strategicMergePatch } from '../../src/k8s/strategic-merge';

describe('JSON merge patch (RFC 7386)', () => {
  it.each<[Json, Json, Json]>([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j patched with %j is %j', (target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });
});

describe('JSON patch (RFC 6902)', () => {
  it.each<[string, Json, Json, Json]>([
    ['adds an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { foo: 'bar', baz: 'qux' }],
    ['adds an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['appends with -', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    ['removes an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['removes an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['replaces a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    ['moves a value', { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }], { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
    ['moves an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    ['copies a value', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
    ['tests a value, then acts', { baz: 'qux', foo: ['a', 2, 'c'] }, [{ op: 'test', path: '/foo', value: ['a', 2, 'c'] }, { op: 'remove', path: '/baz' }], { foo: ['a', 2, 'c'] }],
    ['reads ~1 and ~0 escapes', { 'a/b': 1, 'm~n': 2 }, [{ op: 'replace', path: '/a~1b', value: 3 }, { op: 'remove', path: '/m~0n' }], { 'a/b': 3 }],
  ])('%s', (_what, doc, ops, result) => {
    expect(jsonPatch(doc, ops)).toEqual({ ok: true, value: result });
  });

  it.each<[string, Json, Json, string]>([
    ['a failed test fails the patch', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'testing value /baz failed: test failed'],
    ['adding under a missing parent', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'add operation does not apply: doc is missing path: "/baz/bat": missing value'],
    ['replacing a missing member', { foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 1 }], 'replace operation does not apply: doc is missing key: /baz: missing value'],
    ['removing a missing member', { foo: 'bar' }, [{ op: 'remove', path: '/baz' }], 'Unable to remove nonexistent key: baz: missing value'],
    ['an index past the end', { foo: [1] }, [{ op: 'add', path: '/foo/3', value: 2 }], 'Unable to access invalid index: 3: invalid index referenced'],
    ['an unknown op', { foo: 1 }, [{ op: 'frob', path: '/foo' }], 'Unexpected kind: frob'],
  ])('%s', (_what, doc, ops, error) => {
    expect(jsonPatch(doc, ops)).toEqual({ ok: false, error });
  });

  // Not a list of operations: the API server cannot decode it (its 400, where a failed operation is its 422).
  it.each<[string, Json, string]>([
    ['an object instead of a list of operations', { op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['a number among the operations', [1], 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
  ])('%s does not decode', (_what, ops, error) => {
    expect(jsonPatch({ foo: 1 }, ops)).toEqual({ ok: false, error, decode: true });
  });

  it('is all or nothing, and leaves its input alone', () => {
    const doc = { a: [1, 2] };
    expect(jsonPatch(doc, [{ op: 'add', path: '/a/-', value: 3 }, { op: 'remove', path: '/missing' }]).ok).toBe(false);
    expect(jsonPatch(doc, [{ op: 'add', path: '/a/-', value: 3 }])).toEqual({ ok: true, value: { a: [1, 2, 3] } });
    expect(doc).toEqual({ a: [1, 2] });
  });
});

interface Deployment {
  metadata: { finalizers: string[] };
  spec: { template: { spec: { containers: { name: string; image?: string; ports?: Json[]; env?: Json[] }[]; tolerations?: Json[] } } };
}

const live: Json = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'echo', finalizers: ['a'] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'echo', image: 'echo:1', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'side:1' },
        ],
        tolerations: [{ key: 'x', operator: 'Exists' }],
      },
    },
  },
};
const deployment = live as unknown as Deployment;

const smp = (kind: string, target: Json, patch: { [k: string]: Json }) => {
  const r = strategicMergePatch(kind, target, patch);
  if (!r.ok) throw new Error(r.error);
  return r.value as unknown as Deployment;
};

describe('strategic merge patch', () => {
  it('merges containers by name: one field changes, the rest of the list and the container stay', () => {
    const out = smp('Deployment', live, { spec: { template: { spec: { containers: [{ name: 'echo', image: 'echo:2' }] } } } });
    expect(out.spec.template.spec.containers).toEqual([{ ...deployment.spec.template.spec.containers[0], image: 'echo:2' }, deployment.spec.template.spec.containers[1]]);
  });
  it('puts a container whose name is new first, and removes one with $patch: delete', () => {
    const added = smp('Deployment', live, { spec: { template: { spec: { containers: [{ name: 'new', image: 'n:1' }] } } } });
    expect(added.spec.template.spec.containers.map((c) => c.name)).toEqual(['new', 'echo', 'sidecar']);
    const removed = smp('Deployment', live, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } });
    expect(removed.spec.template.spec.containers.map((c) => c.name)).toEqual(['echo']);
  });
  it('merges container ports by containerPort and env by name', () => {
    const out = smp('Deployment', live, {
      spec: { template: { spec: { containers: [{ name: 'echo', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 90 }], env: [{ name: 'B', value: '2' }] }] } } },
    });
    const echo = out.spec.template.spec.containers[0]!;
    expect(echo.ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 90 }]);
    // A new element has no place in the live list: it goes first.
    expect(echo.env).toEqual([{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
  });
  it('replaces lists without a merge key (tolerations), unions finalizers, and null removes a field', () => {
    const out = smp('Deployment', live, { metadata: { finalizers: ['b', 'a'] }, spec: { template: { spec: { tolerations: [{ key: 'y', operator: 'Exists' }] } } } });
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'y', operator: 'Exists' }]);
    expect(out.metadata.finalizers).toEqual(['b', 'a']);
    const cleared = smp('Deployment', live, { spec: { template: { spec: { tolerations: null } } } });
    expect('tolerations' in cleared.spec.template.spec).toBe(false);
  });
  it('$patch: replace replaces a map instead of merging it', () => {
    const out = smp('Deployment', live, { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'only', image: 'o:1' }] } } } });
    expect(out.spec.template).toEqual({ spec: { containers: [{ name: 'only', image: 'o:1' }] } });
  });
  it("orders the result as the API server does: the patch's items in its order, the server's own slotted in before the first patch item that followed them", () => {
    const svc: Json = { spec: { ports: [{ port: 1 }, { port: 2 }, { port: 3 }] } };
    const order = (patch: Json[]) => (smp('Service', svc, { spec: { ports: patch } }) as unknown as { spec: { ports: { port: number }[] } }).spec.ports.map((p) => p.port);
    expect(order([{ port: 2 }])).toEqual([1, 2, 3]);
    expect(order([{ port: 3 }, { port: 1 }])).toEqual([2, 3, 1]);
    expect(order([{ port: 4 }, { port: 2 }])).toEqual([4, 1, 2, 3]);
    expect(order([{ port: 2, $patch: 'delete' }])).toEqual([1, 3]);
  });
  it('merges Service ports by port', () => {
    const svc: Json = { spec: { selector: { app: 'a' }, ports: [{ port: 80, name: 'http', targetPort: 8080 }, { port: 443, name: 'https' }] } };
    const out = smp('Service', svc, { spec: { selector: { version: 'v2' }, ports: [{ port: 80, targetPort: 9090 }] } }) as unknown as { spec: Json };
    expect(out.spec).toEqual({ selector: { app: 'a', version: 'v2' }, ports: [{ port: 80, name: 'http', targetPort: 9090 }, { port: 443, name: 'https' }] });
  });
  it('an element without the merge key is an error, as the API server says', () => {
    expect(strategicMergePatch('Deployment', live, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } })).toEqual({
      ok: false,
      error: 'map: map[image:x] does not contain declared merge key: name',
    });
  });
  it('knows the merge keys by path for every kind that carries a pod template', () => {
    expect(listStrategy('Pod', ['spec', 'containers'])).toEqual({ key: 'name' });
    expect(listStrategy('CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'volumes'])).toEqual({ key: 'name' });
    expect(listStrategy('StatefulSet', ['spec', 'template', 'spec', 'initContainers', 'volumeMounts'])).toEqual({ key: 'mountPath' });
    expect(listStrategy('Deployment', ['spec', 'ports'])).toBeUndefined();
    expect(listStrategy('Service', ['spec', 'ports'])).toEqual({ key: 'port' });
  });
});
