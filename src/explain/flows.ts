// Traffic for explain and diff: flows (who calls what, how), sent one at a time through the data
// path of a World with a random stream seeded per flow, so two variants of a mesh see the same
// draws for the same flow and differ only where their configuration does.
import seedrandom from 'seedrandom';
import type { WorkloadInfo } from '../control/model';
import { sendRequest } from '../dataplane/request';
import type { TraceResult } from '../dataplane/trace';
import type { RequestRecord } from '../result/types';
import type { Scenario, Step } from '../scenario';
import type { World } from '../run/world';
import type { MeshState } from './state';

export interface Flow {
  cluster: string;
  /** `namespace/workload` (Deployment... or Pod name). */
  from: string;
  url: string;
  method: string;
  headers: Record<string, string>;
}

export const flowKey = (f: Flow) => `${f.cluster} ${f.from} ${f.method} ${f.url}${Object.keys(f.headers).length ? ` ${JSON.stringify(f.headers)}` : ''}`;

export function meshStateOf(world: World): MeshState {
  return { view: (c) => world.view(c), cluster: (c) => world.cluster(c), nowMs: world.scenario.startTime + world.now };
}

function requestSteps(steps: readonly Step[]): Extract<Step, { type: 'request' }>[] {
  return steps.flatMap((s) => (s.type === 'request' ? [s] : s.type === 'parallel' ? requestSteps(s.steps) : []));
}

/** The flows of a scenario's request steps (URL targets; `from: external` cannot be probed). */
export function flowsOfSteps(s: Scenario): Flow[] {
  const out: Flow[] = [];
  for (const step of requestSteps(s.steps)) {
    if (step.from.kind === 'external' || step.target.kind !== 'url') continue;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.headers)) headers[k.toLowerCase()] = v;
    out.push({ cluster: step.cluster, from: `${step.from.namespace}/${step.from.name}`, url: step.target.url, method: step.method, headers });
  }
  return out;
}

/** Every client workload × every Service port × each method, in every cluster (system namespaces, the API server and waypoints left out). */
export function probeFlows(world: World, methods: readonly string[]): Flow[] {
  const out: Flow[] = [];
  for (const cluster of world.clusters.keys()) {
    const view = world.view(cluster);
    const system = (ns: string) => ns === view.config.rootNamespace || ns.startsWith('kube-');
    // The API server's Service is not mesh traffic.
    const apiServer = (s: { namespace: string; name: string }) => s.namespace === 'default' && s.name === 'kubernetes';
    const waypointSvcs = new Set(view.waypointServices.values());
    const clients = [...view.workloadsByOwner.entries()].filter(([, ws]) => ws[0]!.role === 'app' && !system(ws[0]!.namespace)).map(([k]) => k).sort();
    const services = view.services.filter((s) => s.cluster === cluster && !system(s.namespace) && !apiServer(s) && !waypointSvcs.has(s) && s.vips.length > 0).sort((a, b) => (a.hostname < b.hostname ? -1 : 1));
    for (const from of clients) for (const svc of services) for (const p of svc.ports) for (const method of methods) out.push({ cluster, from, url: `http://${svc.hostname}:${p.port}/`, method, headers: {} });
  }
  return out;
}

function clientOf(world: World, f: Flow): WorkloadInfo | undefined {
  const view = world.view(f.cluster);
  return view.workloadsByOwner.get(f.from)?.[0] ?? view.workloadByPod.get(f.from);
}

function recordOf(t: TraceResult, client: WorkloadInfo): RequestRecord {
  const b = t.backend;
  return {
    id: 1,
    startMs: 0,
    latencyMs: 0,
    from: { cluster: client.cluster, namespace: client.namespace, pod: client.name, node: client.node, workload: client.workloadName, identity: client.mode === 'none' ? null : client.identity, ip: client.ip },
    to: { host: t.request.host, port: t.request.port, ...(t.service ? { service: `${t.service.namespace}/${t.service.name}` } : {}) },
    method: t.request.method,
    path: t.request.path,
    outcome: t.outcome,
    ...(t.outcome === 'response' ? { status: t.status, body: t.body } : {}),
    ...(b && t.outcome === 'response' ? { backend: { cluster: b.cluster, namespace: b.namespace, pod: b.name, node: b.node, workload: b.workloadName } } : {}),
    hops: t.hops,
    decisions: t.decisions,
    ...(t.error ? { error: t.error } : {}),
  };
}

/** Sends one flow through `world` as it is now; a string says why it could not be sent. */
export function sendFlow(world: World, f: Flow, seed: number): RequestRecord | string {
  const client = clientOf(world, f);
  if (!client) return `no running pod of ${f.from} in cluster ${f.cluster}`;
  let url: URL;
  try {
    url = new URL(f.url);
  } catch {
    return `not a URL: ${f.url}`;
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const rng = seedrandom(`${seed}|${flowKey(f)}`);
  const trace = sendRequest(world.dataplane(f.cluster, () => rng()), {
    client,
    dialHost: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    method: f.method,
    path: `${url.pathname}${url.search}`,
    headers: f.headers,
  });
  return recordOf(trace, client);
}
