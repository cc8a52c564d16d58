// Plays a `request` step on the kernel: a traffic generator (sequential, open-loop rate or
// closed-loop concurrency, bounded by count and/or duration) whose every request is decided by the
// data plane when it starts and then walked hop by hop in simulated time; summarised and checked
// as requests complete.
import type { Rng, Simulation } from '../../sim';
import type { WorkloadInfo } from '../control/model';
import { externalClient, sendExternal } from '../dataplane/ingress';
import { explainStep } from '../explain/step';
import { sendRequest, type ClientRequest } from '../dataplane/request';
import type { DataplaneContext } from '../dataplane/context';
import type { TraceResult } from '../dataplane/trace';
import type { CallRecord, Endpoint, Outcome, RequestRecord, StepResult } from '../result/types';
import type { RequestStep, Step } from '../scenario';
import { errorAt, type Diagnostic } from '../scenario';
import { ScenarioInputError } from './errors';
import { DecisionMemo, type Decider } from './decision-memo';
import { FAST_PATHS } from '../fast-paths';
import { RequestChecker } from './expect-request';
import { latencyRuntime, type LatencyRuntime } from './latency';
import { round3, Walk, type WalkEnv, type WalkOwner } from './latency-walk';
import { ShapeCache } from './request-shapes';
import { SummaryBuilder } from './summary';
import { arrivalGap, compileTemplate, render, type Template } from './traffic';
import type { World } from './world';

/** Requests kept in full per step by default; beyond the limit the step says `sampled: true`. */
export const RECORD_LIMIT = 1000;

/**
 * How long a client waits for a connection nothing answers, or for a request queued for a pooled
 * connection that may never come (a call queued behind its own request), when the step sets no
 * timeout (curl has none; 30 s keeps runs finite).
 */
const NO_ANSWER_TIMEOUT_MS = 30_000;

/** Whether the request, or a call made on its behalf, waits in a connection pool's queue. */
function mayWaitForConnection(trace: TraceResult): boolean {
  return trace.queued !== undefined || (trace.calls?.some(mayWaitForConnection) ?? false);
}

function clientOf(world: World, step: RequestStep): WorkloadInfo {
  const view = world.view(step.cluster);
  if (step.from.kind === 'external') return externalClient(view);
  const key = `${step.from.namespace}/${step.from.name}`;
  const w = view.workloadsByOwner.get(key)?.[0] ?? view.workloadByPod.get(key);
  if (!w) {
    throw new ScenarioInputError([errorAt(step.at(['request', 'from']), `request from "${key}": no Deployment, StatefulSet, DaemonSet or Pod of that name has a running pod in cluster ${step.cluster}`)]);
  }
  return w;
}

/** A request step's request, with its templated parts compiled. */
interface RequestShape {
  base: Omit<ClientRequest, 'client'>;
  path?: Template;
  headers: [string, Template][];
  body?: Template;
}

/** Splits a URL's text into scheme+authority and the rest (path, query, fragment). */
function splitUrl(url: string): [string, string] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  return m ? [m[0], url.slice(m[0].length)] : [url, ''];
}

/** Compiles a step's text into a template; a failure is reported at `path` under `request`. */
function compiler(step: RequestStep, diags: Diagnostic[]) {
  return (text: string, path: (string | number)[]): Template | undefined => {
    const c = compileTemplate(text);
    if (!c.ok) diags.push(errorAt(step.at(['request', ...path]), c.message));
    return c.ok && c.template.literal === undefined ? c.template : undefined;
  };
}

function templateDiagnostics(step: RequestStep): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const compile = compiler(step, diags);
  for (const [k, v] of Object.entries(step.headers)) compile(v, ['headers', k]);
  if (step.body !== undefined) compile(step.body, ['body']);
  if (step.target.kind === 'pod') compile(step.target.path, ['path']);
  else {
    const [prefix, rest] = splitUrl(step.target.url);
    if (prefix.includes('{{')) diags.push(errorAt(step.at(['request', 'url']), URL_TEMPLATE_MESSAGE));
    else compile(rest, ['url']);
  }
  return diags;
}

const URL_TEMPLATE_MESSAGE = 'url: templates are allowed in the path and query only; where a request dials is fixed for the step';

/** Checks the templates of every request step (inside `parallel` too), reporting all problems at once. */
export function validateRequestSteps(steps: readonly Step[]): void {
  const diags: Diagnostic[] = [];
  const walk = (list: readonly Step[]) => {
    for (const s of list) {
      if (s.type === 'request') diags.push(...templateDiagnostics(s));
      else if (s.type === 'parallel') walk(s.steps);
    }
  };
  walk(steps);
  if (diags.length) throw new ScenarioInputError(diags);
}

function shapeOf(world: World, step: RequestStep): RequestShape {
  const diags: Diagnostic[] = [];
  const compile = compiler(step, diags);
  const headers: Record<string, string> = {};
  const headerTemplates: [string, Template][] = [];
  for (const [k, v] of Object.entries(step.headers)) {
    headers[k.toLowerCase()] = v;
    const t = compile(v, ['headers', k]);
    if (t) headerTemplates.push([k.toLowerCase(), t]);
  }
  const body = step.body === undefined ? undefined : compile(step.body, ['body']);
  let base: Omit<ClientRequest, 'client'>;
  let path: Template | undefined;
  if (step.target.kind === 'pod') {
    const view = world.view(step.cluster);
    const key = `${step.target.namespace}/${step.target.name}`;
    const w = view.workloadsByOwner.get(key)?.[0] ?? view.workloadByPod.get(key);
    if (!w) throw new ScenarioInputError([errorAt(step.at(['request', 'pod']), `pod: no running pod of workload "${key}" in cluster ${step.cluster}`)]);
    const port = step.target.port ?? w.pod.spec?.containers[0]?.ports?.[0]?.containerPort ?? 80;
    path = compile(step.target.path, ['path']);
    base = { dialHost: w.ip, port, method: step.method, path: step.target.path, headers, body: step.body };
  } else {
    const [prefix, rest] = splitUrl(step.target.url);
    if (prefix.includes('{{')) diags.push(errorAt(step.at(['request', 'url']), URL_TEMPLATE_MESSAGE));
    else if (rest.includes('{{')) path = compile(rest.replace(/#.*$/, '') || '/', ['url']);
    let url: URL;
    try {
      url = new URL(path ? prefix : step.target.url);
    } catch {
      throw new ScenarioInputError([errorAt(step.at(['request', 'url']), `url: "${step.target.url}" is not a URL (expected e.g. http://svc.ns.svc.cluster.local:8080/path)`)]);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ScenarioInputError([errorAt(step.at(['request', 'url']), `url: scheme ${url.protocol.replace(':', '')} is not supported (http or https)`)]);
    }
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    base = { dialHost: host, port, method: step.method, path: `${url.pathname}${url.search}`, headers, body: step.body };
  }
  if (diags.length) throw new ScenarioInputError(diags);
  return { base, headers: headerTemplates, ...(path ? { path } : {}), ...(body ? { body } : {}) };
}

/**
 * Starts a request step at the current simulated time; `onDone` gets its result once every request
 * it issued has completed. Other steps may run on the same clock meanwhile. The first `records`
 * requests are kept in full in the result; every request counts in its summary and expectations.
 */
export function startRequestStep(world: World, step: RequestStep, onDone: (result: StepResult) => void, records = RECORD_LIMIT): void {
  const gen = new RequestGenerator(world, step, onDone, records);
  for (let i = 0; i < gen.active; i++) world.sim.postCall(0, issueHandler, gen);
}

/** A source of requests issues its next one, or retires when the step has issued all it should. */
function issueHandler(gen: RequestGenerator): void {
  if (gen.issue()) return;
  gen.active--;
  gen.maybeFinish();
}

/**
 * A request step's traffic generator: issues the step's requests, hears each walk end, and builds
 * the step's result. A class rather than closures over the step: the kernel and the walks call its
 * methods, the same functions in every step and run, so the optimised hop code survives them.
 */
class RequestGenerator implements WalkOwner, Decider {
  started = 0;
  done = 0;
  readonly total: number;
  readonly untilMs: number;
  /** Sources of requests still issuing: the arrival chain, or the closed-loop workers. */
  active: number;
  finished = false;
  private readonly sim: Simulation;
  private readonly rt: LatencyRuntime;
  private readonly client: WorkloadInfo;
  private readonly shape: RequestShape;
  private readonly lbRng: Rng;
  private readonly arrivalRng: Rng;
  private readonly templateRng: Rng;
  private readonly env: WalkEnv;
  private readonly summary = new SummaryBuilder();
  private readonly checker: RequestChecker;
  private readonly records: RequestRecord[] = [];
  private readonly startMs: number;
  private readonly from: RequestRecord['from'];
  private readonly templated: boolean;
  /** Without templates every request of the step is the same; the data plane never changes it. */
  private readonly fixed: ClientRequest | undefined;
  private readonly send: typeof sendRequest;
  private readonly shapes = new ShapeCache();
  /** Same view, same request: decisions differ only by their random choices, which the memo replays. */
  private memo: DecisionMemo | undefined;

  constructor(
    private readonly world: World,
    private readonly step: RequestStep,
    private readonly onDone: (result: StepResult) => void,
    private readonly recordLimit: number,
  ) {
    const sim = (this.sim = world.sim);
    this.rt = latencyRuntime(world);
    const client = (this.client = clientOf(world, step));
    const shape = (this.shape = shapeOf(world, step));
    this.lbRng = sim.stream(`step/${step.name}/dataplane`);
    this.arrivalRng = sim.stream(`step/${step.name}/arrivals`);
    this.templateRng = sim.stream(`step/${step.name}/templates`);
    this.env = this.rt.env(`step/${step.name}/latency`);
    this.checker = new RequestChecker(step.expect);
    this.startMs = sim.now;
    this.from = { cluster: client.cluster, namespace: client.namespace, pod: client.name, node: client.node, identity: client.mode === 'none' ? null : client.identity, ip: client.ip };
    this.templated = shape.path !== undefined || shape.body !== undefined || shape.headers.length !== 0;
    this.fixed = this.templated || !FAST_PATHS ? undefined : { client, ...shape.base };
    this.send = step.from.kind === 'external' ? sendExternal : sendRequest;
    this.total = step.count ?? (step.durationMs !== undefined ? Number.POSITIVE_INFINITY : 1);
    this.untilMs = step.durationMs !== undefined ? this.startMs + step.durationMs : Number.POSITIVE_INFINITY;
    this.active = step.rate ? 1 : Math.max(1, step.concurrency ?? 1);
  }

  private requestFor(seq: number): ClientRequest {
    if (this.fixed !== undefined) return this.fixed;
    const { client, shape, templateRng } = this;
    if (!this.templated) return { client, ...shape.base };
    const headers = { ...shape.base.headers };
    for (const [k, t] of shape.headers) headers[k] = render(t, seq, templateRng);
    return {
      client,
      ...shape.base,
      headers,
      ...(shape.path ? { path: render(shape.path, seq, templateRng) } : {}),
      ...(shape.body ? { body: render(shape.body, seq, templateRng) } : {}),
    };
  }

  /** Issues the next request, or says the step has issued all it should. */
  issue(): boolean {
    const { sim, step, fixed } = this;
    if (this.started >= this.total || sim.now >= this.untilMs) return false;
    const id = ++this.started;
    const ctx = this.rt.views.dataplane(step.cluster, this.lbRng.random);
    let trace: TraceResult;
    if (fixed !== undefined) {
      if (this.memo === undefined || !this.memo.isFor(ctx)) {
        this.memo?.release();
        this.memo = new DecisionMemo(ctx, this, this.rt.memoBudget);
      }
      trace = this.memo.next();
    } else trace = this.send(ctx, this.requestFor(id));
    const w = new Walk(this.env, trace, this.client.identity, this);
    w.tag = id;
    // Requests past the kept records are only counted: nothing reads their hop times.
    w.timed = id <= this.recordLimit || !FAST_PATHS || this.world.onRequest !== undefined;
    const timeout = step.timeoutMs ?? (trace.outcome === 'timeout' || mayWaitForConnection(trace) ? NO_ANSWER_TIMEOUT_MS : undefined);
    // Open loop: the next arrival does not wait for this request.
    if (step.rate) sim.postCall(arrivalGap(step.rate, this.arrivalRng), issueHandler, this);
    w.start(timeout);
    return true;
  }

  /** The data plane's decision for the step's one request, when it has no templates (the decision memo asks). */
  decide(ctx: DataplaneContext): TraceResult {
    return this.send(ctx, this.fixed!);
  }

  walkEnded(w: Walk): void {
    this.done++;
    this.env.waits.releaseTree(w.trace);
    const outcome: Outcome = w.clientTimedOut ? 'timeout' : w.routeTimedOut ? 'response' : w.trace.outcome;
    const { from, summary, checker } = this;
    if (w.timed) {
      const record = recordOf(w, from, outcome);
      summary.add(record);
      checker.add(record);
      if (record.id <= this.recordLimit) this.records.push(record);
      this.world.onRequest?.(record);
    } else {
      // Requests past the limit are only counted, by shape: one record per shape, built untimed (nothing reads their hop times).
      let shape = this.shapes.get(w.trace, outcome, w.routeTimedOut);
      if (shape === undefined) {
        // The summary's shape and the per-request checks read the request's own path, decisions
        // and answer, never its calls: a fan-out request's tree of call records is not built here.
        const record = recordOf(w, from, outcome, false);
        shape = this.shapes.set(w.trace, outcome, w.routeTimedOut, { summary: summary.shapeOf(record), met: checker.judge(record) });
      }
      summary.addShaped(shape.summary, latencyOf(w), round3(w.startMs));
      if (shape.met.includes(false)) checker.addJudged(shape.met, () => recordOf(w, from, outcome));
    }
    if (!this.step.rate && !this.finished) this.sim.postCall(0, issueHandler, this); // closed loop: the next request starts when this one ends
    this.maybeFinish();
  }

  maybeFinish(): void {
    if (this.active === 0 && this.done === this.started) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.memo?.release();
    const { step, records } = this;
    const built = this.summary.build();
    records.sort((a, b) => a.id - b.id);
    const failures = this.checker.failures(built);
    const result: StepResult = {
      name: step.name,
      type: 'request',
      passed: failures.length === 0,
      failures,
      startMs: round3(this.startMs),
      endMs: round3(this.sim.now),
      summary: built,
      requests: records,
      ...(this.done > this.recordLimit ? { sampled: true } : {}),
    };
    if (step.explain) {
      const e = explainStep(this.world, result, step.headers);
      if (e) result.explain = e;
    }
    this.onDone(result);
  }
}

/** Runs a request step to completion on its own (nothing else is running). */
export function runRequestStep(world: World, step: RequestStep, records = RECORD_LIMIT): StepResult {
  let result: StepResult | undefined;
  startRequestStep(
    world,
    step,
    (r) => {
      result = r;
      world.sim.stop();
    },
    records,
  );
  if (result === undefined) world.sim.run();
  if (result === undefined) throw new Error(`request step ${step.name}: the simulation ran out of events before its requests completed`);
  return result;
}

function endpointOf(w: WorkloadInfo): Endpoint {
  return { cluster: w.cluster, namespace: w.namespace, pod: w.name, node: w.node, workload: w.workloadName };
}

/**
 * The record of a walked request (or of one of its calls), from its trace and its times;
 * `withCalls` false leaves out the records of the calls its app made.
 */
function callRecord(w: Walk, outcome: Outcome = w.routeTimedOut ? 'response' : w.trace.outcome, withCalls = true): Omit<RequestRecord, 'id' | 'from' | 'startMs'> {
  let trace = w.trace;
  const calls: CallRecord[] = withCalls ? (w.calls ?? []).map((c, i) => ({ startMs: round3(w.callStartMs![i]!), ...callRecord(c) })) : [];
  const to = trace.request;
  if (w.routeTimedOut) trace = { ...trace, outcome: 'response', status: 504, body: 'upstream request timeout', error: 'route timeout (Envoy UT)' };
  // Keys are written in the order of the RunResult format; optional ones only when present.
  const r = {
    latencyMs: latencyOf(w),
    to: trace.service ? { host: to.host, port: to.port, service: `${trace.service.namespace}/${trace.service.name}` } : { host: to.host, port: to.port },
    method: to.method,
    path: to.path,
    outcome,
  } as Omit<RequestRecord, 'id' | 'from' | 'startMs'>;
  if (outcome === 'response') {
    r.status = trace.status;
    r.body = trace.body;
    if (trace.backend) r.backend = endpointOf(trace.backend);
  }
  // Walks that keep no hop times (counted-only requests) give their shared hops.
  r.hops = w.recordedHops();
  r.decisions = trace.decisions;
  if (trace.requestHeaders) r.requestHeaders = trace.requestHeaders;
  if (trace.responseHeaders && Object.keys(trace.responseHeaders).length) r.responseHeaders = trace.responseHeaders;
  if (trace.error) r.error = trace.error;
  if (calls.length) r.calls = calls;
  if (trace.mirrored) r.mirroredTo = trace.mirrored.map(endpointOf);
  return r;
}

function recordOf(w: Walk, from: RequestRecord['from'], outcome: Outcome, withCalls = true): RequestRecord {
  return { id: w.tag, startMs: round3(w.startMs), from, ...callRecord(w, outcome, withCalls) };
}

function latencyOf(w: Walk): number {
  return round3(Number.isNaN(w.endMs) ? 0 : w.latencyMs);
}
