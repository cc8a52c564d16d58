// reference/ambient.md §3.6: what the client observes when something on the path fails.
import { describe, expect, it } from 'vitest';
import { echo, service, waypoint } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { AMBIENT, type RequestRow, SVC_URL, base, requestTable, waypointScaledToZero } from './topology';

const WP_NS = { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' };

const rows: RequestRow[] = [
  {
    id: 'Service VIP without waypoint and without endpoints: NoHealthyUpstream → reset',
    manifests: base({ svc: service('server', 'echo', { selector: { app: 'nothing' } }) }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { outcome: 'reset', via: ['ztunnel'] },
  },
  {
    id: 'port not defined on the Service: reset at the client ztunnel',
    manifests: base(),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local:9999/' },
    expect: { outcome: 'reset', via: ['ztunnel'] },
  },
  {
    // istiod's buildWaypointInternal maps a Service VIP's declared ports only, with no fallback chain.
    id: 'port not defined on a Service bound to a waypoint: no filter chain at the waypoint, the connection is closed',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server')] }),
    request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local:9999/' },
    expect: { outcome: 'reset', via: ['ztunnel', 'waypoint'] },
  },
  {
    id: 'via a waypoint with no healthy backend: 503 no healthy upstream',
    manifests: base({ serverNs: WP_NS, svc: service('server', 'echo', { selector: { app: 'nothing' } }), extra: [waypoint('server')] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 503, body: 'no healthy upstream', via: ['ztunnel', 'waypoint'] },
  },
  {
    id: 'backend port not listening, direct: the destination ztunnel answers CONNECT 503, the client sees a reset',
    manifests: base({ svc: service('server', 'echo', { targetPort: 9090 }) }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { outcome: 'reset', via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: 'backend port not listening, via a waypoint: HTTP 503 upstream connect error',
    manifests: base({ serverNs: WP_NS, svc: service('server', 'echo', { targetPort: 9090 }), extra: [waypoint('server')] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 503, via: ['ztunnel', 'waypoint', 'ztunnel'] },
  },
  {
    id: 'a name that does not resolve: DNS error, no hop beyond the client',
    manifests: base(),
    request: { from: 'client/curl', url: 'http://nope.server.svc.cluster.local/' },
    expect: { outcome: 'dns-error', via: [] },
  },
  {
    id: 'an IP nothing has: passthrough, nothing answers',
    manifests: base(),
    request: { from: 'client/curl', url: 'http://10.200.0.1/', timeout: '2s' },
    expect: { outcome: 'timeout' },
  },
  {
    id: 'short names resolve through the client namespace search list',
    manifests: base({ extra: [echo('client', 'local', 'local echo', { node: 'node-2' }), service('client', 'local')] }),
    request: { from: 'client/curl', url: 'http://local/' },
    expect: { status: 200, body: 'local echo' },
  },
];

describe('reference/ambient.md §3.6 outcome as seen by the client', () => {
  requestTable(rows);

  it('UnknownWaypoint: a waypoint that was ready and lost its pods fails closed with a reset', async () => {
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, extra: [waypoint('server')] }),
      steps: [
        { name: 'through the waypoint', request: { from: 'client/curl', url: SVC_URL }, expect: { status: 200, via: ['ztunnel', 'waypoint', 'ztunnel'] } },
        { name: 'scale the waypoint to zero', apply: { inline: waypointScaledToZero('server') } },
        { name: 'now', request: { from: 'client/curl', url: SVC_URL }, expect: { outcome: 'reset', via: ['ztunnel'] } },
      ],
    });
    expect(failuresOf(result)).toEqual([]);
    expect(result.steps[2]!.requests![0]!.error).toMatch(/UnknownWaypoint/);
  });
});
