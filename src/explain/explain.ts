// The per-hop walkthrough of one request: for each hop, what it knew, every policy it applied with
// its verdict and why, the route it chose and why earlier routes did not match, and what would
// change the outcome. Pure: reads the record and the mesh state the request ran in.
import { explainWaypointPolicies, explainZtunnelPolicies, type PolicyExplanation } from '../authz/explain';
import { waypointPoliciesFor, ztunnelPoliciesFor } from '../authz';
import type { WorkloadInfo } from '../control/model';
import { EXTERNAL_CLIENT_NAME } from '../dataplane/ingress';
import { portProtocol } from '../dataplane/waypoint';
import { routeHttp } from '../routing';
import type { Decision, RequestRecord } from '../result/types';
import { authzFixes, bindWaypointFix, unenforcedTargetPolicies } from './fixes';
import { addressedService, destinationOf, observedAtWaypoint, podOf, targetPortOf, type Sender } from './observe';
import { segmentsOf, type Segment } from './segments';
import { DEFAULT_NOW_MS, indexesFor, type MeshState } from './state';
import type { ExplainedHop, FailedAttempt, Observed, RouteStep } from './types';

export interface ExplainOptions {
  /** Headers the client sent (lower-case names); the record keeps only those the app received. */
  headers?: Record<string, string>;
}

const principalOf = (identity: string | null | undefined) => (identity ? identity.replace(/^spiffe:\/\//, '') : undefined);
const authzOf = (ds: readonly Decision[]) => ds.filter((d) => d.kind === 'authz' || d.kind === 'authn' || d.kind === 'peer-authn').find((d) => !d.detail?.['dryRun'] && d.result !== 'AUDIT');

function authorityOf(r: RequestRecord, headers: Record<string, string> | undefined): string {
  return headers?.['host'] ?? (r.to.port === 80 ? r.to.host : `${r.to.host}:${r.to.port}`);
}

function serviceRef(w: WorkloadInfo | undefined): string | undefined {
  return w ? `${w.namespace}/${w.name}` : undefined;
}

/** The destination ztunnel: its policies for the pod, evaluated on the connection it saw. */
function inboundZtunnel(state: MeshState, r: RequestRecord, seg: Segment, next: Segment | undefined, sender: Sender, picks: Decision[]): Partial<ExplainedHop> {
  const idx = indexesFor(state, seg.hop.cluster ?? r.from.cluster);
  const dst = destinationOf(idx.view, r, seg.hop, next?.hop, picks);
  const decision = authzOf(seg.decisions);
  const plaintext = seg.hop.protocol === 'TCP';
  const identity = plaintext ? null : decision?.sourceIdentity !== undefined ? decision.sourceIdentity : sender.identity;
  const port = dst ? targetPortOf(idx.view, r, dst) : r.to.port;
  const observed: Observed = { sourceIdentity: identity, sourceIp: sender.ip, ...(dst ? { destination: dst.ip, workload: serviceRef(dst) } : {}), port };
  if (!dst) return { observed, notes: ['the destination pod could not be identified from the record; policies not re-evaluated'] };
  const wp = dst.waypoint;
  const set = ztunnelPoliciesFor(idx.authz, {
    namespace: dst.namespace,
    labels: dst.labels,
    ...(wp ? { waypoint: { namespace: wp.namespace, name: wp.name, serviceAccounts: [wp.gateway.metadata.annotations?.['gateway.istio.io/service-account'] ?? wp.name] } } : {}),
  });
  const policies = explainZtunnelPolicies(set, { srcIdentity: identity, srcIp: sender.ip, dstIp: dst.ip, dstPort: port });
  const fixes = authzFixes(decision, policies, 'ztunnel', dst.namespace, principalOf(identity));
  const notes: string[] = [];
  if (sender.waypoint && decision?.result === 'DENY') {
    notes.push(`behind a waypoint the destination ztunnel sees the waypoint's identity ${identity ?? ''}, not the client's ${r.from.identity ?? '(none)'}; client identity checks belong in a targetRef policy on the waypoint`);
  }
  return { observed, policies, fixes, ...(notes.length ? { notes } : {}) };
}

function routeSteps(state: MeshState, r: RequestRecord, seg: Segment, headers: Record<string, string>): RouteStep[] | undefined {
  const chosen = seg.decisions.filter((d) => d.kind === 'route');
  if (chosen.length === 0 || !r.to.service) return undefined;
  const idx = indexesFor(state, seg.hop.cluster ?? r.from.cluster);
  const [namespace, service] = r.to.service.split('/') as [string, string];
  // Re-run with explain on: only the why-not decisions are taken; chance plays no part in them.
  const again = routeHttp(idx.routes, { namespace, service, port: r.to.port }, { method: r.method, path: r.path, authority: authorityOf(r, headers), headers, srcIp: r.from.ip }, () => 0, { at: seg.proxy, explain: true });
  const skipped = again.decisions.filter((d) => d.result === 'no-match').map((d): RouteStep => ({ route: String(d.detail?.['route'] ?? d.policy), matched: false, why: d.reason ?? '' }));
  // The no-route verdict itself is not a route: the hop's verdict reports it.
  const taken = chosen.filter((d) => d.result !== 'no-match' && d.result !== 'no-route').map((d): RouteStep => ({ route: d.policy ? `${d.policy}${d.rule !== null && d.rule !== undefined ? ` rule ${d.rule}` : ''}` : '(default)', matched: true, why: d.reason ?? d.result }));
  return [...skipped, ...taken];
}

function waypointHop(state: MeshState, r: RequestRecord, seg: Segment, sender: Sender, opts: ExplainOptions): Partial<ExplainedHop> {
  const idx = indexesFor(state, seg.hop.cluster ?? r.from.cluster);
  const svc = addressedService(idx.view, r);
  const decision = authzOf(seg.decisions);
  const observed = observedAtWaypoint(idx.view, r, sender, decision);
  const headers = { ...(opts.headers ?? {}), host: authorityOf(r, opts.headers) };
  const set = waypointPoliciesFor(idx.authz, {
    waypoint: { namespace: seg.hop.namespace ?? '', name: seg.hop.name },
    ...(svc ? { service: { kind: svc.source.kind, namespace: svc.namespace, name: svc.name } } : {}),
  });
  const policies = explainWaypointPolicies(
    set,
    { srcIdentity: observed.sourceIdentity, srcIp: observed.sourceIp ?? '', dstIp: observed.destination ?? '', dstPort: r.to.port, host: authorityOf(r, opts.headers), method: r.method, path: r.path, headers, protocol: portProtocol(svc, r.to.port) },
    { policies: idx.policies, trustDomain: idx.view.config.trustDomain, nowMs: state.nowMs ?? DEFAULT_NOW_MS },
  );
  const fixes = authzFixes(decision, policies, 'waypoint', seg.hop.namespace ?? '', principalOf(observed.sourceIdentity));
  const routes = routeSteps(state, r, seg, headers);
  if (seg.decisions.some((d) => d.kind === 'route' && d.result === 'no-route')) {
    fixes.push(`add a route rule matching ${r.method} ${r.path} for ${r.to.service ?? r.to.host}:${r.to.port}, or widen an existing match`);
  }
  return { observed, policies, fixes, ...(routes ? { routes } : {}) };
}

function verdictOf(r: RequestRecord, seg: Segment, last: boolean): string {
  const d = seg.decisions;
  const deny = authzOf(d);
  if (seg.role === 'client') return `${r.method} http://${r.to.host}:${r.to.port}${r.path}`;
  if (seg.role === 'destination') {
    // meshsim has no model of a server outside the cluster: it stands in with one naming itself.
    const who = seg.hop.kind === 'external' ? 'the server outside the cluster (a stand-in)' : 'the app';
    return r.outcome === 'response' && r.status !== undefined ? `${who} answered ${r.status}` : `reached ${who} (${r.outcome})`;
  }
  const parts: string[] = [];
  if (deny) parts.push(`${deny.kind} ${deny.result}${deny.policy ? ` by ${deny.policy}${deny.rule !== null && deny.rule !== undefined ? ` rule ${deny.rule}` : ''}` : ''}${deny.reason ? ` (${deny.reason})` : ''}`);
  for (const x of d) if (x.kind === 'waypoint-binding') parts.push(`sent to waypoint ${x.result}: ${x.reason ?? ''}`.trim());
  for (const x of d) if (x.kind === 'route') parts.push(`route ${x.result}${x.policy ? ` ${x.policy}` : ''}${x.reason ? ` (${x.reason})` : ''}`);
  const pick = [...d].reverse().find((x) => x.kind === 'load-balance');
  if (pick) parts.push(`picked ${pick.result}`);
  if (seg.role === 'gateway') {
    const source = r.from.pod === EXTERNAL_CLIENT_NAME ? 'from outside the mesh' : 'from inside the mesh, as it routes outside traffic';
    parts.push(seg.hop.kind === 'eastwest-gateway' ? 'forwarded the inner HBONE stream to a local endpoint' : `routed the request ${source}`);
  }
  if (seg.role === 'sidecar') {
    // A sidecar either sends its own pod's request (straight to the destination pod: sidecars bypass waypoints) or terminates HBONE for its pod.
    parts.push(seg.hop.pod === r.from.pod && seg.index === 1 ? "the client's sidecar sent the request straight to the destination pod (sidecars do not use waypoints)" : "the destination pod's sidecar terminated the connection");
  }
  if (last && r.error) parts.push(r.error);
  return parts.join('; ') || 'passed the request on';
}

function attemptsOf(state: MeshState, r: RequestRecord, seg: Segment, sender: Sender): FailedAttempt[] | undefined {
  if (seg.attempts.length === 0) return undefined;
  return seg.attempts.map((a) => {
    const pick = a.decisions.find((d) => d.kind === 'load-balance');
    const deny = a.decisions.find((d) => d.kind === 'authz' && d.at !== a.at);
    const attempt: FailedAttempt = { endpoint: pick?.result ?? '?', decisions: a.decisions };
    if (!deny || !pick) return attempt;
    const cluster = /^(\S+) via east-west gateway$/.exec(pick.result)?.[1] ?? seg.hop.cluster ?? r.from.cluster;
    const node = deny.at.replace(/^ztunnel-/, '');
    const hop = { kind: 'ztunnel' as const, name: deny.at, node, cluster, protocol: 'HBONE' as const };
    const inner = inboundZtunnel(state, r, { index: -1, hop, role: 'inbound', proxy: deny.at, decisions: [deny], attempts: [] }, undefined, sender, [pick]);
    return { ...attempt, at: deny.at, ...(inner.observed ? { observed: inner.observed } : {}), ...(inner.policies ? { policies: inner.policies } : {}) };
  });
}

/** The walkthrough of `r` in `state` (the state it ran in). */
export function explainRequest(r: RequestRecord, state: MeshState, opts: ExplainOptions = {}): ExplainedHop[] {
  const segments = segmentsOf(r);
  const clientView = state.view(r.from.cluster);
  let sender: Sender = { identity: r.from.identity, ip: r.from.ip ?? clientView.workloadByPod.get(`${r.from.namespace}/${r.from.pod}`)?.ip ?? '' };
  const picks: Decision[] = [];
  return segments.map((seg, i): ExplainedHop => {
    const last = i === segments.length - 1;
    let extra: Partial<ExplainedHop> = {};
    const base = { index: seg.index, kind: seg.hop.kind, role: seg.role, ...(seg.hop.cluster ? { cluster: seg.hop.cluster } : {}), ...(seg.proxy ? { proxy: seg.proxy } : {}) };
    if (seg.role === 'client') extra = { observed: { sourceIdentity: r.from.identity, sourceIp: sender.ip, destination: r.to.host, port: r.to.port } };
    else if (seg.role === 'outbound') {
      const idx = indexesFor(state, seg.hop.cluster ?? r.from.cluster);
      const svc = addressedService(idx.view, r);
      const unenforced = svc ? unenforcedTargetPolicies(idx.policies, svc) : [];
      extra = {
        observed: { sourceIdentity: sender.identity, sourceIp: sender.ip, destination: svc?.vips[0] ?? r.to.host, port: r.to.port, ...(r.to.service ? { service: r.to.service } : {}) },
        ...(unenforced.length && svc
          ? { notes: [`${unenforced.join(', ')} ${unenforced.length === 1 ? 'targets' : 'target'} ${svc.source.kind} ${svc.namespace}/${svc.name}, which is not bound to a waypoint: enforced nowhere`], fixes: [bindWaypointFix(idx.view, svc)] }
          : {}),
      };
    } else if (seg.role === 'waypoint') {
      extra = waypointHop(state, r, seg, sender, opts);
      // Upstream, the waypoint opens its own HBONE connection with its own identity and pod IP.
      const wpPod = podOf(indexesFor(state, seg.hop.cluster ?? r.from.cluster).view, seg.hop);
      if (wpPod) sender = { identity: wpPod.identity, ip: wpPod.ip, waypoint: wpPod };
      extra.attempts = attemptsOf(state, r, seg, sender);
    } else if (seg.role === 'gateway') {
      const view = state.view(seg.hop.cluster ?? r.from.cluster);
      const gw = podOf(view, seg.hop);
      if (seg.hop.kind === 'ingress-gateway') {
        // Outside ztunnel's capture: plaintext on its listener port, no peer identity; upstream it
        // opens HBONE connections of its own.
        extra = { observed: { sourceIdentity: null, sourceIp: sender.ip, port: gw ? targetPortOf(view, r, gw) : r.to.port } };
        if (gw) sender = { identity: gw.identity, ip: gw.ip };
      } else {
        // An east-west gateway passes the inner HBONE stream on: the destination sees the client.
        extra = { observed: { sourceIdentity: sender.identity, sourceIp: sender.ip, port: 15008 } };
        if (gw) sender = { ...sender, ip: gw.ip };
      }
    } else if (seg.role === 'inbound') extra = inboundZtunnel(state, r, seg, segments[i + 1], sender, picks);
    picks.push(...seg.decisions.filter((d) => d.kind === 'load-balance'));
    const name = seg.role === 'inbound' || seg.role === 'outbound' ? `${seg.hop.name} (${seg.role})` : seg.proxy ?? `${seg.hop.kind} ${seg.hop.namespace ? `${seg.hop.namespace}/` : ''}${seg.hop.name}`;
    const hop: ExplainedHop = { ...base, name, decisions: seg.decisions, verdict: verdictOf(r, seg, last) };
    for (const [k, v] of Object.entries(extra)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) (hop as unknown as Record<string, unknown>)[k] = v;
    return hop;
  });
}

export type { PolicyExplanation };
