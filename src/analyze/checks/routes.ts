// Route checks (reference/routing.md §1, §2.6, §3.2): routes on Services without a waypoint,
// consumer routes the waypoint ignores, routes parented to a waypoint Gateway, backends that do not
// exist, and overlapping routes that Istio orders by creation time rather than by precedence.
import type { ServiceInfo } from '../../control/model';
import { WAYPOINT_CLASS } from '../../control/labels';
import { servesPort } from '../../dataplane/names';
import type { BackendRef, Gateway, GRPCRoute, HTTPRoute, HTTPRouteMatch, ParentReference } from '../../k8s/types';
import type { Path } from '../../scenario';
import { MSH } from '../codes';
import { friendlyName, namespaceOf, type AnalysisContext } from '../context';
import type { AnalyzedResource } from '../types';

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']);
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

type AnyRoute = HTTPRoute | GRPCRoute;

function routes(ctx: AnalysisContext): { r: AnalyzedResource; route: AnyRoute }[] {
  return ctx.resources.filter((r) => ROUTE_KINDS.has(r.obj.kind)).map((r) => ({ r, route: r.obj as AnyRoute }));
}

function serviceOf(ctx: AnalysisContext, ns: string, name: string): ServiceInfo | undefined {
  return ctx.view.serviceByHost.get(`${name}.${ns}.svc.${ctx.config.domain}`);
}

const isServiceParent = (p: ParentReference) => p.group === '' && p.kind === 'Service';
const isGatewayParent = (p: ParentReference) => (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (p.kind ?? 'Gateway') === 'Gateway';

function parents(ctx: AnalysisContext): void {
  for (const { r, route } of routes(ctx)) {
    const ns = namespaceOf(route);
    (route.spec?.parentRefs ?? []).forEach((p, i) => {
      const at: Path = ['spec', 'parentRefs', i];
      const pns = p.namespace ?? ns;
      if (isGatewayParent(p)) {
        const gw = ctx.cluster.get('Gateway', pns, p.name) as Gateway | undefined;
        if (gw?.spec?.gatewayClassName === WAYPOINT_CLASS) {
          ctx.report(
            MSH.RouteParentIsWaypoint,
            r,
            at,
            `parentRef is the waypoint Gateway ${pns}/${p.name}: waypoints take no routes through Gateway parents, so this route configures nothing. Use the Service as parent (group: "", kind: Service).`,
          );
        }
        return;
      }
      if (!isServiceParent(p)) return;
      const svc = serviceOf(ctx, pns, p.name);
      if (!svc) return; // Istio's Accepted=False (IST0171) reports a missing parent.
      if (!svc.waypoint) {
        const why = svc.waypointCondition
          ? `its istio.io/use-waypoint label does not bind it (${svc.waypointCondition.reason})`
          : `neither it nor namespace ${pns} has an istio.io/use-waypoint label`;
        ctx.report(
          MSH.RouteWithoutWaypoint,
          r,
          at,
          `Service ${pns}/${p.name} has no waypoint (${why}): ztunnel only handles L4, so this ${route.kind} is not respected and traffic goes straight to the Service's endpoints. Run: istioctl waypoint apply -n ${pns} --enroll-namespace`,
        );
        return;
      }
      const wpNs = svc.waypoint.namespace;
      if (ns !== pns && ns !== wpNs) {
        ctx.report(
          MSH.ConsumerRouteIgnored,
          r,
          ['metadata', 'namespace'],
          `this is a consumer route (namespace ${ns}) for Service ${pns}/${p.name}: its waypoint ${wpNs}/${svc.waypoint.name} only reads routes from namespace ${pns} and its own namespace ${wpNs}, so the route is ignored for every client. Move it to namespace ${pns}.`,
        );
      }
    });
  }
}

function backends(ctx: AnalysisContext): void {
  for (const { r, route } of routes(ctx)) {
    const ns = namespaceOf(route);
    const rules = (route.spec?.rules ?? []) as { backendRefs?: BackendRef[] }[];
    rules.forEach((rule, i) =>
      (rule.backendRefs ?? []).forEach((b, j) => {
        // Zero-weight backends are dropped before they are resolved (routing.md §3.1).
        if (b.weight === 0 || (b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service') return;
        const at: Path = ['spec', 'rules', i, 'backendRefs', j];
        const bns = b.namespace ?? ns;
        const svc = serviceOf(ctx, bns, b.name);
        if (!svc && !ctx.cluster.get('Service', bns, b.name)) {
          ctx.covered.add(`${friendlyName(route)}|ResolvedRefs`);
          ctx.report(MSH.BackendNotFound, r, [...at, 'name'], `backend Service ${bns}/${b.name} does not exist: the share of traffic sent to it gets HTTP 500 from the waypoint.`);
          return;
        }
        if (!svc || b.port === undefined || servesPort(svc, b.port)) return;
        const declared = svc.ports.map((p) => p.port).join(', ');
        ctx.report(
          MSH.BackendPortNotFound,
          r,
          [...at, 'port'],
          `backend Service ${bns}/${b.name} has no port ${b.port} (it declares ${declared || 'none'}): the share of traffic sent to it fails (Envoy has no cluster for that port). backendRef ports are Service ports, not container ports.`,
        );
      }),
    );
  }
}

// ------------------------------------------------------------------ overlap and creation-time order

interface MatchUnit {
  r: AnalyzedResource;
  route: AnyRoute;
  /** Merge group of Istio's generated VirtualService: route namespace + optional parent port. */
  group: string;
  rule: number;
  match: number | null;
  m: HTTPRouteMatch;
}

function normalPath(m: HTTPRouteMatch): { type: string; value: string } {
  return { type: m.path?.type ?? 'PathPrefix', value: m.path?.value ?? '/' };
}

function canonical(m: HTTPRouteMatch): string {
  const sortBy = (l: { name: string }[] | undefined) => [...(l ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  return JSON.stringify({ path: normalPath(m), method: m.method ?? '', headers: sortBy(m.headers), query: sortBy(m.queryParams) });
}

function underPrefix(path: string, prefix: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  return p === '' || path === p || path.startsWith(`${p}/`);
}

/** Whether some request can match both (conservative: regular expressions overlap only when equal). */
function overlaps(a: HTTPRouteMatch, b: HTTPRouteMatch): boolean {
  if (a.method && b.method && a.method !== b.method) return false;
  for (const ha of a.headers ?? []) {
    const hb = (b.headers ?? []).find((h) => h.name.toLowerCase() === ha.name.toLowerCase());
    if (hb && (ha.type ?? 'Exact') === 'Exact' && (hb.type ?? 'Exact') === 'Exact' && ha.value !== hb.value) return false;
  }
  const pa = normalPath(a);
  const pb = normalPath(b);
  if (pa.type === 'RegularExpression' || pb.type === 'RegularExpression') return pa.type === pb.type && pa.value === pb.value;
  if (pa.type === 'Exact' && pb.type === 'Exact') return pa.value === pb.value;
  if (pa.type === 'Exact') return underPrefix(pa.value, pb.value);
  if (pb.type === 'Exact') return underPrefix(pb.value, pa.value);
  return underPrefix(pa.value, pb.value) || underPrefix(pb.value, pa.value);
}

function describeMatch(m: HTTPRouteMatch): string {
  const p = normalPath(m);
  const extra = [m.method ? `method ${m.method}` : '', ...(m.headers ?? []).map((h) => `header ${h.name}`)].filter(Boolean);
  return `${p.type} ${p.value}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function unitsFor(ctx: AnalysisContext, svc: ServiceInfo): MatchUnit[] {
  const out: MatchUnit[] = [];
  const wpNs = svc.waypoint?.namespace;
  for (const { r, route } of routes(ctx)) {
    if (route.kind !== 'HTTPRoute') continue;
    const ns = namespaceOf(route);
    if (ns !== svc.namespace && ns !== wpNs) continue;
    for (const p of route.spec?.parentRefs ?? []) {
      if (!isServiceParent(p) || (p.namespace ?? ns) !== svc.namespace || p.name !== svc.name) continue;
      const group = `${ns}|${p.port ?? ''}`;
      (route as HTTPRoute).spec?.rules?.forEach((rule, i) => {
        const matches = rule.matches?.length ? rule.matches : [undefined];
        matches.forEach((m, j) => out.push({ r, route, group, rule: i, match: m ? j : null, m: m ?? {} }));
      });
    }
  }
  return out;
}

/** Istio's order between routes that precedence does not separate: creationTimestamp, then namespace/name. */
function olderFirst(a: AnyRoute, b: AnyRoute): number {
  const ca = a.metadata.creationTimestamp ?? '';
  const cb = b.metadata.creationTimestamp ?? '';
  if (ca !== cb) return ca < cb ? -1 : 1;
  const ka = `${namespaceOf(a)}/${a.metadata.name}`;
  const kb = `${namespaceOf(b)}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The route as the cluster stores it: the creationTimestamp is the API server's. */
function stored(ctx: AnalysisContext, route: AnyRoute): AnyRoute {
  return (ctx.cluster.get(route.kind, namespaceOf(route), route.metadata.name) as AnyRoute | undefined) ?? route;
}

function creationOrder(ctx: AnalysisContext): void {
  const seen = new Set<string>();
  for (const svc of ctx.view.services) {
    if (!svc.waypoint) continue;
    const units = unitsFor(ctx, svc);
    for (let x = 0; x < units.length; x++) {
      for (let y = x + 1; y < units.length; y++) {
        const a = units[x]!;
        const b = units[y]!;
        if (a.route === b.route) continue;
        const sameGroup = a.group === b.group;
        if (sameGroup ? canonical(a.m) !== canonical(b.m) : !overlaps(a.m, b.m)) continue;
        const [first, later] = olderFirst(stored(ctx, a.route), stored(ctx, b.route)) <= 0 ? [a, b] : [b, a];
        const key = `${friendlyName(later.route)}|${friendlyName(first.route)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const why = sameGroup
          ? 'the two matches are identical, so precedence cannot order them'
          : 'the routes land in separate route tables (a different parentRef port or namespace), which Istio concatenates by creation time instead of sorting by precedence';
        const path: Path = later.match === null ? ['spec', 'rules', later.rule] : ['spec', 'rules', later.rule, 'matches', later.match];
        ctx.report(
          MSH.RouteOrderByCreationTime,
          later.r,
          path,
          `this match (${describeMatch(later.m)}) overlaps ${describeMatch(first.m)} of ${friendlyName(first.route)} on Service ${svc.namespace}/${svc.name}: ${why}. The older route wins (creationTimestamp, then namespace/name), so which one answers depends on the order they were created. Merge them into one route or make the matches disjoint.`,
        );
      }
    }
  }
}

export function checkRoutes(ctx: AnalysisContext): void {
  parents(ctx);
  backends(ctx);
  creationOrder(ctx);
}
