// Hand-built RunResults for the report tests: a finance → accounts path through a waypoint, with
// the variations the writers must handle (denials, nested calls, skipped and failed steps).
import type { CallRecord, Decision, Hop, RequestRecord, RunResult, StepResult } from '../../src/result/types';

export const CURL_POD = 'curl-5b8d7-k2j4h';
export const ACCOUNTS_POD = 'accounts-6f7c9-x2x7q';
export const WAYPOINT_POD = 'waypoint-7d9f-qq2lp';
export const CURL_ID = 'spiffe://cluster.local/ns/finance/sa/curl';
export const WAYPOINT_ID = 'spiffe://cluster.local/ns/accounts/sa/waypoint';

export const hops = {
  curl: (atMs = 0): Hop => ({ kind: 'pod', name: CURL_POD, namespace: 'finance', node: 'c1-node-a', cluster: 'cluster1', atMs }),
  ztunnelA: (atMs: number): Hop => ({ kind: 'ztunnel', name: 'ztunnel-c1-node-a', node: 'c1-node-a', cluster: 'cluster1', protocol: 'HBONE', atMs }),
  waypoint: (atMs: number): Hop => ({ kind: 'waypoint', name: 'waypoint', namespace: 'accounts', pod: WAYPOINT_POD, node: 'c1-node-b', cluster: 'cluster1', protocol: 'HBONE', atMs }),
  ztunnelB: (atMs: number): Hop => ({ kind: 'ztunnel', name: 'ztunnel-c1-node-b', node: 'c1-node-b', cluster: 'cluster1', protocol: 'HBONE', atMs }),
  accounts: (atMs: number): Hop => ({ kind: 'pod', name: ACCOUNTS_POD, namespace: 'accounts', node: 'c1-node-b', cluster: 'cluster1', atMs }),
};

export const allowAtWaypoint: Decision = { at: 'waypoint accounts/waypoint', kind: 'authz', result: 'ALLOW', policy: 'accounts/allow-get-only', rule: 0, sourceIdentity: CURL_ID };
export const denyAtWaypoint: Decision = { at: 'waypoint accounts/waypoint', kind: 'authz', result: 'DENY', policy: 'accounts/deny-post', rule: 0, reason: 'denied by accounts/deny-post', sourceIdentity: CURL_ID };
export const allowAtZtunnelB: Decision = { at: 'ztunnel-c1-node-b', kind: 'authz', result: 'ALLOW', policy: null, rule: null, reason: 'no allow policies', sourceIdentity: WAYPOINT_ID };

/** GET through ztunnel → waypoint → ztunnel, answered 200 by accounts after 1.5 ms. */
export function okRequest(id: number, startMs: number, extra: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id,
    startMs,
    latencyMs: 1.5,
    from: { cluster: 'cluster1', namespace: 'finance', pod: CURL_POD, node: 'c1-node-a', identity: CURL_ID },
    to: { host: 'accounts.accounts.svc.cluster.local', port: 8080, service: 'accounts/accounts' },
    method: 'GET',
    path: '/',
    outcome: 'response',
    status: 200,
    body: 'accounts-cluster-1\n',
    backend: { cluster: 'cluster1', namespace: 'accounts', pod: ACCOUNTS_POD, node: 'c1-node-b' },
    hops: [hops.curl(), hops.ztunnelA(0.1), hops.waypoint(0.3), hops.ztunnelB(0.5), hops.accounts(0.6)],
    decisions: [allowAtWaypoint, allowAtZtunnelB],
    ...extra,
  };
}

/** POST denied by the waypoint: 403 from the waypoint itself. */
export function deniedRequest(id: number, startMs: number): RequestRecord {
  const { backend: _b, ...ok } = okRequest(id, startMs);
  return {
    ...ok,
    method: 'POST',
    latencyMs: 0.8,
    status: 403,
    body: 'RBAC: access denied',
    error: 'RBAC: access denied',
    hops: [hops.curl(), hops.ztunnelA(0.1), hops.waypoint(0.3)],
    decisions: [denyAtWaypoint],
  };
}

/** accounts calling ledger while it answers (ledger on the same node, no waypoint). */
export function ledgerCall(startMs: number): CallRecord {
  return {
    startMs,
    latencyMs: 0.4,
    to: { host: 'ledger.accounts.svc.cluster.local', port: 80, service: 'accounts/ledger' },
    method: 'GET',
    path: '/balance',
    outcome: 'response',
    status: 200,
    body: '42',
    backend: { cluster: 'cluster1', namespace: 'accounts', pod: 'ledger-0', node: 'c1-node-b' },
    hops: [
      { kind: 'pod', name: ACCOUNTS_POD, namespace: 'accounts', node: 'c1-node-b', cluster: 'cluster1', atMs: 0 },
      { kind: 'ztunnel', name: 'ztunnel-c1-node-b', node: 'c1-node-b', cluster: 'cluster1', protocol: 'HBONE', atMs: 0.05 },
      { kind: 'ztunnel', name: 'ztunnel-c1-node-b', node: 'c1-node-b', cluster: 'cluster1', protocol: 'HBONE', atMs: 0.1 },
      { kind: 'pod', name: 'ledger-0', namespace: 'accounts', node: 'c1-node-b', cluster: 'cluster1', atMs: 0.15 },
    ],
    decisions: [{ at: 'ztunnel-c1-node-b', kind: 'authz', result: 'ALLOW', policy: 'accounts/ledger-allow', rule: 0, sourceIdentity: 'spiffe://cluster.local/ns/accounts/sa/accounts' }],
  };
}

export function requestStep(name: string, requests: RequestRecord[], extra: Partial<StepResult> = {}): StepResult {
  const statuses: Record<string, number> = {};
  for (const r of requests) statuses[String(r.status ?? r.outcome)] = (statuses[String(r.status ?? r.outcome)] ?? 0) + 1;
  const startMs = requests[0]?.startMs ?? 0;
  return {
    name,
    type: 'request',
    passed: true,
    failures: [],
    startMs,
    endMs: startMs + 20,
    summary: {
      count: requests.length,
      statuses,
      outcomes: { response: requests.length },
      latencyMs: { p50: 0.9, p90: 1.3, p99: 2.1, max: 2.4 },
      paths: [{ via: ['ztunnel', 'waypoint', 'ztunnel'], count: requests.length }],
      backends: {},
    },
    requests,
    ...extra,
  };
}

export function runStep(name: string, extra: Partial<StepResult> = {}): StepResult {
  return { name, type: 'run', passed: true, failures: [], startMs: 0, endMs: 1250, stdout: '✅ waypoint accounts/waypoint applied\n', stderr: '', exitCode: 0, ...extra };
}

export function runResult(scenario: string, steps: StepResult[], seed = 7): RunResult {
  return { apiVersion: 'meshsim.dev/v1alpha1', kind: 'RunResult', scenario, seed, passed: steps.every((s) => s.passed), steps };
}

/** Names a report must survive: markup, entities, quotes, control characters, astral-plane unicode. */
export const NASTY = `<script>alert("x & 'y'")</script> ]]> \u0001\u000B\uFFFE é 🚀`;

/** The accounts-finance run most tests read. */
export function labRun(): RunResult {
  // The app's call (0.4 ms) adds to the round trip.
  const withCall = okRequest(3, 1002, { latencyMs: 1.9, calls: [ledgerCall(0.7)] });
  return runResult('accounts-finance', [
    runStep('waypoint for accounts'),
    requestStep('GET from finance', [okRequest(1, 1000), okRequest(2, 1001), withCall], { startMs: 1000, endMs: 1020 }),
    requestStep('POST is denied', [deniedRequest(1, 2000)], { startMs: 2000, endMs: 2001, passed: false, failures: ['expected status 200, got 403 ×1', 'expected via [ztunnel, waypoint, ztunnel], got [ztunnel, waypoint]'] }),
    { name: 'apply a policy', type: 'apply', passed: true, failures: [], startMs: 2001, endMs: 2001, changes: ['authorizationpolicy.security.istio.io/deny-post created'] },
    runStep('lab exec', { changes: ['skipped (--no-exec)'], stdout: '', startMs: 2001, endMs: 2001 }),
  ]);
}
