import parsePrometheusTextFormat, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { renderMetrics } from '../../src/report/metrics';
import { deniedRequest, labRun, NASTY, okRequest, requestStep, runResult } from './builder';

function family(text: string, name: string): ParsedFamily {
  const f = parsePrometheusTextFormat(text).find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in\n${text}`);
  return f;
}

function sample(f: ParsedFamily, labels: Record<string, string>): ParsedSample {
  const found = f.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  expect(found, `one ${f.name} series with ${JSON.stringify(labels)}`).toHaveLength(1);
  return found[0]!;
}

interface HistogramSeries {
  labels: Record<string, string>;
  buckets: Record<string, string>;
  sum: string;
  count: string;
}

/**
 * The series of a histogram family. parse-prometheus-text-format merges a histogram's series into
 * one and drops their labels, so the family's HELP/TYPE lines are removed and its _bucket, _sum
 * and _count samples parsed as untyped families, which keep their labels.
 */
function histogramSeries(text: string, name: string): HistogramSeries[] {
  const untyped = text.split('\n').filter((l) => l !== `# TYPE ${name} histogram` && !l.startsWith(`# HELP ${name} `)).join('\n');
  const parsed = parsePrometheusTextFormat(untyped);
  // Series alternate _bucket, _sum, _count, so each part comes back as several families.
  const part = (suffix: string): ParsedSample[] => parsed.filter((f) => f.name === `${name}_${suffix}`).flatMap((f) => f.metrics);
  const key = (labels: Record<string, string> = {}): string => JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le'));
  const series = new Map<string, HistogramSeries>();
  for (const s of part('count')) series.set(key(s.labels), { labels: s.labels ?? {}, buckets: {}, sum: '', count: s.value! });
  for (const s of part('sum')) series.get(key(s.labels))!.sum = s.value!;
  for (const s of part('bucket')) series.get(key(s.labels))!.buckets[s.labels!['le']!] = s.value!;
  return [...series.values()];
}

describe('renderMetrics', () => {
  const text = renderMetrics([labRun()]);

  it('exports Istio metric families with their types, sorted by name', () => {
    const families = parsePrometheusTextFormat(text);
    expect(families.map((f) => [f.name, f.type])).toEqual([
      ['istio_request_duration_milliseconds', 'HISTOGRAM'],
      ['istio_requests_total', 'COUNTER'],
      ['istio_tcp_connections_closed_total', 'COUNTER'],
      ['istio_tcp_connections_opened_total', 'COUNTER'],
      ['istio_tcp_received_bytes_total', 'COUNTER'],
      ['istio_tcp_sent_bytes_total', 'COUNTER'],
    ]);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('counts waypoint requests with Istio labels, by response code', () => {
    const f = family(text, 'istio_requests_total');
    const ok = sample(f, { response_code: '200' });
    expect(ok.value).toBe('3');
    expect(ok.labels).toEqual({
      namespace: 'accounts',
      pod: 'waypoint-7d9f-qq2lp',
      reporter: 'waypoint',
      source_workload: 'curl',
      source_workload_namespace: 'finance',
      source_principal: 'spiffe://cluster.local/ns/finance/sa/curl',
      source_cluster: 'cluster1',
      destination_workload: 'accounts',
      destination_workload_namespace: 'accounts',
      destination_principal: 'unknown',
      destination_service: 'accounts.accounts.svc.cluster.local',
      destination_service_name: 'accounts',
      destination_service_namespace: 'accounts',
      destination_cluster: 'cluster1',
      request_protocol: 'http',
      response_code: '200',
      response_flags: '-',
      connection_security_policy: 'mutual_tls',
    });
    // An RBAC denial at the waypoint: 403, no Envoy response flag, no destination workload.
    const denied = sample(f, { response_code: '403' });
    expect(denied.value).toBe('1');
    expect(denied.labels).toMatchObject({ response_flags: '-', destination_workload: 'unknown', destination_service_name: 'accounts' });
  });

  it('observes the waypoint-side duration in Istio default buckets', () => {
    const all = histogramSeries(text, 'istio_request_duration_milliseconds');
    expect(all).toHaveLength(2);
    const h = all.find((x) => x.labels['response_code'] === '200')!;
    expect(h.labels).toMatchObject({ reporter: 'waypoint', source_workload: 'curl', destination_workload: 'accounts' });
    // Waypoint reached at 0.3 ms: it holds a request for its round trip − 2 × 0.3 ms, so
    // 0.9 ms for the two 1.5 ms requests and 1.3 ms for the 1.9 ms one (which waited for a call).
    expect(h.count).toBe('3');
    expect(h.sum).toBe('3.1');
    expect(Object.keys(h.buckets).sort((a, b) => Number(a) - Number(b))).toEqual(['0.5', '1', '5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '30000', '60000', '300000', '600000', '1800000', '3600000', '+Inf']);
    expect(h.buckets['0.5']).toBe('0');
    expect(h.buckets['1']).toBe('2');
    expect(h.buckets['5']).toBe('3');
    expect(h.buckets['+Inf']).toBe('3');
  });

  it('reports destination ztunnel TCP metrics, the waypoint as the peer it saw', () => {
    const labels = { pod: 'ztunnel-c1-node-b', destination_workload: 'accounts' };
    const opened = sample(family(text, 'istio_tcp_connections_opened_total'), labels);
    expect(opened.value).toBe('3');
    expect(opened.labels).toMatchObject({
      namespace: 'istio-system',
      reporter: 'destination',
      source_workload: 'waypoint',
      source_workload_namespace: 'accounts',
      source_principal: 'spiffe://cluster.local/ns/accounts/sa/waypoint',
      request_protocol: 'tcp',
      response_flags: '-',
      connection_security_policy: 'mutual_tls',
    });
    expect(sample(family(text, 'istio_tcp_connections_closed_total'), labels).value).toBe('3');
    // GET / HTTP/1.1 + host: accounts.accounts.svc.cluster.local + blank line = 16 + 43 + 2 bytes.
    expect(sample(family(text, 'istio_tcp_received_bytes_total'), labels).value).toBe(String(3 * 61));
    // HTTP/1.1 200 + content-length: 19 + blank line + "accounts-cluster-1\n" = 14 + 20 + 2 + 19 bytes.
    expect(sample(family(text, 'istio_tcp_sent_bytes_total'), labels).value).toBe(String(3 * 55));
  });

  it('counts an app’s nested calls, sent by that app’s workload', () => {
    const s = sample(family(text, 'istio_tcp_connections_opened_total'), { destination_workload: 'ledger' });
    expect(s.value).toBe('1');
    expect(s.labels).toMatchObject({ source_workload: 'accounts', source_principal: 'spiffe://cluster.local/ns/accounts/sa/accounts', destination_service: 'ledger.accounts.svc.cluster.local' });
    // The outbound ztunnel of same-node traffic does not report as destination.
    expect(family(text, 'istio_tcp_connections_opened_total').metrics).toHaveLength(2);
  });

  it('flags a connection the destination ztunnel denied', () => {
    const r = okRequest(1, 0, {
      outcome: 'reset',
      status: undefined,
      body: undefined,
      backend: undefined,
      hops: okRequest(1, 0).hops.slice(0, 4),
      decisions: [{ at: 'ztunnel-c1-node-b', kind: 'authz', result: 'DENY', policy: null, reason: 'allow policies exist, but none allowed', sourceIdentity: 'spiffe://cluster.local/ns/accounts/sa/waypoint' }],
    });
    const t = renderMetrics([runResult('deny', [requestStep('s', [r])])]);
    const s = sample(family(t, 'istio_tcp_connections_opened_total'), {});
    expect(s.labels).toMatchObject({ response_flags: 'DENY', destination_workload: 'unknown' });
    expect(sample(family(t, 'istio_tcp_sent_bytes_total'), {}).value).toBe('0');
    expect(sample(family(t, 'istio_requests_total'), {}).labels).toMatchObject({ response_code: '0' });
  });

  it('escapes label values', () => {
    const r = okRequest(1, 0, { to: { host: 'h', port: 80, service: `ns/${NASTY}\\x\n` } });
    const t = renderMetrics([runResult('x', [requestStep('s', [r])])]);
    expect(t).toContain(`destination_service_name="${NASTY.replace(/"/g, '\\"')}\\\\x\\n"`);
    expect(sample(family(t, 'istio_requests_total'), {}).labels!['destination_service_name']).toBe(`${NASTY}\\x\n`);
  });

  it('is deterministic and independent of request order', () => {
    const a = runResult('x', [requestStep('s', [okRequest(1, 0), deniedRequest(2, 1)])]);
    const b = runResult('x', [requestStep('s', [deniedRequest(2, 1), okRequest(1, 0)])]);
    expect(renderMetrics([a])).toBe(renderMetrics([a]));
    expect(renderMetrics([a])).toBe(renderMetrics([b]));
    expect(renderMetrics([])).toBe(renderMetrics([runResult('empty', [])]));
  });
});
