// RunResults the viz tests read: the accounts/finance lab (waypoint, 90/10 split, a 403 at the
// waypoint, a reset at a ztunnel, a cross-cluster call through an east-west gateway), a generated
// 1,000-pod mesh, a 100,000-request step and names full of markup.
import type { Decision, Hop, RequestRecord, RunResult, StepResult } from '../../src/result/types';
import type { Topology, TopologyPod, ViewResult } from '../../viz/src/model';

export const CURL = 'curl-5b8d7-k2j4h';
export const V1 = 'accounts-v1-6f7c9-x2x7q';
export const V2 = 'accounts-v2-7a8b1-p9q2r';
export const WP_POD = 'waypoint-7d9f4-qq2lp';
export const CURL_ID = 'spiffe://cluster.local/ns/finance/sa/curl';
export const WP_ID = 'spiffe://cluster.local/ns/accounts/sa/waypoint';

/** Deterministic [0,1) numbers for generated data. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pod = (name: string, namespace: string, node: string, atMs: number, cluster = 'cluster1'): Hop => ({ kind: 'pod', name, namespace, node, cluster, atMs });
const zt = (node: string, atMs: number, cluster = 'cluster1'): Hop => ({ kind: 'ztunnel', name: `ztunnel-${node}`, node, cluster, protocol: 'HBONE', atMs });
const wp = (atMs: number): Hop => ({ kind: 'waypoint', name: 'waypoint', namespace: 'accounts', pod: WP_POD, node: 'c1-node-b', cluster: 'cluster1', protocol: 'HBONE', atMs });

const from = { cluster: 'cluster1', namespace: 'finance', pod: CURL, node: 'c1-node-a', workload: 'curl', identity: CURL_ID };
const toAccounts = { host: 'accounts.accounts.svc.cluster.local', port: 8080, service: 'accounts/accounts' };

const allowWp: Decision = { at: 'waypoint accounts/waypoint', kind: 'authz', result: 'ALLOW', policy: 'accounts/allow-get', rule: 0, sourceIdentity: CURL_ID };
export const denyWp: Decision = { at: 'waypoint accounts/waypoint', kind: 'authz', result: 'DENY', policy: 'accounts/deny-post', rule: 1, reason: 'denied by accounts/deny-post', sourceIdentity: CURL_ID };
export const denyZt: Decision = { at: 'ztunnel-c1-node-c', kind: 'authz', result: 'DENY', policy: 'ledger/ledger-l4', rule: 0, reason: 'allow policies exist, but none allowed', sourceIdentity: CURL_ID };

/** GET through ztunnel → waypoint → ztunnel, answered by v1 (90%) or v2 (10%). */
export function splitRequest(id: number, startMs: number, toV2: boolean, latencyMs = 1.2): RequestRecord {
  const backendPod = toV2 ? V2 : V1;
  const node = toV2 ? 'c1-node-c' : 'c1-node-b';
  return {
    id, startMs, latencyMs, from, to: toAccounts, method: 'GET', path: '/balance', outcome: 'response', status: 200,
    body: `${toV2 ? 'v2' : 'v1'} ok\n`,
    backend: { cluster: 'cluster1', namespace: 'accounts', pod: backendPod, node, workload: toV2 ? 'accounts-v2' : 'accounts-v1' },
    hops: [pod(CURL, 'finance', 'c1-node-a', 0), zt('c1-node-a', 0.1), wp(0.3), zt(node, 0.5), pod(backendPod, 'accounts', node, 0.6)],
    decisions: [
      allowWp,
      { at: 'waypoint accounts/waypoint', kind: 'route', result: toV2 ? 'accounts-v2' : 'accounts-v1', policy: 'accounts/accounts-split', rule: 0 },
      { at: `ztunnel-${node}`, kind: 'authz', result: 'ALLOW', policy: null, reason: 'no allow policies', sourceIdentity: WP_ID },
    ],
  };
}

export function deniedRequest(id: number, startMs: number): RequestRecord {
  return {
    id, startMs, latencyMs: 0.7, from, to: toAccounts, method: 'POST', path: '/transfer', outcome: 'response', status: 403,
    body: 'RBAC: access denied', error: 'RBAC: access denied',
    hops: [pod(CURL, 'finance', 'c1-node-a', 0), zt('c1-node-a', 0.1), wp(0.3)],
    decisions: [denyWp],
  };
}

export function resetRequest(id: number, startMs: number): RequestRecord {
  return {
    id, startMs, latencyMs: 0.4, from, to: { host: 'ledger.ledger.svc.cluster.local', port: 80, service: 'ledger/ledger' }, method: 'GET', path: '/', outcome: 'reset',
    error: 'connection reset by ztunnel-c1-node-c',
    hops: [pod(CURL, 'finance', 'c1-node-a', 0), zt('c1-node-a', 0.1), zt('c1-node-c', 0.3)],
    decisions: [denyZt],
  };
}

export function crossClusterRequest(id: number, startMs: number): RequestRecord {
  return {
    id, startMs, latencyMs: 3.1, from, to: { host: 'reports.reports.svc.cluster.local', port: 80, service: 'reports/reports' }, method: 'GET', path: '/q3', outcome: 'response', status: 200,
    backend: { cluster: 'cluster2', namespace: 'reports', pod: 'reports-5c6d7-abcde', node: 'c2-node-a', workload: 'reports' },
    hops: [
      pod(CURL, 'finance', 'c1-node-a', 0), zt('c1-node-a', 0.1),
      { kind: 'eastwest-gateway', name: 'istio-eastwestgateway', namespace: 'istio-system', pod: 'istio-eastwestgateway-6b5c4-zz9yy', node: 'c2-node-b', cluster: 'cluster2', protocol: 'double-HBONE', atMs: 1.4 },
      zt('c2-node-a', 1.6, 'cluster2'), pod('reports-5c6d7-abcde', 'reports', 'c2-node-a', 1.7, 'cluster2'),
    ],
    decisions: [{ at: 'ztunnel-c2-node-a', kind: 'authz', result: 'ALLOW', policy: null, reason: 'no allow policies', sourceIdentity: CURL_ID }],
  };
}

function summarize(requests: RequestRecord[], count = requests.length): NonNullable<StepResult['summary']> {
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const backends: Record<string, number> = {};
  const scale = count / requests.length;
  for (const r of requests) {
    if (r.status !== undefined) statuses[r.status] = (statuses[r.status] ?? 0) + scale;
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + scale;
    if (r.backend) backends[`${r.backend.namespace}/${r.backend.pod}`] = (backends[`${r.backend.namespace}/${r.backend.pod}`] ?? 0) + scale;
  }
  const lat = requests.map((r) => r.latencyMs).sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  return { count, statuses, outcomes, backends, latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: lat[lat.length - 1]! }, paths: [] };
}

export function requestStep(name: string, requests: RequestRecord[], extra: Partial<StepResult> = {}): StepResult {
  const startMs = requests[0]?.startMs ?? 0;
  return { name, type: 'request', passed: true, failures: [], startMs, endMs: startMs + 50, summary: summarize(requests), requests, ...extra };
}

/** The lab: run step, apply, a 100-request 90/10 split, a denied POST, a reset, a cross-cluster GET. */
export function labRun(): RunResult {
  const rnd = lcg(7);
  const split = Array.from({ length: 100 }, (_, i) => splitRequest(i + 1, 1000 + i * 20, i % 10 === 9, 0.8 + rnd() * 1.5));
  return {
    apiVersion: 'meshsim.dev/v1alpha1', kind: 'RunResult', scenario: 'accounts-finance', seed: 7, passed: false,
    steps: [
      { name: 'waypoint for accounts', type: 'run', passed: true, failures: [], stdout: '✅ waypoint accounts/waypoint applied\n✅ namespace accounts labeled with "istio.io/use-waypoint: waypoint"\n', stderr: '', exitCode: 0 },
      { name: 'split 90/10', type: 'apply', passed: true, failures: [], changes: ['httproute.gateway.networking.k8s.io/accounts-split created'] },
      requestStep('GET from finance', split),
      requestStep('POST is denied', [deniedRequest(1, 4000)], { passed: false, failures: ['expected status 200, got 403 ×1'] }),
      requestStep('ledger resets', [resetRequest(1, 5000)]),
      requestStep('reports across clusters', [crossClusterRequest(1, 6000)]),
      { name: 'lab exec', type: 'run', passed: false, failures: ['expected exit code 0, got 56'], stdout: '', stderr: 'curl: (56) Recv failure: Connection reset by peer\ncommand terminated with exit code 56\n', exitCode: 56 },
    ],
  };
}

/** A mesh of `pods` app pods (10 namespaces × workloads × replicas over 2 clusters) with a topology and a step hitting many of them. */
export function bigRun(pods = 1000, shape: { namespaces: number; nodes: number; requests?: number } = { namespaces: 10, nodes: 10 }): ViewResult {
  const rnd = lcg(42);
  const clusters: Topology['clusters'] = ['east', 'west'].map((c) => ({
    name: c, network: `net-${c}`,
    nodes: Array.from({ length: shape.nodes }, (_, n) => ({ name: `${c}-node-${n}`, zone: `${c}-z${n % 3}`, pods: [
      { name: `ztunnel-${c}${n}`, namespace: 'istio-system', workload: 'ztunnel', enrollment: 'none', role: 'ztunnel' } as TopologyPod,
    ] })),
  }));
  const apps: { cluster: string; node: string; pod: TopologyPod }[] = [];
  for (let i = 0; i < pods; i++) {
    const ns = `ns-${i % shape.namespaces}`;
    const wl = `svc-${Math.floor(i / 10) % 10}`;
    // Replicas alternate clusters and pair up on nodes, so folding by workload saves boxes.
    const replica = Math.floor(i / 100);
    const c = clusters[replica % 2]!;
    const node = c.nodes[(Math.floor(replica / 4) + Math.floor(i / 10)) % shape.nodes]!;
    const p: TopologyPod = { name: `${wl}-${(i * 7919).toString(36).padStart(5, 'x').slice(-5)}-${i.toString(36).padStart(5, 'a')}`, namespace: ns, workload: wl, enrollment: i % 10 === 3 ? 'sidecar' : i % 10 === 9 ? 'none' : 'ambient', role: 'app' };
    node.pods.push(p);
    apps.push({ cluster: c.name, node: node.name, pod: p });
  }
  for (const c of clusters) c.nodes[0]!.pods.push({ name: `waypoint-${c.name}-abcde`, namespace: 'ns-0', workload: 'waypoint', enrollment: 'ambient', role: 'waypoint' });
  const topology: Topology = { clusters, waypointBindings: clusters.map((c) => ({ cluster: c.name, service: 'ns-0/svc-0', waypoint: 'ns-0/waypoint' })) };
  const requests: RequestRecord[] = Array.from({ length: shape.requests ?? 300 }, (_, i) => {
    const a = apps[Math.floor(rnd() * apps.length)]!;
    const b = apps[Math.floor(rnd() * apps.length)]!;
    return {
      id: i + 1, startMs: i * 3, latencyMs: 0.5 + rnd() * 4,
      from: { cluster: a.cluster, namespace: a.pod.namespace, pod: a.pod.name, node: a.node, identity: `spiffe://cluster.local/ns/${a.pod.namespace}/sa/default` },
      to: { host: `${b.pod.workload}.${b.pod.namespace}.svc.cluster.local`, port: 80, service: `${b.pod.namespace}/${b.pod.workload}` },
      method: 'GET', path: '/', outcome: 'response', status: 200,
      backend: { cluster: b.cluster, namespace: b.pod.namespace, pod: b.pod.name, node: b.node, workload: b.pod.workload },
      hops: [pod(a.pod.name, a.pod.namespace, a.node, 0, a.cluster), zt(a.node, 0.1, a.cluster), zt(b.node, 0.3, b.cluster), pod(b.pod.name, b.pod.namespace, b.node, 0.4, b.cluster)],
      decisions: [],
    };
  });
  return {
    apiVersion: 'meshsim.dev/v1alpha1', kind: 'RunResult', scenario: `mesh-${pods}`, seed: 42, passed: true, topology,
    steps: [requestStep('mesh-wide traffic', requests)],
  };
}

/** One step of `total` requests of which the first 1,000 are kept, as the runner records long runs. */
export function longRun(total = 100_000): RunResult {
  const rnd = lcg(3);
  const kept = Array.from({ length: 1000 }, (_, i) => (i % 50 === 49 ? deniedRequest(i + 1, i * 2) : splitRequest(i + 1, i * 2, rnd() < 0.1, 0.5 + -Math.log(1 - rnd()) * 1.2)));
  const step = requestStep('soak', kept, { sampled: true, startMs: 0, endMs: total * 2 });
  step.summary = { ...summarize(kept, total), throughputRps: 500 };
  return { apiVersion: 'meshsim.dev/v1alpha1', kind: 'RunResult', scenario: 'soak', seed: 3, passed: true, steps: [step] };
}

/** Markup in every name a scenario controls. */
export const XSS = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;

export function xssRun(): RunResult {
  const r = splitRequest(1, 0, false);
  const evil: RequestRecord = {
    ...r,
    path: `/${XSS}`,
    body: XSS,
    error: XSS,
    hops: r.hops.map((h) => ({ ...h, name: `${h.name}${XSS}`, namespace: h.namespace ? `${h.namespace}${XSS}` : undefined })),
    decisions: [{ ...denyWp, at: `waypoint accounts${XSS}/waypoint${XSS}`, policy: XSS, reason: XSS }],
  };
  return {
    apiVersion: 'meshsim.dev/v1alpha1', kind: 'RunResult', scenario: `${XSS}</script><!--`, seed: 1, passed: false,
    steps: [
      { name: XSS, type: 'run', passed: false, failures: [XSS], stdout: XSS, stderr: `</script>${XSS}`, exitCode: 1 },
      requestStep(`step ${XSS}`, [evil], { failures: [XSS, '\u2028line\u2029sep'] }),
    ],
  };
}
