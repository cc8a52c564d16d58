// OTLP traces (OTLP/JSON ExportTraceServiceRequest) of a run: one trace per request.
//   client span (the request as the client saw it, over its whole latency)
//     └ one server span per hop it reached, each the child of the hop before: ztunnel outbound,
//       waypoint, ztunnel inbound, ..., and the app that answered
//         └ the app's own calls, as client spans with their hops, inside the same trace
// A hop's span starts when the request reached it (`atMs`) and ends when the response passed back,
// estimated as symmetric (see hop-timing.ts), so child spans nest inside their parents. Decisions
// are events on the span of the proxy that took them. Wall-clock times count from
// `startTimeUnixMs`, the scenario's start, which the result does not record.
import type { CallRecord, Decision, Hop, RequestRecord, RunResult } from '../result/types';
import { answeringPodIndex, decisionsByHop, isInboundZtunnel } from './hop-roles';
import { hopWindow } from './hop-timing';
import { attributes, SPAN_KIND, STATUS_CODE, type OtlpEvent, type OtlpKeyValue, type OtlpSpan, type OtlpTracesRequest } from './otlp-types';
import { flattenSteps } from './steps';
import { spanIdOf, traceIdOf } from './trace-ids';

export interface OtlpOptions {
  /** Wall-clock time of simulated time 0, in ms since the epoch (default 2026-01-01T00:00:00Z, the scenario default). */
  startTimeUnixMs?: number;
}

export const DEFAULT_START_TIME_UNIX_MS = Date.UTC(2026, 0, 1);

interface TraceCtx {
  traceId: string;
  /** Simulated time 0 in ns since the epoch. */
  baseNs: bigint;
  spans: OtlpSpan[];
}

function nanos(ctx: TraceCtx, simMs: number): string {
  return (ctx.baseNs + BigInt(Math.round(simMs * 1e6))).toString();
}

function hopSpanName(hops: Hop[], i: number, inbound: boolean): string {
  const h = hops[i]!;
  const qualified = h.namespace ? `${h.namespace}/${h.name}` : h.name;
  if (h.kind === 'ztunnel') return `ztunnel ${h.name} ${inbound ? 'inbound' : 'outbound'}`;
  if (h.kind === 'pod') return `app ${qualified}`;
  return `${h.kind} ${qualified}`;
}

function placeAttributes(h: Hop): [string, string | undefined][] {
  return [
    ['k8s.cluster.name', h.cluster],
    ['k8s.node.name', h.node],
    ['k8s.namespace.name', h.namespace],
    ['k8s.pod.name', h.kind === 'pod' ? h.name : h.pod],
  ];
}

function decisionEvent(ctx: TraceCtx, atMs: number, d: Decision): OtlpEvent {
  return {
    timeUnixNano: nanos(ctx, atMs),
    name: `${d.kind} ${d.result}`,
    attributes: attributes([
      ['meshsim.decision.kind', d.kind],
      ['meshsim.decision.result', d.result],
      ['meshsim.decision.at', d.at],
      ['meshsim.decision.policy', d.policy],
      ['meshsim.decision.rule', d.rule],
      ['meshsim.decision.reason', d.reason],
      ['meshsim.decision.source_identity', d.sourceIdentity],
      ['meshsim.decision.detail', d.detail ? JSON.stringify(d.detail) : undefined],
    ]),
  };
}

/** The policy decision that let the request through a proxy or stopped it there (dry runs aside). */
function authzAttributes(here: Decision[]): [string, string | undefined][] {
  const d = here.find((x) => x.kind === 'authz' && x.detail?.['dryRun'] !== true && x.result !== 'AUDIT');
  return d ? [['istio.authz.result', d.result], ['istio.authz.policy', d.policy ?? undefined]] : [];
}

function failureText(r: CallRecord): string {
  return r.error ?? (r.outcome === 'response' ? `HTTP ${r.status}` : r.outcome);
}

function urlOf(r: CallRecord): string {
  return `http://${r.to.host}:${r.to.port}${r.path}`;
}

interface SpanArgs {
  path: string;
  parentSpanId?: string;
  name: string;
  kind: OtlpSpan['kind'];
  startMs: number;
  endMs: number;
  attrs: OtlpKeyValue[];
  events: OtlpEvent[];
  error?: string;
}

function addSpan(ctx: TraceCtx, a: SpanArgs): string {
  const spanId = spanIdOf(ctx.traceId, a.path);
  ctx.spans.push({
    traceId: ctx.traceId,
    spanId,
    ...(a.parentSpanId ? { parentSpanId: a.parentSpanId } : {}),
    name: a.name,
    kind: a.kind,
    startTimeUnixNano: nanos(ctx, a.startMs),
    endTimeUnixNano: nanos(ctx, a.endMs),
    attributes: a.attrs,
    events: a.events,
    status: a.error === undefined ? { code: STATUS_CODE.UNSET } : { code: STATUS_CODE.ERROR, message: a.error },
  });
  return spanId;
}

/** The spans of one request (or call) that started at simulated time `startMs`. */
function requestSpans(ctx: TraceCtx, r: CallRecord | RequestRecord, startMs: number, path: string, parentSpanId?: string): void {
  const byHop = decisionsByHop(r.hops, r.decisions);
  const client = r.hops[0];
  const answered = r.outcome === 'response';
  const rootId = addSpan(ctx, {
    path,
    parentSpanId,
    name: `${r.method} ${urlOf(r)}`,
    kind: SPAN_KIND.CLIENT,
    startMs,
    endMs: startMs + r.latencyMs,
    attrs: attributes([
      ['http.request.method', r.method],
      ['url.full', urlOf(r)],
      ['url.path', r.path],
      ['server.address', r.to.host],
      ['server.port', r.to.port],
      ['http.response.status_code', answered ? r.status : undefined],
      ['error.type', answered ? undefined : r.outcome],
      ...(client ? placeAttributes(client) : []),
      ['meshsim.request.id', 'id' in r ? r.id : undefined],
      ['meshsim.source.identity', 'from' in r ? r.from.identity : undefined],
      ['meshsim.destination.service', r.to.service],
      ['meshsim.outcome', r.outcome],
    ]),
    events: (byHop.get(-1) ?? []).map((d) => decisionEvent(ctx, startMs, d)),
    // A client sees 4xx as failures too (OpenTelemetry's HTTP conventions for client spans).
    error: !answered || (r.status ?? 0) >= 400 ? failureText(r) : undefined,
  });

  const appIdx = answeringPodIndex(r.hops);
  const last = r.hops.length - 1;
  let parent = rootId;
  for (let i = 1; i < r.hops.length; i++) {
    const h = r.hops[i]!;
    const here = byHop.get(i) ?? [];
    const w = hopWindow(r.hops, i, r.latencyMs);
    // The hop that ended a request no app answered is where it failed.
    const failedHere = i === last && appIdx < 0;
    const httpAware = h.kind !== 'ztunnel';
    parent = addSpan(ctx, {
      path: `${path}/h${i}`,
      parentSpanId: parent,
      name: hopSpanName(r.hops, i, isInboundZtunnel(r.hops, i, here)),
      kind: SPAN_KIND.SERVER,
      startMs: startMs + w.startMs,
      endMs: startMs + w.endMs,
      attrs: attributes([
        ['meshsim.hop.kind', h.kind],
        ['meshsim.hop.protocol', h.protocol],
        ...placeAttributes(h),
        ['http.request.method', httpAware ? r.method : undefined],
        ['url.path', httpAware ? r.path : undefined],
        ['http.response.status_code', httpAware && answered ? r.status : undefined],
        ...authzAttributes(here),
      ]),
      events: here.map((d) => decisionEvent(ctx, startMs + w.startMs, d)),
      error: failedHere || (i === appIdx && (r.status ?? 0) >= 500) ? failureText(r) : undefined,
    });
    if (i === appIdx) (r.calls ?? []).forEach((c, k) => requestSpans(ctx, c, startMs + c.startMs, `${path}/h${i}/c${k}`, parent));
  }
}

/** OTLP/JSON traces of every request of every run; JSON.stringify the result to export it. */
export function renderOtlpTraces(results: RunResult[], opts: OtlpOptions = {}): OtlpTracesRequest {
  const baseNs = BigInt(Math.round(opts.startTimeUnixMs ?? DEFAULT_START_TIME_UNIX_MS)) * 1_000_000n;
  return {
    resourceSpans: results.map((run) => {
      const spans: OtlpSpan[] = [];
      for (const { path, step } of flattenSteps(run.steps)) {
        for (const req of step.requests ?? []) {
          const ctx: TraceCtx = { traceId: traceIdOf(run.scenario, run.seed, path, req.id), baseNs, spans };
          requestSpans(ctx, req, req.startMs, 'r');
        }
      }
      return {
        resource: { attributes: attributes([['service.name', 'meshsim'], ['meshsim.scenario', run.scenario], ['meshsim.seed', run.seed]]) },
        scopeSpans: [{ scope: { name: 'meshsim' }, spans }],
      };
    }),
  };
}
