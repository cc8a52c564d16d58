import { describe, expect, it } from 'vitest';
import type { Hop } from '../../src/result/types';
import { pathText, sharedPathText } from '../../src/report/path-text';
import { deniedRequest, hops, okRequest } from './builder';

/** The OK request answered by another accounts pod on another node. */
function answeredBy(id: number, pod: string, node: string) {
  const elsewhere: Hop[] = [hops.curl(), hops.ztunnelA(0.1), hops.waypoint(0.3), { ...hops.ztunnelB(0.5), name: `ztunnel-${node}`, node }, { ...hops.accounts(0.6), name: pod, node }];
  return okRequest(id, 0, { hops: elsewhere });
}

describe('the path a group of requests took, as text', () => {
  it('names every hop when the requests all took the same one', () => {
    const rs = [okRequest(1, 0), okRequest(2, 1)];
    expect(sharedPathText(rs)).toBe(pathText(rs[0]!));
  });

  it('says over how many nodes and pods the requests spread, keeping the workload name', () => {
    const rs = [okRequest(1, 0), answeredBy(2, 'accounts-6f7c9-a1b2c', 'c1-node-c'), answeredBy(3, 'accounts-6f7c9-d3e4f', 'c1-node-c')];
    expect(sharedPathText(rs)).toBe('finance/curl-5b8d7-k2j4h → ztunnel(c1-node-a) → waypoint accounts/waypoint → ztunnel(2 nodes) → accounts/accounts-6f7c9-* (3 pods)');
  });

  it('marks requests that no pod answered, and leaves out those of another length', () => {
    const rs = [deniedRequest(1, 0), okRequest(2, 1)];
    expect(sharedPathText(rs)).toBe('finance/curl-5b8d7-k2j4h → ztunnel(c1-node-a) → waypoint accounts/waypoint ✗');
  });
});
