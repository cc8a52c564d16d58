// Istio's injection analyzer (pkg/config/analysis/analyzers/injection): namespaces with no
// injection or ambient label (IST0102), and namespaces with more than one kind of label (IST0123).
import { DATAPLANE_MODE, ISTIO_INJECTION, ISTIO_REV } from '../../control/labels';
import { IST } from '../codes';
import type { AnalysisContext } from '../context';

export function checkNamespaces(ctx: AnalysisContext): void {
  for (const r of ctx.resources) {
    if (r.obj.kind !== 'Namespace') continue;
    const ns = r.obj.metadata.name;
    if (ns === ctx.config.rootNamespace) continue;
    const labels = ctx.view.namespaces.get(ns) ?? r.obj.metadata.labels ?? {};
    const injection = labels[ISTIO_INJECTION];
    const found: string[] = [];
    if (injection !== undefined) found.push(`${ISTIO_INJECTION}=${injection}`);
    for (const l of [ISTIO_REV, DATAPLANE_MODE]) if (labels[l] !== undefined && (injection === undefined || injection === 'enabled')) found.push(`${l}=${labels[l]}`);
    if (found.length > 1) {
      ctx.report(
        IST.NamespaceMultipleInjectionLabels,
        r,
        ['metadata', 'labels'],
        `The namespace has more than one type of injection labels [${found.join(' ')}], which may lead to undefined behavior. Make sure only one injection label exists.`,
      );
    }
    if (labels[DATAPLANE_MODE] === 'ambient') continue;
    if (injection === undefined && labels[ISTIO_REV] === undefined) {
      ctx.report(
        IST.NamespaceNotInjected,
        r,
        ['metadata', 'name'],
        `The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${ns} istio-injection=enabled' to enable it, or 'kubectl label namespace ${ns} istio-injection=disabled' to explicitly mark it as not needing injection.`,
      );
    }
  }
}
