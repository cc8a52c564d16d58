// Plays a `request` step on the kernel: arrivals (sequential, open-loop rate or closed-loop
// concurrency), each request carried through the data plane and timed, then summarised and checked.
import type { Simulation } from '../../sim';
import type { WorkloadInfo } from '../control/model';
import { sendRequest, type ClientRequest } from '../dataplane/request';
import type { CallRecord, Outcome, RequestRecord, StepResult } from '../result/types';
import type { TraceResult } from '../dataplane/trace';
import type { Rng } from '../../sim';
import type { RequestStep } from '../scenario';
import { errorAt } from '../scenario';
import { ScenarioInputError } from './errors';
import { checkRequestExpect } from './expect-request';
import { defaultSimpleModel, round3, simpleLatency } from './latency';
import { SummaryBuilder } from './summary';
import type { World } from './world';

/** Requests kept in full per step; beyond this the step says `sampled: true`. */
export const RECORD_LIMIT = 1000;

const latencyModel = defaultSimpleModel();

function clientOf(world: World, step: RequestStep): WorkloadInfo {
  const view = world.view(step.cluster);
  if (step.from.kind === 'external') {
    throw new ScenarioInputError([errorAt(step.at(['request', 'from']), 'from: external needs an ingress gateway, which this version of meshsim does not simulate yet')]);
  }
  const key = `${step.from.namespace}/${step.from.name}`;
  const w = view.workloadsByOwner.get(key)?.[0] ?? view.workloadByPod.get(key);
  if (!w) {
    throw new ScenarioInputError([errorAt(step.at(['request', 'from']), `request from "${key}": no Deployment, StatefulSet, DaemonSet or Pod of that name has a running pod in cluster ${step.cluster}`)]);
  }
  return w;
}

function requestOf(world: World, step: RequestStep, client: WorkloadInfo): Omit<ClientRequest, 'client'> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.headers)) headers[k.toLowerCase()] = v;
  if (step.target.kind === 'pod') {
    const view = world.view(step.cluster);
    const key = `${step.target.namespace}/${step.target.name}`;
    const w = view.workloadsByOwner.get(key)?.[0] ?? view.workloadByPod.get(key);
    if (!w) throw new ScenarioInputError([errorAt(step.at(['request', 'pod']), `pod: no running pod of workload "${key}" in cluster ${step.cluster}`)]);
    const port = step.target.port ?? w.pod.spec?.containers[0]?.ports?.[0]?.containerPort ?? 80;
    return { dialHost: w.ip, port, method: step.method, path: step.target.path, headers, body: step.body };
  }
  let url: URL;
  try {
    url = new URL(step.target.url);
  } catch {
    throw new ScenarioInputError([errorAt(step.at(['request', 'url']), `url: "${step.target.url}" is not a URL (expected e.g. http://svc.ns.svc.cluster.local:8080/path)`)]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ScenarioInputError([errorAt(step.at(['request', 'url']), `url: scheme ${url.protocol.replace(':', '')} is not supported (http or https)`)]);
  }
  void client;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { dialHost: host, port, method: step.method, path: `${url.pathname}${url.search}`, headers, body: step.body };
}

interface Generator {
  started: number;
  done: number;
  total: number;
  untilMs: number;
}

export function runRequestStep(world: World, step: RequestStep): StepResult {
  const sim = world.sim;
  const client = clientOf(world, step);
  const base = requestOf(world, step, client);
  const lbRng = sim.stream(`step/${step.name}/dataplane`);
  const latencyRng = sim.stream(`step/${step.name}/latency`);
  const arrivalRng = sim.stream(`step/${step.name}/arrivals`);
  const summary = new SummaryBuilder();
  const records: RequestRecord[] = [];
  const startMs = sim.now;
  const total = step.count ?? (step.durationMs !== undefined ? Number.POSITIVE_INFINITY : 1);
  const gen: Generator = { started: 0, done: 0, total, untilMs: step.durationMs !== undefined ? startMs + step.durationMs : Number.POSITIVE_INFINITY };

  const issue = (s: Simulation): void => {
    if (gen.started >= gen.total || s.now >= gen.untilMs) return;
    const id = ++gen.started;
    const ctx = world.dataplane(step.cluster, lbRng.random);
    const trace = sendRequest(ctx, { client, ...base });
    const timed = timeTrace(world, trace, latencyRng);
    let latency = timed.latencyMs;
    let outcome: Outcome = timed.routeTimedOut ? 'response' : trace.outcome;
    if (outcome === 'timeout') latency = step.timeoutMs ?? 30_000;
    else if (step.timeoutMs !== undefined && latency > step.timeoutMs) {
      latency = step.timeoutMs;
      outcome = 'timeout';
    }
    const record: RequestRecord = {
      id,
      startMs: round3(s.now),
      from: { cluster: client.cluster, namespace: client.namespace, pod: client.name, node: client.node, identity: client.mode === 'none' ? null : client.identity, ip: client.ip },
      ...callRecord(trace, timed, outcome, latency),
    };
    if (records.length < RECORD_LIMIT) records.push(record);
    s.schedule(latency, (s2) => {
      gen.done++;
      summary.add(record);
      if (!step.rate) issue(s2); // closed loop: the next request starts when this one ends
    });
    if (step.rate) {
      const gap = step.rate.arrival === 'constant' ? 1000 / step.rate.perSecond : -Math.log(1 - arrivalRng.next()) * (1000 / step.rate.perSecond);
      s.schedule(gap, issue);
    }
  };

  const workers = step.rate ? 1 : Math.max(1, step.concurrency ?? 1);
  for (let i = 0; i < workers; i++) sim.schedule(0, issue);
  sim.run();

  const built = summary.build();
  const failures = checkRequestExpect(step.expect, records, built);
  return {
    name: step.name,
    type: 'request',
    passed: failures.length === 0,
    failures,
    startMs: round3(startMs),
    endMs: round3(sim.now),
    summary: built,
    requests: records,
    ...(gen.done > RECORD_LIMIT ? { sampled: true } : {}),
  };
}

interface Timed {
  latencyMs: number;
  calls: { startMs: number; timed: Timed }[];
  /** The route's timeout fired at the waypoint before the response came back (504). */
  routeTimedOut?: boolean;
}

/** Round-trip time of a trace; an app's calls run one after another inside its service time. */
function timeTrace(world: World, trace: TraceResult, rng: Rng): Timed {
  const calls: Timed['calls'] = [];
  let callTime = 0;
  const appStart = trace.hops.length;
  for (const c of trace.calls ?? []) {
    const timed = timeTrace(world, c, rng);
    calls.push({ startMs: callTime, timed });
    callTime += timed.latencyMs;
  }
  const answered = trace.backend !== undefined;
  const fault = trace.faultDelayMs ?? 0;
  let latencyMs = fault + simpleLatency(latencyModel, trace.hops, answered, (trace.appDelayMs ?? 0) + callTime, rng, (c, n) => (c ? world.view(c).nodes.get(n ?? '')?.locality : undefined));
  // Calls start once the request has reached the app.
  const reachedApp = trace.hops[appStart - 1]?.atMs ?? 0;
  for (const c of calls) c.startMs = round3(reachedApp + c.startMs);
  const rt = trace.routeTimeout;
  if (rt) {
    // Time spent beyond the waypoint, with the way back to it taken as long as the way there.
    const atWaypoint = (trace.hops[rt.hop]?.atMs ?? 0) + fault;
    if (latencyMs - 2 * atWaypoint > rt.ms) return { latencyMs: round3(2 * atWaypoint + rt.ms), calls, routeTimedOut: true };
  }
  return { latencyMs: round3(latencyMs), calls };
}

function callRecord(trace: TraceResult, timed: Timed, outcome: Outcome = timed.routeTimedOut ? 'response' : trace.outcome, latency = timed.latencyMs): Omit<RequestRecord, 'id' | 'from' | 'startMs'> {
  const calls: CallRecord[] = (trace.calls ?? []).map((c, i) => {
    const t = timed.calls[i]!;
    return { startMs: t.startMs, ...callRecord(c, t.timed) };
  });
  const to = trace.request;
  if (timed.routeTimedOut) trace = { ...trace, outcome: 'response', status: 504, body: 'upstream request timeout', error: 'route timeout (Envoy UT)' };
  return {
    latencyMs: round3(latency),
    to: { host: to.host, port: to.port, ...(trace.service ? { service: `${trace.service.namespace}/${trace.service.name}` } : {}) },
    method: to.method,
    path: to.path,
    outcome,
    ...(outcome === 'response' ? { status: trace.status, body: trace.body } : {}),
    ...(trace.backend && outcome === 'response'
      ? { backend: { cluster: trace.backend.cluster, namespace: trace.backend.namespace, pod: trace.backend.name, node: trace.backend.node, workload: trace.backend.workloadName } }
      : {}),
    hops: trace.hops,
    decisions: trace.decisions,
    ...(trace.requestHeaders ? { requestHeaders: trace.requestHeaders } : {}),
    ...(trace.responseHeaders && Object.keys(trace.responseHeaders).length ? { responseHeaders: trace.responseHeaders } : {}),
    ...(trace.error ? { error: trace.error } : {}),
    ...(calls.length ? { calls } : {}),
  };
}
