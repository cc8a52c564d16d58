// DestinationRules in ambient (reference/routing.md §5): ztunnel reads none. Their traffic policy
// (load balancing, locality, outlier detection, connection pool, TLS) is applied by a waypoint,
// a sidecar or a gateway; for ambient clients of a Service without a waypoint it does nothing.
import type { DestinationRule } from '../../k8s/types';
import { resolveShortHost } from '../../routing';
import { MSH } from '../codes';
import { namespaceOf, type AnalysisContext } from '../context';

export function checkDestinationRules(ctx: AnalysisContext): void {
  for (const r of ctx.resources) {
    if (r.obj.kind !== 'DestinationRule') continue;
    const dr = r.obj as DestinationRule;
    const host = dr.spec?.host;
    if (!host || host.includes('*')) continue;
    const ns = namespaceOf(dr);
    const svc = ctx.view.serviceByHost.get(resolveShortHost(host, ns, ctx.config.domain));
    if (!svc || svc.waypoint || !svc.endpoints.some((e) => e.workload.mode === 'ambient')) continue;
    ctx.report(
      MSH.DestinationRuleWithoutWaypoint,
      r,
      ['spec', 'host'],
      `${svc.namespace}/${svc.name} has no waypoint: ztunnel, which carries ambient clients' traffic to its ambient pods, reads no DestinationRule, so this policy (load balancing, locality, outlier detection, connection pool, TLS) applies only where a sidecar or a gateway sends to it. Run: istioctl waypoint apply -n ${svc.namespace} --enroll-namespace`,
    );
  }
}
