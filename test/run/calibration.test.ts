// The default latency model against Istio's published figures (reference/latency.md A.1, A.4).
import { describe, expect, it } from 'vitest';
import type { RequestSummary } from '../../src/result/types';
import { curl, echo, namespace, service, waypoint, yamlDocs } from '../helpers/manifests';
import { runParts } from '../helpers/run-scenario';
import { TWO_NODES } from './support';

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };
const WAYPOINT = { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' };
const REQUESTS = 20_000;

/** Client on node-1, server on node-2, fortio-style open-loop load at 1,000 rps. */
async function measure(serverNs: Record<string, string>, clientNs: Record<string, string>, extra: object[] = [], clusters?: object[]): Promise<RequestSummary> {
  const manifests = yamlDocs([
    namespace('client', clientNs),
    namespace('server', serverNs),
    curl('client', 'curl', { node: 'node-1' }),
    echo('server', 'echo', 'x'.repeat(1024), { node: 'node-2' }),
    service('server', 'echo'),
    ...extra,
  ]);
  const result = await runParts({
    manifests,
    ...(clusters ? { clusters } : {}),
    steps: [{ name: 'load', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: REQUESTS, rate: '1000/s' }, expect: { status: 200 } }],
  });
  expect(result.steps[0]!.failures).toEqual([]);
  return result.steps[0]!.summary!;
}

describe('calibration of the default model', () => {
  it('ambient L4: the two ztunnels add ~0.17 ms at p90 and ~0.20 ms at p99 over no mesh (A.1, ±25%)', async () => {
    const plain = await measure({}, {});
    const l4 = await measure(AMBIENT, AMBIENT);
    const p90 = l4.latencyMs.p90 - plain.latencyMs.p90;
    const p99 = l4.latencyMs.p99 - plain.latencyMs.p99;
    expect(p90).toBeGreaterThanOrEqual(0.17 * 0.75);
    expect(p90).toBeLessThanOrEqual(0.17 * 1.25);
    expect(p99).toBeGreaterThanOrEqual(0.2 * 0.75);
    expect(p99).toBeLessThanOrEqual(0.2 * 1.25);
  });

  it('a waypoint adds 0.25–0.5 ms at p50 and 0.6–1.2 ms at p99 on top of the ztunnel pair (A.4)', async () => {
    // A.4 counts one extra leg, pod → waypoint pod: on two nodes the waypoint shares one end's node.
    const l4 = await measure(AMBIENT, AMBIENT, [], TWO_NODES);
    const l7 = await measure(WAYPOINT, AMBIENT, [waypoint('server')], TWO_NODES);
    const p50 = l7.latencyMs.p50 - l4.latencyMs.p50;
    const p99 = l7.latencyMs.p99 - l4.latencyMs.p99;
    expect(p50).toBeGreaterThanOrEqual(0.25);
    expect(p50).toBeLessThanOrEqual(0.5);
    expect(p99).toBeGreaterThanOrEqual(0.6);
    expect(p99).toBeLessThanOrEqual(1.2);
  });
});
