import type { Attributes, HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { renderOtlpTraces } from '../../src/report/otlp';
import type { OtlpKeyValue, OtlpSpan, OtlpTracesRequest } from '../../src/report/otlp-types';
import { CURL_POD, deniedRequest, labRun, NASTY, okRequest, requestStep, runResult } from './builder';
import { otlpJsonViolations } from './otlp-json-check';

const T0_NS = BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n;

function spansOf(req: OtlpTracesRequest): OtlpSpan[] {
  return req.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}

function attr(kvs: OtlpKeyValue[], key: string): string | number | boolean | undefined {
  const v = kvs.find((kv) => kv.key === key)?.value;
  if (!v) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  return v.boolValue;
}

/** Simulated ms of a span time. */
const ms = (nanos: string): number => Number(BigInt(nanos) - T0_NS) / 1e6;

/** A trace as `name` lines indented by depth, children in emission order. */
function tree(spans: OtlpSpan[]): string[] {
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number): void => {
    for (const s of spans.filter((x) => x.parentSpanId === parent)) {
      lines.push(`${'  '.repeat(depth)}${s.name}`);
      walk(s.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

// --- the same spans through OpenTelemetry JS's own OTLP/JSON serializer ---------------------

function sdkAttributes(kvs: OtlpKeyValue[]): Attributes {
  return Object.fromEntries(kvs.map((kv) => [kv.key, attr([kv], kv.key)]));
}

function hrTime(nanos: string): HrTime {
  const n = BigInt(nanos);
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
}

/** Our spans as the SDK's ReadableSpans (SpanKind in the API is the OTLP value minus one). */
function asReadableSpans(req: OtlpTracesRequest['resourceSpans'][number]): ReadableSpan[] {
  // createResource reads only `attributes` and `schemaUrl` of a Resource.
  const resource = { attributes: sdkAttributes(req.resource.attributes) } as unknown as Resource;
  return req.scopeSpans.flatMap((scope) =>
    scope.spans.map((s) => ({
      name: s.name,
      kind: s.kind - 1,
      spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: 1 }),
      parentSpanContext: s.parentSpanId ? { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: 1 } : undefined,
      startTime: hrTime(s.startTimeUnixNano),
      endTime: hrTime(s.endTimeUnixNano),
      duration: [0, 0],
      ended: true,
      status: s.status,
      attributes: sdkAttributes(s.attributes),
      links: [],
      events: s.events.map((e) => ({ name: e.name, time: hrTime(e.timeUnixNano), attributes: sdkAttributes(e.attributes) })),
      resource,
      instrumentationScope: scope.scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    })),
  );
}

/** The reference encoding without the fields it writes at their defaults, int64s as strings. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || (k.startsWith('dropped') && x === 0) || k === 'flags' || (k === 'links' && Array.isArray(x) && x.length === 0)) continue;
    out[k] = k === 'intValue' ? String(x) : normalise(x);
  }
  return out;
}

describe('renderOtlpTraces', () => {
  const out = renderOtlpTraces([labRun()]);
  const spans = spansOf(out);

  it('conforms to the OTLP/JSON encoding of ExportTraceServiceRequest', () => {
    expect(otlpJsonViolations(JSON.parse(JSON.stringify(out)))).toEqual([]);
  });

  it('the conformance check can fail', () => {
    const bad = JSON.parse(JSON.stringify(out)) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const s = bad.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    s['traceId'] = Buffer.from(String(s['traceId']), 'hex').toString('base64');
    s['startTimeUnixNano'] = Number(s['startTimeUnixNano']);
    s['kind'] = 'SPAN_KIND_CLIENT';
    s['parent_span_id'] = 'x';
    (s['attributes'] as unknown[]).push({ key: 'k', value: { stringValue: 'a', intValue: '1' } });
    expect(otlpJsonViolations(bad)).toHaveLength(5);
  });

  it('encodes exactly as OpenTelemetry JS serializes the same spans', () => {
    for (const rs of out.resourceSpans) {
      const reference = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(asReadableSpans(rs)))) as unknown;
      expect(normalise(reference)).toEqual(JSON.parse(JSON.stringify({ resourceSpans: [rs] })));
    }
  });

  it('describes the exporter as service meshsim', () => {
    expect(out.resourceSpans).toHaveLength(1);
    const res = out.resourceSpans[0]!.resource.attributes;
    expect(attr(res, 'service.name')).toBe('meshsim');
    expect(attr(res, 'meshsim.scenario')).toBe('accounts-finance');
    expect(attr(res, 'meshsim.seed')).toBe(7);
  });

  it('gives each request its own trace: client span, then one server span per hop, calls under the app', () => {
    const traceIds = [...new Set(spans.map((s) => s.traceId))];
    expect(traceIds).toHaveLength(4);
    const withCall = spans.filter((s) => s.traceId === traceIds[2]);
    expect(tree(withCall)).toEqual([
      'GET http://accounts.accounts.svc.cluster.local:8080/',
      '  ztunnel ztunnel-c1-node-a outbound',
      '    waypoint accounts/waypoint',
      '      ztunnel ztunnel-c1-node-b inbound',
      '        app accounts/accounts-6f7c9-x2x7q',
      '          GET http://ledger.accounts.svc.cluster.local:80/balance',
      '            ztunnel ztunnel-c1-node-b outbound',
      '              ztunnel ztunnel-c1-node-b inbound',
      '                app accounts/ledger-0',
    ]);
    expect(withCall.map((s) => s.kind)).toEqual([3, 2, 2, 2, 2, 3, 2, 2, 2]);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
  });

  it('times spans from atMs with a symmetric way back, children inside their parents', () => {
    const trace = spans.filter((s) => s.traceId === spans[0]!.traceId);
    // Request 1 starts at 1000 ms, takes 1.5 ms; hops reached at 0.1, 0.3, 0.5, 0.6 ms.
    expect(trace.map((s) => [ms(s.startTimeUnixNano), ms(s.endTimeUnixNano)])).toEqual([
      [1000, 1001.5],
      [1000.1, 1001.4],
      [1000.3, 1001.2],
      [1000.5, 1001],
      [1000.6, 1000.9],
    ]);
    for (const s of spans) {
      const parent = spans.find((p) => p.spanId === s.parentSpanId);
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
      if (!parent) continue;
      expect(BigInt(s.startTimeUnixNano) >= BigInt(parent.startTimeUnixNano), s.name).toBe(true);
      expect(BigInt(s.endTimeUnixNano) <= BigInt(parent.endTimeUnixNano), s.name).toBe(true);
    }
  });

  it('uses OpenTelemetry and Istio attribute names', () => {
    const [root, , waypoint, , app] = spans;
    expect(attr(root!.attributes, 'http.request.method')).toBe('GET');
    expect(attr(root!.attributes, 'http.response.status_code')).toBe(200);
    expect(attr(root!.attributes, 'url.path')).toBe('/');
    expect(attr(root!.attributes, 'server.address')).toBe('accounts.accounts.svc.cluster.local');
    expect(attr(root!.attributes, 'server.port')).toBe(8080);
    expect(attr(root!.attributes, 'k8s.pod.name')).toBe(CURL_POD);
    expect(attr(root!.attributes, 'k8s.namespace.name')).toBe('finance');
    expect(attr(waypoint!.attributes, 'k8s.pod.name')).toBe('waypoint-7d9f-qq2lp');
    expect(attr(waypoint!.attributes, 'istio.authz.policy')).toBe('accounts/allow-get-only');
    expect(attr(waypoint!.attributes, 'istio.authz.result')).toBe('ALLOW');
    expect(attr(app!.attributes, 'k8s.pod.name')).toBe('accounts-6f7c9-x2x7q');
  });

  it('turns decisions into events on the proxy that took them', () => {
    const trace = spans.filter((s) => s.traceId === spans[0]!.traceId);
    expect(trace.map((s) => s.events.map((e) => e.name))).toEqual([[], [], ['authz ALLOW'], ['authz ALLOW'], []]);
    const e = trace[2]!.events[0]!;
    expect(ms(e.timeUnixNano)).toBe(1000.3);
    expect(attr(e.attributes, 'meshsim.decision.policy')).toBe('accounts/allow-get-only');
    expect(attr(e.attributes, 'meshsim.decision.rule')).toBe(0);
    expect(attr(e.attributes, 'meshsim.decision.source_identity')).toBe('spiffe://cluster.local/ns/finance/sa/curl');
  });

  it('marks a denied request as an error on the client and on the proxy that denied it', () => {
    const denied = spansOf(renderOtlpTraces([runResult('d', [requestStep('s', [deniedRequest(1, 0)])])]));
    expect(denied.map((s) => s.status)).toEqual([
      { code: 2, message: 'RBAC: access denied' },
      { code: 0 },
      { code: 2, message: 'RBAC: access denied' },
    ]);
    expect(denied[2]!.events.map((e) => e.name)).toEqual(['authz DENY']);
    expect(attr(denied[2]!.attributes, 'istio.authz.policy')).toBe('accounts/deny-post');
  });

  it('derives ids from scenario, seed, step and request, and shifts times with startTimeUnixMs', () => {
    const again = renderOtlpTraces([labRun()]);
    expect(JSON.stringify(again)).toBe(JSON.stringify(out));
    const otherSeed = spansOf(renderOtlpTraces([{ ...labRun(), seed: 8 }]));
    expect(otherSeed[0]!.traceId).not.toBe(spans[0]!.traceId);
    const shifted = spansOf(renderOtlpTraces([labRun()], { startTimeUnixMs: Date.UTC(2026, 0, 1) + 60_000 }));
    expect(shifted.map((s) => s.traceId)).toEqual(spans.map((s) => s.traceId));
    expect(BigInt(shifted[0]!.startTimeUnixNano) - BigInt(spans[0]!.startTimeUnixNano)).toBe(60_000_000_000n);
    expect(spans[0]!.startTimeUnixNano).toBe('1767225601000000000');
  });

  it('carries any name through JSON unchanged', () => {
    const r = runResult(NASTY, [requestStep(NASTY, [okRequest(1, 0, { path: `/${NASTY}` })])]);
    const o = renderOtlpTraces([r]);
    expect(otlpJsonViolations(JSON.parse(JSON.stringify(o)))).toEqual([]);
    expect(attr(o.resourceSpans[0]!.resource.attributes, 'meshsim.scenario')).toBe(NASTY);
    expect(attr(spansOf(o)[0]!.attributes, 'url.path')).toBe(`/${NASTY}`);
  });
});
