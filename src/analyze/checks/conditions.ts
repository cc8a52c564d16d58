// Istio's ConditionAnalyzer (pkg/config/analysis/analyzers/conditions): every negative status
// condition istiod or its gateway controller writes on Services, AuthorizationPolicies, Gateways and
// routes becomes IST0171, unless a meshsim check has already explained that condition.
import { authorizationPolicyStatus, type StatusOracles } from '../../authz';
import type { Condition, Gateway, GatewayClass } from '../../k8s/types';
import { routeStatuses } from '../../routing';
import { IST } from '../codes';
import { friendlyName, type AnalysisContext } from '../context';
import type { AnalyzedResource } from '../types';

/** Condition types whose False status Istio reports, per kind. */
const NEGATIVE: Record<string, readonly string[]> = {
  Service: ['istio.io/WaypointBound'],
  AuthorizationPolicy: ['ZtunnelAccepted', 'WaypointAccepted'],
  Gateway: ['Accepted', 'Programmed', 'ResolvedRefs'],
  HTTPRoute: ['Accepted', 'Programmed', 'ResolvedRefs'],
  GRPCRoute: ['Accepted', 'Programmed', 'ResolvedRefs'],
};

function oracles(ctx: AnalysisContext): StatusOracles {
  return {
    binding: (kind, ns, name) => {
      if (kind === 'Gateway') {
        const wp = ctx.view.waypoints.get(`${ns}/${name}`);
        return wp ? { waypoint: { namespace: wp.namespace, name: wp.name } } : undefined;
      }
      if (kind !== 'Service') return undefined;
      const wp = ctx.view.serviceByHost.get(`${name}.${ns}.svc.${ctx.config.domain}`)?.waypoint;
      return wp ? { waypoint: { namespace: wp.namespace, name: wp.name } } : undefined;
    },
    exists: (kind, ns, name) => ctx.cluster.get(kind, ns || undefined, name) !== undefined,
    gatewayClassController: (name) => (ctx.cluster.get('GatewayClass', undefined, name) as GatewayClass | undefined)?.spec?.controllerName,
  };
}

function conditionsOf(ctx: AnalysisContext, r: AnalyzedResource, policyStatus: () => Map<string, Condition[]>, routeStatus: () => Map<string, { parents?: { conditions?: Condition[] }[] }>): Condition[] {
  const { kind } = r.obj;
  const { name } = r.obj.metadata;
  const ns = r.obj.metadata.namespace || 'default';
  switch (kind) {
    case 'Service': {
      const c = ctx.view.serviceByHost.get(`${name}.${ns}.svc.${ctx.config.domain}`)?.waypointCondition;
      return c ? [c] : [];
    }
    case 'AuthorizationPolicy':
      return policyStatus().get(`${ns}/${name}`) ?? [];
    case 'Gateway':
      // Istio's classic networking.istio.io Gateway has no such conditions.
      if (r.obj.apiVersion.startsWith('networking.istio.io/')) return [];
      return (ctx.cluster.get('Gateway', ns, name) as Gateway | undefined)?.status?.conditions ?? [];
    case 'HTTPRoute':
    case 'GRPCRoute':
      return (routeStatus().get(`${kind}/${ns}/${name}`)?.parents ?? []).flatMap((p) => p.conditions ?? []);
    default:
      return [];
  }
}

function lazy<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= f());
}

export function checkConditions(ctx: AnalysisContext, opts: { explained: boolean }): void {
  const policyStatus = lazy(() => authorizationPolicyStatus(ctx.authz, oracles(ctx)));
  const routeStatus = lazy(() => routeStatuses(ctx.routes));
  for (const r of ctx.resources) {
    const negative = NEGATIVE[r.obj.kind];
    if (!negative) continue;
    for (const c of conditionsOf(ctx, r, policyStatus, routeStatus)) {
      const partial = r.obj.kind === 'AuthorizationPolicy' && c.type === 'WaypointAccepted' && c.reason === 'PartiallyInvalid';
      if (!(negative.includes(c.type) && c.status === 'False') && !partial) continue;
      if (opts.explained && ctx.covered.has(`${friendlyName(r.obj)}|${c.type}`)) continue;
      ctx.report(
        IST.NegativeConditionStatus,
        r,
        [],
        `A condition with a negative status is present: type=${c.type}, reason=${c.reason ?? ''}, message=${c.message ?? ''}.`,
      );
    }
  }
}
