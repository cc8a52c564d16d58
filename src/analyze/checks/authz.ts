// AuthorizationPolicy checks (reference/authz.md): targetRef policies no waypoint enforces, HTTP
// attributes in policies ztunnel enforces, the waypoint-identity trap (§5), and Istio's own
// AuthorizationPoliciesAnalyzer (IST0127 no matching workloads, IST0101 unknown namespaces).
import { evaluateZtunnel, ztunnelPoliciesFor } from '../../authz';
import { spiffeId } from '../../control/config';
import { convertRule, isDryRun, L4_WHEN_KEYS, targetRefsOf } from '../../authz/ztunnel-convert';
import { hasEffectiveRules } from '../../authz/ztunnel-policy';
import type { WorkloadInfo } from '../../control/model';
import type { WaypointInfo } from '../../control/waypoints';
import type { AuthorizationPolicy, AuthzRule, PolicyTargetReference } from '../../k8s/types';
import type { Path } from '../../scenario';
import { IST, MSH } from '../codes';
import { friendlyName, namespaceOf, type AnalysisContext } from '../context';
import type { AnalyzedResource } from '../types';

const SA_ANNOTATION = 'gateway.istio.io/service-account';

function policies(ctx: AnalysisContext): { r: AnalyzedResource; ap: AuthorizationPolicy }[] {
  return ctx.resources.filter((r) => r.obj.kind === 'AuthorizationPolicy').map((r) => ({ r, ap: r.obj as AuthorizationPolicy }));
}

/** Why one targetRef attaches to no waypoint, or null when it does (authz.md §1.4). */
function unboundReason(ctx: AnalysisContext, ref: PolicyTargetReference, policyNs: string): string | null {
  const ns = ref.namespace || policyNs;
  switch (ref.kind) {
    case 'Service': {
      if (!ctx.cluster.get('Service', ns, ref.name)) return `Service ${ns}/${ref.name} does not exist`;
      const svc = ctx.view.services.find((s) => s.namespace === ns && s.name === ref.name);
      if (svc?.waypoint) return null;
      return `Service ${ns}/${ref.name} is not bound to a waypoint (label it, or namespace ${ns}, istio.io/use-waypoint=<waypoint>)`;
    }
    case 'Gateway':
      return ctx.view.waypoints.has(`${ns}/${ref.name}`) ? null : `Gateway ${ns}/${ref.name} is not a waypoint`;
    case 'GatewayClass':
      if (policyNs !== ctx.config.rootNamespace) return `a policy referencing a GatewayClass must be in the root namespace ${ctx.config.rootNamespace}`;
      return ref.name === 'istio-waypoint' ? null : `GatewayClass ${ref.name} is not the waypoint class istio-waypoint`;
    default:
      // ServiceEntry bindings are not modelled here; say nothing rather than guess.
      return null;
  }
}

function enforcedNowhere(ctx: AnalysisContext): void {
  for (const { r, ap } of policies(ctx)) {
    const ns = namespaceOf(ap);
    const single = ap.spec?.targetRef !== undefined;
    const refs = targetRefsOf(ap.spec);
    refs.forEach((ref, i) => {
      const why = unboundReason(ctx, ref, ns);
      if (why === null) return;
      ctx.covered.add(`${friendlyName(ap)}|WaypointAccepted`);
      const path: Path = single && i === 0 ? ['spec', 'targetRef'] : ['spec', 'targetRefs', single ? i - 1 : i];
      const others = refs.length > 1 ? ' (for this targetRef)' : '';
      ctx.report(
        MSH.PolicyEnforcedNowhere,
        r,
        path,
        `this ${ap.spec?.action ?? 'ALLOW'} policy is enforced nowhere${others}: ${why}. Policies with targetRefs are only enforced by waypoints and are never sent to ztunnel.`,
      );
    });
  }
}

const HTTP_OPERATION_KEYS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
const HTTP_SOURCE_KEYS = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'] as const;

/** The path of the first HTTP attribute in a rule. */
function firstHttpField(rule: AuthzRule, i: number): Path {
  const base: Path = ['spec', 'rules', i];
  for (const [j, t] of (rule.to ?? []).entries()) for (const k of HTTP_OPERATION_KEYS) if (t.operation?.[k]?.length) return [...base, 'to', j, 'operation', k];
  for (const [j, f] of (rule.from ?? []).entries()) for (const k of HTTP_SOURCE_KEYS) if (f.source?.[k]?.length) return [...base, 'from', j, 'source', k];
  for (const [j, c] of (rule.when ?? []).entries()) if (!L4_WHEN_KEYS.has(c.key)) return [...base, 'when', j, 'key'];
  return base;
}

const USE_WAYPOINT_HINT = 'Enforce HTTP rules at a waypoint: bind the workload\'s Service to a waypoint and use targetRefs instead of a selector.';

function httpAtZtunnel(ctx: AnalysisContext): void {
  for (const { r, ap } of policies(ctx)) {
    const action = ap.spec?.action ?? 'ALLOW';
    if (targetRefsOf(ap.spec).length > 0 || isDryRun(ap) || (action !== 'ALLOW' && action !== 'DENY')) continue;
    const ns = namespaceOf(ap);
    const rules = ap.spec?.rules ?? [];
    const converted = rules.map((rule) => convertRule(action, rule, ns));
    const kept = converted.filter((c) => c.clauses !== null).length;
    converted.forEach((c, i) => {
      if (c.found.length === 0) return;
      const found = [...new Set(c.found)].sort().join(', ');
      const path = firstHttpField(rules[i]!, i);
      if (action === 'ALLOW') {
        const none = kept === 0 ? ' No rule is left, so the policy allows nothing: the selected workloads deny all traffic that no other ALLOW policy admits.' : '';
        ctx.report(
          MSH.ZtunnelAllowRuleDropped,
          r,
          path,
          `rule ${i} uses HTTP attributes (${found}) in a policy enforced by ztunnel, which drops the whole rule: it never matches and the requests it was meant to allow are denied.${none} ${USE_WAYPOINT_HINT}`,
        );
      } else if (!hasEffectiveRules([{ rule: i, clauses: c.clauses ?? [] }])) {
        ctx.report(
          MSH.ZtunnelDenyRuleNoOp,
          r,
          path,
          `rule ${i} uses HTTP attributes (${found}) that ztunnel cannot see; without them the rule can never match, so this DENY denies nothing. ${USE_WAYPOINT_HINT}`,
        );
      } else {
        ctx.report(
          MSH.ZtunnelDenyRuleBroadened,
          r,
          path,
          `rule ${i} uses HTTP attributes (${found}) that ztunnel cannot see; ztunnel enforces the rule without them, denying all traffic that matches its L4 part, more than written. ${USE_WAYPOINT_HINT}`,
        );
      }
    });
  }
}

function waypointIdentity(ctx: AnalysisContext, wp: WaypointInfo): { identity: string; principal: string; ip: string; serviceAccount: string } {
  const sa = wp.gateway.metadata.annotations?.[SA_ANNOTATION] ?? wp.name;
  const identity = spiffeId(ctx.config.trustDomain, wp.namespace, sa);
  const pod = ctx.view.workloads.find((w) => w.role === 'waypoint' && w.gateway === `${wp.namespace}/${wp.name}`);
  return { identity, principal: identity.slice('spiffe://'.length), ip: pod?.ip ?? '0.0.0.0', serviceAccount: sa };
}

/**
 * The waypoint-identity trap (authz.md §5): behind a waypoint the destination ztunnel sees the
 * waypoint's identity, so an L4 policy that only admits clients denies every proxied request.
 */
function waypointIdentityTrap(ctx: AnalysisContext): void {
  const seen = new Set<string>();
  const check = (wp: WaypointInfo, dst: WorkloadInfo, ports: number[], via: string) => {
    if (dst.mode !== 'ambient' || dst.role !== 'app') return;
    const id = waypointIdentity(ctx, wp);
    // With PILOT_AUTO_ALLOW_WAYPOINT_POLICY istiod itself admits the waypoint's service account.
    const implicit = ctx.config.features.autoAllowWaypointPolicy ? { waypoint: { namespace: wp.namespace, name: wp.name, serviceAccounts: [id.serviceAccount] } } : {};
    const set = ztunnelPoliciesFor(ctx.authz, { namespace: dst.namespace, labels: dst.labels, ...implicit });
    for (const port of ports) {
      const d = evaluateZtunnel(set, { srcIdentity: id.identity, srcIp: id.ip, dstIp: dst.ip, dstPort: port }, 'analyze');
      if (d.allowed) continue;
      const wpName = `${wp.namespace}/${wp.name}`;
      const consequence = `with waypoint ${wpName} in the path, ztunnel at ${dst.namespace}/${dst.workloadName} sees the waypoint's identity (principal "${id.principal}"), not the client's, so ${via} through the waypoint is denied on port ${port} (the client gets 503 from the waypoint)`;
      const denying = d.decision.policy;
      if (denying) {
        const [ns, name] = denying.split('/') as [string, string];
        const r = ctx.resourceOf('AuthorizationPolicy', ns, name);
        if (!r || seen.has(`${denying}|${wpName}`)) return;
        seen.add(`${denying}|${wpName}`);
        ctx.report(MSH.WaypointIdentityDenied, r, ['spec', 'rules'], `this DENY policy matches the waypoint's identity: ${consequence}. Key client-identity DENY rules on the waypoint (targetRefs) instead.`);
        return;
      }
      // Deny-all policies (ALLOW without rules) deny the waypoint on purpose; only policies meant to admit someone are traps.
      if (!set.allow.some((p) => p.groups.length > 0)) return;
      for (const p of set.allow) {
        const r = ctx.resourceOf('AuthorizationPolicy', p.namespace, p.name);
        if (!r || p.groups.length === 0 || seen.has(`${p.key}|${wpName}`)) continue;
        seen.add(`${p.key}|${wpName}`);
        ctx.report(MSH.WaypointIdentityDenied, r, ['spec', 'rules'], `no ALLOW policy admits the waypoint: ${consequence}. Add "${id.principal}" to from.source.principals of this policy.`);
      }
      return;
    }
  };
  for (const svc of ctx.view.services) {
    if (!svc.waypoint) continue;
    for (const ep of svc.endpoints) check(svc.waypoint, ep.workload, [...new Set(ep.targetPorts.values())], `every request to Service ${svc.namespace}/${svc.name}`);
  }
  for (const w of ctx.view.workloads) {
    if (!w.waypoint) continue;
    const ports = (w.pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
    check(w.waypoint, w, ports, `every request addressed to pod ${w.namespace}/${w.name}`);
  }
}

/** k8s labels.SelectorFromSet(...).String(): `k=v` pairs sorted by key, comma-joined. */
function selectorString(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** Istio's analyzeNoMatchingWorkloads: only pods in the mesh (sidecar or ambient) count. */
function noMatchingWorkloads(ctx: AnalysisContext): void {
  const inMesh = ctx.view.workloads.filter((w) => w.mode !== 'none');
  const matches = (sel: Record<string, string>, ns?: string) =>
    inMesh.some((w) => (ns === undefined || w.namespace === ns) && Object.entries(sel).every(([k, v]) => w.labels[k] === v));
  for (const { r, ap } of policies(ctx)) {
    const ns = namespaceOf(ap);
    const sel = ap.spec?.selector;
    if (ns === ctx.config.rootNamespace) {
      if (sel && !matches(sel.matchLabels ?? {})) ctx.report(IST.NoMatchingWorkloadsFound, r, ['spec', 'selector'], noMatchText(selectorString(sel.matchLabels ?? {})));
      continue;
    }
    if (!sel) {
      if (!inMesh.some((w) => w.namespace === ns)) ctx.report(IST.NoMatchingWorkloadsFound, r, ['metadata', 'namespace'], noMatchText(''));
      continue;
    }
    if (!matches(sel.matchLabels ?? {}, ns)) ctx.report(IST.NoMatchingWorkloadsFound, r, ['spec', 'selector'], noMatchText(selectorString(sel.matchLabels ?? {})));
  }
}

function noMatchText(labels: string): string {
  return `No matching workloads for this resource with the following labels: ${labels}`;
}

/** Istio's namespaceMatch: `*`, `*suffix`, `prefix*`, else case-insensitive equality. */
function namespaceMatch(ns: string, exp: string): boolean {
  if (exp === '*') return true;
  if (exp.startsWith('*')) return ns.endsWith(exp.slice(1));
  if (exp.endsWith('*')) return ns.startsWith(exp.slice(0, -1));
  return ns.toLowerCase() === exp.toLowerCase();
}

function unknownNamespaces(ctx: AnalysisContext): void {
  const known = ctx.list('Namespace').map((n) => n.metadata.name);
  for (const { r, ap } of policies(ctx)) {
    (ap.spec?.rules ?? []).forEach((rule, i) =>
      (rule.from ?? []).forEach((f, j) => {
        for (const key of ['namespaces', 'notNamespaces'] as const) {
          (f.source?.[key] ?? []).forEach((exp, k) => {
            if (known.some((ns) => namespaceMatch(ns, exp))) return;
            ctx.report(IST.ReferencedResourceNotFound, r, ['spec', 'rules', i, 'from', j, 'source', key, k], `Referenced namespace not found: ${JSON.stringify(exp)}`);
          });
        }
      }),
    );
  }
}

export function checkAuthz(ctx: AnalysisContext): void {
  enforcedNowhere(ctx);
  httpAtZtunnel(ctx);
  waypointIdentityTrap(ctx);
  noMatchingWorkloads(ctx);
  unknownNamespaces(ctx);
}
