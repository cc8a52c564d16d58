import { describe, expect, it } from 'vitest';
import { SAFE_ALPHABET, fnv32a, podTemplateHash, safeEncode } from '../../src/cluster/names';
import { applyOk, deployment, makeCluster, namespace } from './fixtures';

const S = `[${SAFE_ALPHABET}]`;

describe('generated names', () => {
  const c = makeCluster();
  applyOk(
    c,
    1000,
    namespace('apps'),
    deployment('apps', 'web', 2),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'apps' },
      spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db' }] } } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'apps' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a' }] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
  );
  const names = (kind: string, prefix: string) => c.list(kind, 'apps').map((o) => o.metadata.name).filter((n) => n.startsWith(prefix));

  it.each([
    ['Deployment pods are <deploy>-<hash>-<5>', 'Pod', 'web-', new RegExp(`^web-${S}{6,10}-${S}{5}$`), 2],
    ['ReplicaSet is <deploy>-<pod-template-hash>', 'ReplicaSet', 'web-', new RegExp(`^web-${S}{6,10}$`), 1],
    ['StatefulSet pods are <name>-<ordinal>', 'Pod', 'db-', /^db-[0-2]$/, 3],
    ['DaemonSet pods are <name>-<5>, one per node', 'Pod', 'agent-', new RegExp(`^agent-${S}{5}$`), 3],
    ['EndpointSlices are <svc>-<5>', 'EndpointSlice', 'web-', new RegExp(`^web-${S}{5}$`), 1],
  ])('%s', (_title, kind, prefix, pattern, count) => {
    const found = names(kind, prefix);
    expect(found).toHaveLength(count);
    for (const n of found) expect(n).toMatch(pattern);
  });

  it('ztunnel runs one ztunnel-<5> pod per node in the root namespace', () => {
    const zt = c.list('Pod', 'istio-system').filter((p) => p.metadata.labels?.app === 'ztunnel');
    expect(zt.map((p) => (p.spec as { nodeName: string }).nodeName).sort()).toEqual(['node-a', 'node-b', 'node-c']);
    for (const p of zt) expect(p.metadata.name).toMatch(new RegExp(`^ztunnel-${S}{5}$`));
  });

  it('pods carry pod-template-hash equal to the ReplicaSet suffix and an owner reference', () => {
    const rs = c.list('ReplicaSet', 'apps')[0]!;
    const hash = rs.metadata.name.slice('web-'.length);
    for (const p of c.list('Pod', 'apps').filter((x) => x.metadata.name.startsWith('web-'))) {
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true });
    }
  });

  it('StatefulSet pods get hostname/subdomain and their pod-name label', () => {
    const p = c.get('Pod', 'apps', 'db-1')!;
    expect(p.spec).toMatchObject({ hostname: 'db-1', subdomain: 'db' });
    expect(p.metadata.labels?.['statefulset.kubernetes.io/pod-name']).toBe('db-1');
  });
});

describe('pod-template-hash', () => {
  it.each([
    ['FNV-32a of the empty string', '', 0x811c9dc5],
    ['FNV-32a of "a"', 'a', 0xe40c292c],
    ['FNV-32a of "foobar"', 'foobar', 0xbf9cf968],
  ])('%s', (_t, input, want) => expect(fnv32a(input)).toBe(want));

  it('encodes the decimal hash into the safe alphabet character by character', () => {
    // '0' is code 48, 48 % 27 = 21 → '4'; '9' is 57 % 27 = 3 → 'f'.
    expect(safeEncode('09')).toBe('4f');
  });

  it('is stable for equal templates regardless of key order and changes with the template', () => {
    const a = podTemplateHash({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const b = podTemplateHash({ spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { app: 'x' } } });
    const c = podTemplateHash({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'j' }] } });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe('fnv32a', () => {
  // The published FNV-1a vectors, and non-ASCII text hashed over its UTF-8 bytes.
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
    ['héllo', 1252296000],
    ['日本語', 2153733351],
    ['😀 emoji', 3731391814],
  ])('%j → %i', (text, hash) => {
    expect(fnv32a(text)).toBe(hash);
  });
});
