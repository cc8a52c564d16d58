import { describe, expect, it } from 'vitest';
import type { Decision, Hop } from '../../src/result/types';
import { decisionsByHop, isInboundZtunnel } from '../../src/report/hop-roles';
import { envoyResponseFlags, ztunnelResponseFlags } from '../../src/report/response-flags';
import { allowAtWaypoint, allowAtZtunnelB, deniedRequest, hops, okRequest } from './builder';

const pod = (node: string): Hop => ({ kind: 'pod', name: `p-${node}`, namespace: 'ns', node });
const zt = (node: string): Hop => ({ kind: 'ztunnel', name: `ztunnel-${node}`, node });
const authzAt = (at: string): Decision => ({ at, kind: 'authz', result: 'ALLOW' });

// A ztunnel is listed once per side it serves: outbound on the client's node, inbound on the
// destination's (CONTRACT §3), so twice under one name for same-node traffic.
describe('isInboundZtunnel', () => {
  it.each<[string, Hop[], number, Decision[], boolean]>([
    ['outbound, cross-node', [pod('a'), zt('a'), zt('b'), pod('b')], 1, [], false],
    ['inbound, cross-node', [pod('a'), zt('a'), zt('b'), pod('b')], 2, [], true],
    ['inbound after a waypoint', [pod('a'), zt('a'), { kind: 'waypoint', name: 'w', namespace: 'ns' }, zt('b'), pod('b')], 3, [], true],
    ['same node, outbound side', [pod('a'), zt('a'), zt('a'), pod('a')], 1, [], false],
    ['same node, inbound side', [pod('a'), zt('a'), zt('a'), pod('a')], 2, [], true],
    ['only the destination captured', [pod('a'), zt('b'), pod('b')], 1, [], true],
    ['only the client captured', [pod('a'), zt('a'), pod('b')], 1, [], false],
    ['one ztunnel on one node that took a policy decision', [pod('a'), zt('a'), pod('a')], 1, [authzAt('ztunnel-a')], true],
  ])('%s', (_name, path, i, here, inbound) => {
    expect(isInboundZtunnel(path, i, here)).toBe(inbound);
  });
});

describe('decisionsByHop', () => {
  it('files decisions under the hop that took them, policy decisions of a doubled ztunnel on its inbound side', () => {
    const path = [pod('a'), zt('a'), zt('a'), pod('a')];
    const lb: Decision = { at: 'ztunnel-a', kind: 'load-balance', result: 'p-a' };
    const authz = authzAt('ztunnel-a');
    const stray: Decision = { at: 'somewhere else', kind: 'route', result: 'x' };
    expect(decisionsByHop(path, [lb, authz, stray])).toEqual(
      new Map([
        [1, [lb]],
        [2, [authz]],
        [-1, [stray]],
      ]),
    );
    const lab = okRequest(1, 0);
    expect(decisionsByHop(lab.hops, lab.decisions)).toEqual(
      new Map([
        [2, [allowAtWaypoint]],
        [3, [allowAtZtunnelB]],
      ]),
    );
  });
});

describe('response_flags', () => {
  const at = 'waypoint accounts/waypoint';
  const answeredBy = (status: number, body: string, error?: string) => ({ ...deniedRequest(1, 0), status, body, error, hops: [hops.curl(), hops.ztunnelA(0.1), hops.waypoint(0.3)] });
  it.each([
    ['RBAC denial sets no flag', answeredBy(403, 'RBAC: access denied'), [], true, '-'],
    ['no endpoints', answeredBy(503, 'no healthy upstream'), [], true, 'UH'],
    ['upstream refused', answeredBy(503, 'upstream connect error or disconnect/reset before headers'), [], true, 'UF'],
    ['upstream refused after retries', answeredBy(503, 'upstream connect error'), [{ at, kind: 'retry', result: 'attempt 2' }], true, 'URX'],
    ['no route', answeredBy(404, '', 'no route matched (Envoy NR)'), [], true, 'NR'],
    ['injected abort', answeredBy(418, 'fault filter abort'), [{ at, kind: 'fault', result: '418' }], true, 'FI'],
    ['injected delay and abort, in Envoy order', okRequest(1, 0), [{ at, kind: 'fault', result: 'delay 5ms' }, { at, kind: 'fault', result: '500' }], false, 'DI,FI'],
    ['route timeout', okRequest(1, 0), [{ at, kind: 'timeout', result: '504' }], false, 'UT'],
  ] as const)('waypoint: %s → %s', (_name, r, here, answered, flags) => {
    expect(envoyResponseFlags(r, [...here] as Decision[], answered)).toBe(flags);
  });

  it.each([
    ['denied by policy', [{ at: 'z', kind: 'authz', result: 'DENY' }], 'reset', true, 'DENY'],
    ['a dry-run deny does not deny', [{ at: 'z', kind: 'authz', result: 'DENY', detail: { dryRun: true } }], 'response', false, '-'],
    ['could not connect onward', [], 'refused', true, 'CONNECT'],
    ['passed on', [], 'response', false, '-'],
  ] as const)('ztunnel: %s → %s', (_name, here, outcome, answered, flags) => {
    expect(ztunnelResponseFlags({ ...okRequest(1, 0), outcome }, [...here] as Decision[], answered)).toBe(flags);
  });
});
