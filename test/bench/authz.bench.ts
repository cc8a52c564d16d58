/**
 * Authorization decision cost with 1,000 AuthorizationPolicies in the mesh (DESIGN.md: ≤ 300 ns per
 * authz decision), at the destination ztunnel and at a waypoint, beside a naive evaluator that scans
 * every policy per request (same compiled matchers, no indexes) in the same run. The 1,000 requests
 * repeat every iteration, as a mesh's clients repeat theirs, so a policy set answers most of them
 * from its remembered verdicts; the rows "every decision evaluated" take the memo away and show what
 * a request never seen before costs.
 */
import { compileAuthz, evaluateWaypoint, evaluateZtunnel, waypointPoliciesFor, ztunnelPoliciesFor } from '../../src/authz';
import type { WaypointContext, WaypointRequest, ZtunnelConnection } from '../../src/authz';
import { compileWaypointPolicy, firstMatch, type WpFacts } from '../../src/authz/waypoint-compile';
import { convertForZtunnel, targetRefsOf } from '../../src/authz/ztunnel-convert';
import { parseIdentity } from '../../src/authz/identity';
import { spiffeId } from '../../src/control/config';
import { parseIp } from '../../src/authz/ip';
import type { ZtFacts } from '../../src/authz/ztunnel-policy';
import type { AuthorizationPolicy, Labels } from '../../src/k8s/types';
import { matchLabels } from '../../src/k8s/object';
import { throughput, type BenchRow, type BenchSuite } from './suite';

const ROOT = 'istio-system';
const TD = 'cluster.local';
const NAMESPACES = 100;
const APPS = 10;
const DECISIONS_PER_ITERATION = 1000;

function policies(): AuthorizationPolicy[] {
  const out: AuthorizationPolicy[] = [];
  const mk = (ns: string, name: string, spec: AuthorizationPolicy['spec']): AuthorizationPolicy => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { namespace: ns, name }, spec });
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    // 10 per namespace: 4 selector ALLOW, 1 namespace-wide DENY, 3 waypoint (Gateway) ALLOW/DENY, 2 Service-targeted.
    for (let a = 0; a < 4; a++) {
      out.push(mk(ns, `allow-app-${a}`, { selector: { matchLabels: { app: `app-${a}` } }, rules: [{ from: [{ source: { namespaces: [`ns-${(n + 1) % NAMESPACES}`, ns] } }], to: [{ operation: { ports: ['8080'] } }] }] }));
    }
    out.push(mk(ns, 'deny-legacy', { action: 'DENY', rules: [{ from: [{ source: { principals: [`${TD}/ns/legacy/sa/*`] } }] }] }));
    for (let g = 0; g < 3; g++) {
      out.push(mk(ns, `wp-${g}`, { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' }], action: g === 0 ? 'DENY' : 'ALLOW', rules: [{ to: [{ operation: { methods: g === 0 ? ['DELETE'] : ['GET', 'POST'], paths: [`/api/v${g}/*`] } }], when: [{ key: 'request.headers[x-team]', values: [`team-${g}`] }] }] }));
    }
    for (let s = 0; s < 2; s++) {
      out.push(mk(ns, `svc-${s}`, { targetRefs: [{ kind: 'Service', group: '', name: `app-${s}` }], rules: [{ from: [{ source: { principals: [`${TD}/ns/${ns}/sa/app-${s + 1}`] } }], to: [{ operation: { paths: ['/health', '/api/{*}/items'] } }] }] }));
    }
  }
  return out;
}

interface Workload {
  namespace: string;
  labels: Labels;
}

function traffic() {
  const workloads: Workload[] = [];
  for (let n = 0; n < NAMESPACES; n++) for (let a = 0; a < APPS; a++) workloads.push({ namespace: `ns-${n}`, labels: { app: `app-${a}`, version: 'v1' } });
  const conns: { w: Workload; c: ZtunnelConnection }[] = [];
  const reqs: { ctx: WaypointContext; r: WaypointRequest }[] = [];
  for (let i = 0; i < DECISIONS_PER_ITERATION; i++) {
    const w = workloads[(i * 7919) % workloads.length]!;
    const srcNs = `ns-${(i * 31) % NAMESPACES}`;
    // Built as the mesh view builds a workload's identity (one flat string).
    const identity = spiffeId(TD, srcNs, `app-${i % APPS}`);
    conns.push({ w, c: { srcIdentity: identity, srcIp: `10.${i % 200}.0.${i % 250}`, dstIp: '10.9.0.1', dstPort: i % 3 === 0 ? 9090 : 8080 } });
    reqs.push({
      ctx: { waypoint: { namespace: w.namespace, name: 'waypoint' }, service: { kind: 'Service', namespace: w.namespace, name: w.labels.app! } },
      r: { srcIdentity: identity, srcIp: '10.0.0.5', dstIp: '10.96.0.1', dstPort: 8080, host: `${w.labels.app}.${w.namespace}.svc.cluster.local`, method: i % 2 ? 'GET' : 'DELETE', path: `/api/v${i % 3}/items?page=1`, headers: { 'x-team': `team-${i % 3}` }, protocol: 'http' },
    });
  }
  return { conns, reqs };
}

/** Scans every converted policy per connection: applicability by namespace/selector, then match. */
function naiveZtunnel(aps: AuthorizationPolicy[]) {
  const converted = aps
    .filter((p) => targetRefsOf(p.spec).length === 0)
    .map((p) => ({ ap: p, pol: convertForZtunnel(p, ROOT).policy }))
    .filter((x): x is { ap: AuthorizationPolicy; pol: NonNullable<typeof x.pol> } => x.pol !== null);
  return (w: Workload, c: ZtunnelConnection): boolean => {
    const f: ZtFacts = { id: c.srcIdentity ? parseIdentity(c.srcIdentity) : null, src: parseIp(c.srcIp), dst: parseIp(c.dstIp), port: c.dstPort };
    let anyAllow = false;
    let allowed = false;
    for (const { ap, pol } of converted) {
      const ns = ap.metadata.namespace!;
      const sel = ap.spec?.selector?.matchLabels;
      const applies = sel ? (ns === w.namespace || ns === ROOT) && matchLabels(sel, w.labels) : ns === ROOT || ns === w.namespace;
      if (!applies) continue;
      const hit = pol.match(f) >= 0;
      if (pol.action === 'DENY' && hit) return false;
      if (pol.action === 'ALLOW') {
        anyAllow = true;
        allowed ||= hit;
      }
    }
    return !anyAllow || allowed;
  };
}

/** Scans every targetRef policy per request: attachment check, then match. */
function naiveWaypoint(aps: AuthorizationPolicy[]) {
  const compiled = aps.filter((p) => targetRefsOf(p.spec).length > 0).map((p) => ({ refs: targetRefsOf(p.spec), pol: compileWaypointPolicy(p, TD) }));
  return (ctx: WaypointContext, r: WaypointRequest): boolean => {
    const f: WpFacts = {
      id: r.srcIdentity ? parseIdentity(r.srcIdentity) : null,
      src: parseIp(r.srcIp),
      remote: parseIp(r.srcIp),
      dst: parseIp(r.dstIp),
      port: r.dstPort,
      host: r.host.toLowerCase(),
      method: r.method,
      path: r.path.split('?')[0]!,
      headers: r.headers,
      sni: '',
      auth: null,
    };
    let anyAllow = false;
    let allowed = false;
    for (const { refs, pol } of compiled) {
      const attached = refs.some((ref) =>
        ref.kind === 'Gateway' ? pol.namespace === ctx.waypoint.namespace && ref.name === ctx.waypoint.name : ref.kind === 'Service' && ctx.service !== undefined && pol.namespace === ctx.service.namespace && ref.name === ctx.service.name,
      );
      if (!attached) continue;
      const hit = firstMatch(pol.http, f) >= 0;
      if (pol.action === 'DENY' && hit) return false;
      if (pol.action === 'ALLOW') {
        anyAllow = true;
        allowed ||= hit;
      }
    }
    return !anyAllow || allowed;
  };
}

const suite: BenchSuite = {
  name: 'authz',
  async run(): Promise<BenchRow[]> {
    const aps = policies();
    const idx = compileAuthz({ authorizationPolicies: aps, peerAuthentications: [], requestAuthentications: [], rootNamespace: ROOT, trustDomain: TD });
    const { conns, reqs } = traffic();
    const naiveZ = naiveZtunnel(aps);
    const naiveW = naiveWaypoint(aps);
    // The engines and the baselines must agree before their speed means anything.
    for (const { w, c } of conns) if (evaluateZtunnel(ztunnelPoliciesFor(idx, w), c, 'z').allowed !== naiveZ(w, c)) throw new Error('ztunnel engine and naive evaluator disagree');
    for (const { ctx, r } of reqs) if (evaluateWaypoint(waypointPoliciesFor(idx, ctx), r, { at: 'w', nowMs: 0 }).allowed !== naiveW(ctx, r)) throw new Error('waypoint engine and naive evaluator disagree');

    // The same policy sets without their memo: every call evaluates.
    const fresh = <T extends { memo: unknown }>(set: T): T => ({ ...set, memo: null });
    const zFresh = conns.map(({ w, c }) => ({ set: fresh(ztunnelPoliciesFor(idx, w)), c }));
    const wFresh = reqs.map(({ ctx, r }) => ({ set: fresh(waypointPoliciesFor(idx, ctx)), r }));

    let sink = 0;
    const ops = await throughput([
      { name: 'ztunnel-fresh', fn: () => { for (const { set, c } of zFresh) sink += evaluateZtunnel(set, c, 'z').allowed ? 1 : 0; return zFresh.length; } },
      { name: 'waypoint-fresh', fn: () => { for (const { set, r } of wFresh) sink += evaluateWaypoint(set, r, { at: 'w', nowMs: 0 }).allowed ? 1 : 0; return wFresh.length; } },
      { name: 'ztunnel', fn: () => { for (const { w, c } of conns) sink += evaluateZtunnel(ztunnelPoliciesFor(idx, w), c, 'z').allowed ? 1 : 0; return conns.length; } },
      { name: 'ztunnel-naive', fn: () => { for (const { w, c } of conns) sink += naiveZ(w, c) ? 1 : 0; return conns.length; } },
      { name: 'waypoint', fn: () => { for (const { ctx, r } of reqs) sink += evaluateWaypoint(waypointPoliciesFor(idx, ctx), r, { at: 'w', nowMs: 0 }).allowed ? 1 : 0; return reqs.length; } },
      { name: 'waypoint-naive', fn: () => { for (const { ctx, r } of reqs) sink += naiveW(ctx, r) ? 1 : 0; return reqs.length; } },
      // Five rounds, not three: the rows without remembered verdicts wait on memory, so a neighbour
      // on a shared host's caches slows them far more than the others.
    ], { rounds: 5 });
    const ns = (name: string) => 1e9 / ops.get(name)!;
    const note = `${aps.length} policies, ${NAMESPACES * APPS} workloads (allowed ${sink % 2 === 0 ? 'even' : 'odd'})`;
    return [
      { name: 'ztunnel authz decision', value: ns('ztunnel'), unit: 'ns/decision', baseline: { name: 'naive scan of all policies', value: ns('ztunnel-naive') }, target: '≤ 300 ns', met: ns('ztunnel') <= 300, note },
      { name: 'waypoint authz decision', value: ns('waypoint'), unit: 'ns/decision', baseline: { name: 'naive scan of all policies', value: ns('waypoint-naive') }, target: '≤ 300 ns', met: ns('waypoint') <= 300, note },
      { name: 'ztunnel authz decision, every decision evaluated', value: ns('ztunnel-fresh'), unit: 'ns/decision', baseline: { name: 'naive scan of all policies', value: ns('ztunnel-naive') }, target: '≤ 300 ns', met: ns('ztunnel-fresh') <= 300, note: 'remembered verdicts off' },
      { name: 'waypoint authz decision, every decision evaluated', value: ns('waypoint-fresh'), unit: 'ns/decision', baseline: { name: 'naive scan of all policies', value: ns('waypoint-naive') }, target: '≤ 300 ns', met: ns('waypoint-fresh') <= 300, note: 'remembered verdicts off' },
    ];
  },
};

export default suite;
