// Waypoint enrollment checks (reference/ambient.md §2): labels where nothing is captured, labels
// naming a missing waypoint, traffic-type mismatches, refused cross-namespace attachment, and
// waypoints nothing uses.
import { DATAPLANE_MODE, USE_WAYPOINT, USE_WAYPOINT_NAMESPACE, WAYPOINT_CLASS, WAYPOINT_FOR } from '../../control/labels';
import type { Condition, Gateway, KubeObject, Labels, Namespace } from '../../k8s/types';
import type { Path } from '../../scenario';
import { MSH, type MessageType } from '../codes';
import { friendlyName, namespaceOf, podSource, type AnalysisContext } from '../context';
import type { AnalyzedResource } from '../types';

const WAYPOINT_BOUND = 'istio.io/WaypointBound';

/** The object whose labels chose the waypoint, and what it affects. */
interface LabelHolder {
  r: AnalyzedResource;
  labelsPath: Path;
  labels: Labels;
  /** Namespace the waypoint namespace defaults to. */
  namespace: string;
  /** What loses its waypoint, for messages: `Service app/echo`, `the pods of Deployment app/web`, `namespace app`. */
  subject: string;
  /** The traffic type the subject needs from its waypoint. */
  wants: 'service' | 'workload' | 'service or workload';
}

function waypointRef(h: LabelHolder): { namespace: string; name: string } {
  return { namespace: h.labels[USE_WAYPOINT_NAMESPACE] ?? h.namespace, name: h.labels[USE_WAYPOINT] ?? '' };
}

function nsLabels(ctx: AnalysisContext, ns: string): Labels {
  return ctx.view.namespaces.get(ns) ?? {};
}

function namespaceHolder(ctx: AnalysisContext, ns: string): LabelHolder | undefined {
  const r = ctx.resourceOf('Namespace', undefined, ns);
  return r ? { r, labelsPath: ['metadata', 'labels'], labels: nsLabels(ctx, ns), namespace: ns, subject: `namespace ${ns}`, wants: 'service or workload' } : undefined;
}

function bindingMessage(ctx: AnalysisContext, h: LabelHolder, reason: string): { type: MessageType; path: Path; message: string } | undefined {
  const ref = waypointRef(h);
  const refText = `"${ref.namespace}/${ref.name}"`;
  const label = (key: string): Path => [...h.labelsPath, key];
  switch (reason) {
    case 'WaypointIsNotReady': {
      const gw = ctx.cluster.get('Gateway', ref.namespace, ref.name);
      const state = gw ? 'exists but is not ready (it has no status addresses)' : 'does not exist';
      const nsRef = h.subject.startsWith('namespace ') ? undefined : nsLabels(ctx, h.namespace)[USE_WAYPOINT];
      const fallback =
        nsRef && nsRef !== 'none'
          ? ` istiod does not fall back to the namespace's istio.io/use-waypoint=${nsRef}: a label naming a missing waypoint disables the waypoint.`
          : ' istiod does not fall back to any other waypoint.';
      return {
        type: MSH.WaypointNotFound,
        path: label(USE_WAYPOINT),
        message: `istio.io/use-waypoint names waypoint ${refText}, which ${state}: ${h.subject} gets no waypoint, so its traffic goes straight to the endpoints with L4 policy only (no waypoint AuthorizationPolicy, no L7 routing).${fallback}`,
      };
    }
    case 'AttachmentDenied': {
      const gw = ctx.cluster.get('Gateway', ref.namespace, ref.name) as Gateway | undefined;
      const listener = gw?.spec?.listeners?.find((l) => l.protocol === 'HBONE' && l.port === 15008);
      const from = listener?.allowedRoutes?.namespaces?.from;
      const selector = listener?.allowedRoutes?.namespaces?.selector;
      const allows = from === 'Selector' ? (selector ? 'namespaces matching a selector that does not match' : 'a Selector with no selector, which matches no namespace, not even') : `"${from}" namespaces, which excludes`;
      const why = from ? `its HBONE listener allows routes from ${allows} namespace ${h.namespace}` : `its HBONE listener (port 15008) has no allowedRoutes.namespaces, which means Same (only ${ref.namespace})`;
      return {
        type: MSH.WaypointAttachmentDenied,
        path: label(h.labels[USE_WAYPOINT_NAMESPACE] !== undefined ? USE_WAYPOINT_NAMESPACE : USE_WAYPOINT),
        message: `waypoint ${refText} does not allow attachment from namespace ${h.namespace}: ${why}. ${capitalize(h.subject)} gets no waypoint and its traffic goes direct. Set allowedRoutes.namespaces.from: All (or a Selector matching namespace ${h.namespace}) on the waypoint's listener.`,
      };
    }
    case 'UnsupportedTrafficType': {
      const gw = ctx.cluster.get('Gateway', ref.namespace, ref.name);
      const type = gw?.metadata.labels?.[WAYPOINT_FOR] ?? 'service';
      const wants = h.wants === 'service or workload' ? 'service' : h.wants;
      return {
        type: MSH.WaypointTrafficTypeMismatch,
        path: label(USE_WAYPOINT),
        message: `waypoint ${refText} handles traffic type "${type}" (istio.io/waypoint-for) but ${h.subject} needs "${wants}": it is not bound and its ${wants}-addressed traffic goes direct. Label the waypoint istio.io/waypoint-for=${wants === 'service' ? 'service' : 'workload'} (or all), or use another waypoint.`,
      };
    }
    default:
      return undefined;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Services and workloads whose WaypointBound condition is False, reported once per label that caused it. */
function bindingFailures(ctx: AnalysisContext): void {
  const seen = new Set<string>();
  const handle = (h: LabelHolder | undefined, condition: Condition | undefined, covers?: string) => {
    if (!h || !condition || condition.status !== 'False') return;
    const found = bindingMessage(ctx, h, condition.reason ?? '');
    if (!found) return;
    if (covers) ctx.covered.add(`${covers}|${WAYPOINT_BOUND}`);
    const key = `${friendlyName(h.r.obj)}|${found.type.code}|${waypointRef(h).namespace}/${waypointRef(h).name}`;
    if (seen.has(key)) return;
    seen.add(key);
    ctx.report(found.type, h.r, found.path, found.message);
  };
  for (const svc of ctx.view.services) {
    const r = ctx.resourceOf('Service', svc.namespace, svc.name);
    const own: LabelHolder | undefined =
      r && svc.labels[USE_WAYPOINT] !== undefined
        ? { r, labelsPath: ['metadata', 'labels'], labels: svc.labels, namespace: svc.namespace, subject: `Service ${svc.namespace}/${svc.name}`, wants: 'service' }
        : undefined;
    const holder = own ?? namespaceHolder(ctx, svc.namespace);
    handle(holder, svc.waypointCondition, r ? friendlyName(r.obj) : undefined);
  }
  for (const w of ctx.view.workloads) {
    if (w.labels[USE_WAYPOINT] === undefined) {
      handle(namespaceHolder(ctx, w.namespace), w.waypointCondition);
      continue;
    }
    const src = podSource(ctx, w.namespace, w.name, w.workloadName);
    if (!src) continue;
    const subject = `the pods of ${friendlyName(src.r.obj)}`;
    handle({ r: src.r, labelsPath: src.labels, labels: w.labels, namespace: w.namespace, subject, wants: 'workload' }, w.waypointCondition);
  }
}

/** A use-waypoint label where ztunnel captures nothing (the namespace is not enrolled in ambient). */
function labelsOutsideAmbient(ctx: AnalysisContext): void {
  const notAmbient = (ns: string) => nsLabels(ctx, ns)[DATAPLANE_MODE] !== 'ambient';
  const check = (r: AnalyzedResource, ns: string, labels: Labels, path: Path, what: string) => {
    const wp = labels[USE_WAYPOINT];
    if (wp === undefined || wp === 'none' || !notAmbient(ns)) return;
    ctx.report(
      MSH.UseWaypointOutsideAmbient,
      r,
      [...path, USE_WAYPOINT],
      `${what} has istio.io/use-waypoint=${wp} but namespace ${ns} is not enrolled in ambient (no istio.io/dataplane-mode=ambient label): its pods are not captured by ztunnel, so their own outbound traffic never goes through a waypoint and no L4 policy is enforced for them. Run: kubectl label namespace ${ns} istio.io/dataplane-mode=ambient`,
    );
  };
  for (const r of ctx.resources) {
    if (r.obj.kind === 'Namespace') check(r, r.obj.metadata.name, nsLabels(ctx, r.obj.metadata.name), ['metadata', 'labels'], `namespace ${r.obj.metadata.name}`);
    else if (r.obj.kind === 'Service') check(r, namespaceOf(r.obj), r.obj.metadata.labels ?? {}, ['metadata', 'labels'], friendlyName(r.obj));
  }
}

/** Waypoints nothing is bound to, and that no label names (a label naming one is explained by the binding checks). */
function unusedWaypoints(ctx: AnalysisContext): void {
  const used = new Set<string>();
  for (const s of ctx.view.services) if (s.waypoint) used.add(`${s.waypoint.namespace}/${s.waypoint.name}`);
  for (const w of ctx.view.workloads) if (w.waypoint) used.add(`${w.waypoint.namespace}/${w.waypoint.name}`);
  const named = (o: KubeObject, ns: string) => {
    const l = o.metadata.labels ?? {};
    if (l[USE_WAYPOINT] !== undefined) used.add(`${l[USE_WAYPOINT_NAMESPACE] ?? ns}/${l[USE_WAYPOINT]}`);
  };
  for (const ns of ctx.list<Namespace>('Namespace')) named(ns, ns.metadata.name);
  for (const kind of ['Service', 'Pod', 'ServiceEntry', 'WorkloadEntry']) for (const o of ctx.list(kind)) named(o, namespaceOf(o));
  for (const r of ctx.resources) {
    if (r.obj.kind !== 'Gateway' || (r.obj as Gateway).spec?.gatewayClassName !== WAYPOINT_CLASS) continue;
    const ns = namespaceOf(r.obj);
    const name = r.obj.metadata.name;
    if (used.has(`${ns}/${name}`)) continue;
    ctx.report(
      MSH.UnusedWaypoint,
      r,
      ['metadata', 'name'],
      `no Service or workload uses waypoint ${ns}/${name}: no namespace, Service or pod is labelled istio.io/use-waypoint=${name}, so no traffic goes through it. Run: kubectl label namespace ${ns} istio.io/use-waypoint=${name}`,
    );
  }
}

export function checkWaypoints(ctx: AnalysisContext): void {
  labelsOutsideAmbient(ctx);
  bindingFailures(ctx);
  unusedWaypoints(ctx);
}
