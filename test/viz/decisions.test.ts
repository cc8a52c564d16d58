import { describe, expect, it } from 'vitest';
import type { Hop, RequestRecord } from '../../src/result/types';
import { decisionsByHop, describeDecision, stopOf } from '../../viz/src/decisions';
import { crossClusterRequest, deniedRequest, denyWp, resetRequest, splitRequest } from './fixtures';

const zt = (node: string): Hop => ({ kind: 'ztunnel', name: `ztunnel-${node}`, node, cluster: 'c' });
const pod = (name: string, node: string): Hop => ({ kind: 'pod', name, namespace: 'ns', node, cluster: 'c' });

describe('decisionsByHop', () => {
  it('places decisions by the proxy names they use', () => {
    const r = splitRequest(1, 0, false);
    const m = decisionsByHop(r.hops, r.decisions);
    expect(m.get(2)?.map((d) => d.kind)).toEqual(['authz', 'route']);
    expect(m.get(3)?.map((d) => d.at)).toEqual(['ztunnel-c1-node-b']);
  });

  it('gives a same-node ztunnel its policy decisions on the inbound side and the rest outbound', () => {
    const hops = [pod('a', 'n1'), zt('n1'), zt('n1'), pod('b', 'n1')];
    const m = decisionsByHop(hops, [
      { at: 'ztunnel-n1', kind: 'load-balance', result: 'ns/b' },
      { at: 'ztunnel-n1', kind: 'authz', result: 'ALLOW' },
      { at: 'nowhere', kind: 'authz', result: 'ALLOW' },
    ]);
    expect(m.get(1)?.map((d) => d.kind)).toEqual(['load-balance']);
    expect(m.get(2)?.map((d) => d.kind)).toEqual(['authz']);
    expect(m.get(-1)).toHaveLength(1);
  });
});

describe('stopOf', () => {
  it.each<{ name: string; r: RequestRecord; hop?: number; what?: string; policy?: string | null }>([
    { name: 'answered by the app', r: splitRequest(1, 0, false) },
    { name: 'answered across clusters', r: crossClusterRequest(1, 0) },
    { name: '403 at the waypoint', r: deniedRequest(1, 0), hop: 2, what: '403', policy: 'accounts/deny-post' },
    { name: 'reset by the destination ztunnel', r: resetRequest(1, 0), hop: 2, what: 'reset', policy: 'ledger/ledger-l4' },
    { name: '503 from a waypoint with no decision', r: { ...deniedRequest(1, 0), status: 503, decisions: [] }, hop: 2, what: '503', policy: undefined },
    { name: 'dns error at the client', r: { ...deniedRequest(1, 0), outcome: 'dns-error', status: undefined, hops: [pod('a', 'n')], decisions: [] }, hop: 0, what: 'dns-error', policy: undefined },
  ])('$name', ({ r, hop, what, policy }) => {
    const s = stopOf(r);
    if (hop === undefined) expect(s).toBeUndefined();
    else expect({ hop: s?.hop, what: s?.what, policy: s?.decision?.policy }).toEqual({ hop, what, policy });
  });

  it('describes the deciding rule and the identity seen', () => {
    expect(describeDecision(denyWp)).toBe(
      'authz DENY at waypoint accounts/waypoint by accounts/deny-post rule 1: denied by accounts/deny-post (saw spiffe://cluster.local/ns/finance/sa/curl)',
    );
  });
});
