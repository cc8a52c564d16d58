// Istio's standard metrics for a run, in the Prometheus text format, as the mesh's proxies would
// have exported them once every step had run:
// - waypoints (reporter="waypoint"): istio_requests_total and istio_request_duration_milliseconds
//   for every request that crossed them, the duration being the waypoint's share of the round
//   trip (see hop-timing.ts);
// - destination ztunnels (reporter="destination"): istio_tcp_* for every request they received,
//   one connection per request (meshsim does not model connection reuse), bytes estimated from
//   the HTTP text (see http-size.ts).
// `namespace` and `pod` are the scrape target's labels, as Prometheus' kubernetes-pods job adds
// them; they keep apart the series of each waypoint pod and each node's ztunnel.
// Labels Istio takes from pod labels (`*_app`, `*_version`, `*_canonical_*`) are left out: the
// result does not carry pod labels.
import type { CallRecord, Hop, RequestRecord, RunResult } from '../result/types';
import { decisionsByHop, isInboundZtunnel } from './hop-roles';
import { hopDurationMs } from './hop-timing';
import { requestBytes, responseBytes } from './http-size';
import { destinationPeer, proxyPeer, seenIdentity, senderPeer, trafficLabels, UNKNOWN, type Peer } from './istio-labels';
import { Counter, Histogram, renderFamilies, type LabelPairs } from './prometheus-text';
import { forEachRequest, walkRequest, type Sender } from './request-walk';
import { envoyResponseFlags, ztunnelResponseFlags } from './response-flags';

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const ISTIO_DURATION_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000] as const;

/** Where ztunnel runs when the hop does not say (the ambient profile's namespace). */
const ZTUNNEL_NAMESPACE = 'istio-system';

class IstioMetrics {
  readonly requests = new Counter('istio_requests_total', 'Total requests handled by an Istio proxy');
  readonly duration = new Histogram('istio_request_duration_milliseconds', 'Duration of requests handled by an Istio proxy', ISTIO_DURATION_BUCKETS_MS);
  readonly opened = new Counter('istio_tcp_connections_opened_total', 'The total number of TCP connections opened');
  readonly closed = new Counter('istio_tcp_connections_closed_total', 'The total number of TCP connections closed');
  readonly received = new Counter('istio_tcp_received_bytes_total', 'The size of total bytes received during request in case of a TCP connection');
  readonly sent = new Counter('istio_tcp_sent_bytes_total', 'The size of total bytes sent during response in case of a TCP connection');

  render(): string {
    return renderFamilies([this.requests, this.duration, this.opened, this.closed, this.received, this.sent]);
  }
}

function target(namespace: string, pod: string): LabelPairs {
  return [['namespace', namespace], ['pod', pod]];
}

/** The peer that opened the connection to hop `i`: the last waypoint or gateway before it, else the client. */
function connectingPeer(hops: Hop[], i: number, sender: Sender, seen: string | null | undefined): Peer {
  for (let j = i - 1; j > 0; j--) {
    const h = hops[j]!;
    if (h.kind === 'waypoint' || h.kind === 'ingress-gateway' || h.kind === 'egress-gateway') return proxyPeer(h, seen);
  }
  return senderPeer(sender, seen);
}

function record(m: IstioMetrics, r: CallRecord, sender: Sender): void {
  const byHop = decisionsByHop(r.hops, r.decisions);
  const last = r.hops.length - 1;
  const appPod = r.hops[last]?.kind === 'pod' && last > 0 ? r.hops[last] : undefined;
  const dst = destinationPeer(appPod, r);
  r.hops.forEach((h, i) => {
    const here = byHop.get(i) ?? [];
    if (h.kind === 'waypoint') {
      const labels = trafficLabels('waypoint', senderPeer(sender, seenIdentity(here)), dst, r, [
        ['request_protocol', 'http'],
        ['response_code', String(r.status ?? 0)],
        ['response_flags', envoyResponseFlags(r, here, i === last)],
        ['connection_security_policy', 'mutual_tls'],
      ]);
      const all = [...target(h.namespace ?? UNKNOWN, h.pod ?? h.name), ...labels];
      m.requests.add(all);
      m.duration.observe(all, hopDurationMs(r.hops, i, r.latencyMs));
    } else if (h.kind === 'ztunnel' && isInboundZtunnel(r.hops, i, here)) {
      const secure = h.protocol === 'HBONE' || h.protocol === 'double-HBONE';
      const labels = trafficLabels('destination', connectingPeer(r.hops, i, sender, seenIdentity(here)), dst, r, [
        ['request_protocol', 'tcp'],
        ['response_flags', ztunnelResponseFlags(r, here, i === last)],
        ['connection_security_policy', secure ? 'mutual_tls' : UNKNOWN],
      ]);
      const all = [...target(h.namespace ?? ZTUNNEL_NAMESPACE, h.pod ?? h.name), ...labels];
      m.opened.add(all);
      m.closed.add(all);
      m.received.add(all, requestBytes(r));
      // A response passes back only through hops after which the request went on to an app.
      m.sent.add(all, i < last ? responseBytes(r) : 0);
    }
  });
}

/** Istio's request and TCP metrics for the requests a result kept, as Prometheus text. */
export function renderMetrics(results: RunResult[]): string {
  const m = new IstioMetrics();
  forEachRequest(results, ({ record: r, sender }) => record(m, r, sender));
  return m.render();
}

/**
 * The same metrics counted as a run plays, from every request it sends (RunOptions.onRequest), so
 * a step that keeps only its first requests in its result still counts all of them.
 */
export class MetricsCollector {
  private readonly m = new IstioMetrics();

  readonly add = (req: RequestRecord): void => {
    walkRequest(req, ({ record: r, sender }) => record(this.m, r, sender));
  };

  render(): string {
    return this.m.render();
  }
}
