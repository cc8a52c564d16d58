// compileRoutes: attaches routes to services as an ambient waypoint sees them and builds, once per
// config change, one ordered and indexed route table per (service namespace, name, port).
import type { GRPCRoute, HTTPRoute, KubeObject, ParentReference, RouteStatus, TCPRoute, TLSRoute, VirtualService } from '../k8s/types';
import { convertGRPCRoute, convertHTTPRoute, type ConfigError, type ConvertContext, type ConvertResult } from './gateway-convert';
import { convertL4Route, vsL4Route, type L4Route } from './l4-convert';
import { DefaultRoutes } from './default-route';
import { exact, type RouteEntry } from './model';
import { sortByPrecedence } from './precedence';
import { Registry, type KnownService } from './registry';
import { buildRouteStatus, WAYPOINT_MISSING_LABEL, WAYPOINT_NO_PARENT, type ParentResult, type RouteStatusRecord } from './status';
import { RouteTable, type PathKeys } from './table';
import { DestinationRules } from './traffic-policy';
import type { RouteInput, ServiceKind } from './types';
import { convertVirtualService, vsAppliesTo } from './vs-convert';

type Nested<T> = Map<string, Map<string, Map<number, T>>>;

export interface RouteIndex {
  readonly registry: Registry;
  readonly drs: DestinationRules;
  /** namespace → service → port → table; absent ⇒ no route applies (default forward). Made when first read: decisions use `httpByName`. */
  readonly http: Nested<RouteTable>;
  readonly tcp: Nested<L4Route>;
  readonly statusRecords: RouteStatusRecord[];
  /** Matches Envoy would reject (invalid RE2) and that were therefore left out. */
  readonly droppedMatches: string[];
  /** Default routes (no route applies) of the service ports asked about, HTTP and TCP. */
  readonly defaults: DefaultRoutes;
  readonly tcpDefaults: DefaultRoutes;
  /** The tables of `http` by service name alone (chained by `sameName`): one string lookup per request instead of three. */
  readonly httpByName: Map<string, RouteTable>;
}

type HttpKind = 'HTTPRoute' | 'GRPCRoute';
type L4Kind = 'TCPRoute' | 'TLSRoute';

/** One generated VirtualService: the routes of one namespace for one parent (and optional port). */
interface Group {
  name: string;
  namespace: string;
  svc: KnownService;
  port?: number;
  proxyNs: string;
  http: { obj: KubeObject; entries: RouteEntry[] }[];
  l4: { obj: KubeObject; route: L4Route }[];
}

/** A candidate route source for one service, in the waypoint's VirtualService order. */
interface Unit {
  bucket: number;
  creation: string;
  name: string;
  namespace: string;
  httpEntries(port: number): RouteEntry[];
  l4(port: number, which: 'tcp' | 'tls'): L4Route | null;
}

export function compileRoutes(input: RouteInput): RouteIndex {
  const registry = new Registry(input);
  const drs = new DestinationRules(input.destinationRules, registry);
  const tables: RouteTable[] = [];
  const index = emptyIndex(registry, drs, tables);
  const groups = new Map<string, Group>();

  const attach = (kind: HttpKind | L4Kind, obj: HTTPRoute | GRPCRoute | TCPRoute | TLSRoute): void => {
    const ns = obj.metadata.namespace ?? 'default';
    const record: RouteStatusRecord = { kind, namespace: ns, name: obj.metadata.name, generation: obj.metadata.generation, parents: [], refError: null };
    let statusErrors: { hard?: ConfigError; soft?: ConfigError } | undefined;
    for (const ref of obj.spec?.parentRefs ?? []) {
      const parentKind = meshParentKind(ref);
      // Gateway parents (including an istio-waypoint Gateway) produce no mesh routing config here.
      if (!parentKind) continue;
      const svc = registry.get(parentKind, ref.namespace ?? ns, ref.name);
      const parent: ParentResult = { parentRef: ref, denied: null, waypointError: null };
      record.parents.push(parent);
      if (!svc) {
        const what = parentKind === 'Service' ? 'parent service' : 'parent service entry';
        parent.denied = { reason: 'NoMatchingParent', message: `${what}: ${JSON.stringify(ref.name)} not found` };
        parent.waypointError = WAYPOINT_NO_PARENT;
        continue;
      }
      if (!registry.useWaypointLabelled(svc)) parent.waypointError = WAYPOINT_MISSING_LABEL;
      const proxyNs = registry.waypointNamespace(svc);
      const ctx: ConvertContext = { registry, drs, proxyNs, ...(ref.port !== undefined ? { parentPort: ref.port } : {}) };
      const converted = convert(kind, obj, svc, ctx);
      statusErrors ??= converted.errors;
      if (converted.dropped.length && index.droppedMatches.length < 1000) index.droppedMatches.push(...converted.dropped);
      if (converted.errors.hard || !registry.hasWaypoint(svc)) continue;
      // The waypoint only sees routes from the service's namespace or its own (consumer routes elsewhere are ignored).
      if (ns !== svc.namespace && ns !== proxyNs) continue;
      const key = `${ns}|${ref.port ?? ''}|${svc.kind}/${svc.namespace}/${svc.name}`;
      let g = groups.get(key);
      if (!g) {
        g = { name: `${ns}~${ref.port !== undefined ? `${ref.port}~` : ''}${svc.hosts[0] ?? svc.name}`, namespace: ns, svc, proxyNs, http: [], l4: [] };
        if (ref.port !== undefined) g.port = ref.port;
        groups.set(key, g);
      }
      if (converted.entries) g.http.push({ obj, entries: converted.entries });
      if (converted.l4) g.l4.push({ obj, route: converted.l4 });
    }
    if (record.parents.length === 0) return;
    record.parents = exact(record.parents);
    statusErrors ??= convert(kind, obj, undefined, { registry, drs, proxyNs: ns }).errors;
    record.refError = statusErrors.hard ?? statusErrors.soft ?? null;
    index.statusRecords.push(record);
  };

  for (const r of input.httpRoutes) attach('HTTPRoute', r);
  for (const r of input.grpcRoutes) attach('GRPCRoute', r);
  for (const r of input.tcpRoutes) attach('TCPRoute', r);
  for (const r of input.tlsRoutes) attach('TLSRoute', r);

  const unitsBySvc = new Map<KnownService, Unit[]>();
  const unitsOf = (svc: KnownService): Unit[] => {
    let u = unitsBySvc.get(svc);
    if (!u) unitsBySvc.set(svc, (u = []));
    return u;
  };
  for (const g of groups.values()) unitsOf(g.svc).push(groupUnit(g));
  // Listing every service makes each one's KnownService: only done when some VirtualService may apply.
  const services = input.virtualServices.length > 0 ? [...registry.all()].filter((s) => registry.hasWaypoint(s)) : [];
  for (const vs of input.virtualServices) {
    for (const svc of services) {
      const proxyNs = registry.waypointNamespace(svc);
      if (vsAppliesTo(vs, svc, proxyNs, registry)) unitsOf(svc).push(vsUnit(vs, svc, proxyNs, index));
    }
  }

  const pathKeys: PathKeys = new Map();
  for (const [svc, units] of unitsBySvc) {
    units.sort((a, b) => a.bucket - b.bucket || cmp(a.creation, b.creation) || cmp(a.name, b.name) || cmp(a.namespace, b.namespace));
    for (const port of svc.ports) {
      const entries = units.flatMap((u) => u.httpEntries(port));
      if (entries.length > 0) {
        const table = new RouteTable(exact(entries), svc.namespace, svc.name, port, pathKeys, tables.length);
        tables.push(table);
        // Newest first, so a later table for the same service port shadows an earlier one as in `http`.
        table.sameName = index.httpByName.get(svc.name) ?? null;
        index.httpByName.set(svc.name, table);
      }
      // On the TCP chain a TLS route (from any source) beats every TCP route.
      const l4 = firstOf(units, (u) => u.l4(port, 'tls')) ?? firstOf(units, (u) => u.l4(port, 'tcp'));
      if (l4) setNested(index.tcp, svc.namespace, svc.name, port, l4);
    }
  }
  return index;
}

/** Made apart from compileRoutes so that the `http` getter keeps only `tables`, not the compile's working state. */
function emptyIndex(registry: Registry, drs: DestinationRules, tables: RouteTable[]): RouteIndex {
  let http: Nested<RouteTable> | null = null;
  return {
    registry,
    drs,
    get http() {
      return (http ??= nestedTables(tables));
    },
    tcp: new Map(),
    statusRecords: [],
    droppedMatches: [],
    defaults: new DefaultRoutes(registry, drs, 'http'),
    tcpDefaults: new DefaultRoutes(registry, drs, 'tcp'),
    httpByName: new Map(),
  };
}

/** The tables by namespace, service and port, in compile order. */
function nestedTables(tables: RouteTable[]): Nested<RouteTable> {
  const out: Nested<RouteTable> = new Map();
  for (const t of tables) setNested(out, t.namespace, t.service, t.port, t);
  return out;
}

function convert(
  kind: HttpKind | L4Kind,
  obj: HTTPRoute | GRPCRoute | TCPRoute | TLSRoute,
  svc: KnownService | undefined,
  ctx: ConvertContext,
): { entries?: RouteEntry[]; l4?: L4Route; errors: { hard?: ConfigError; soft?: ConfigError }; dropped: string[] } {
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
    const r: ConvertResult = kind === 'HTTPRoute' ? convertHTTPRoute(obj as HTTPRoute, ctx) : convertGRPCRoute(obj as GRPCRoute, ctx);
    return { entries: r.entries, errors: errorsOf(r.hardError, r.softError), dropped: r.droppedMatches };
  }
  const stand = svc ?? { kind: 'Service' as const, namespace: ctx.proxyNs, name: '', hosts: [], ports: [], labels: {}, creationTimestamp: '' };
  const r = convertL4Route(kind, obj as TCPRoute | TLSRoute, stand, ctx);
  return { ...(r.route ? { l4: r.route } : {}), errors: errorsOf(r.hardError, r.softError), dropped: [] };
}

function errorsOf(hard: ConfigError | undefined, soft: ConfigError | undefined): { hard?: ConfigError; soft?: ConfigError } {
  return { ...(hard ? { hard } : {}), ...(soft ? { soft } : {}) };
}

function meshParentKind(ref: ParentReference): ServiceKind | null {
  const group = ref.group ?? 'gateway.networking.k8s.io';
  const kind = ref.kind ?? 'Gateway';
  if (group === '' && kind === 'Service') return 'Service';
  if (group === 'networking.istio.io' && kind === 'ServiceEntry') return 'ServiceEntry';
  return null;
}

function creationOf(o: KubeObject): string {
  return o.metadata.creationTimestamp ?? '';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupUnit(g: Group): Unit {
  // Routes of a group: oldest first, then by name; their matches are then precedence-sorted.
  const byAge = (a: { obj: KubeObject }, b: { obj: KubeObject }) => cmp(creationOf(a.obj), creationOf(b.obj)) || cmp(a.obj.metadata.name, b.obj.metadata.name);
  g.http.sort(byAge);
  g.l4.sort(byAge);
  const entries = sortByPrecedence(g.http.flatMap((m) => m.entries));
  const creations = [...g.http, ...g.l4].map((m) => creationOf(m.obj)).sort();
  const applies = (port: number) => g.port === undefined || g.port === port;
  return {
    bucket: g.namespace === g.proxyNs ? 2 : 3,
    creation: creations[0] ?? '',
    name: g.name,
    namespace: g.namespace,
    httpEntries: (port) => (applies(port) ? entries : []),
    l4: (port, which) => (applies(port) ? (g.l4.find((m) => m.route.tls === (which === 'tls'))?.route ?? null) : null),
  };
}

function vsUnit(vs: VirtualService, svc: KnownService, proxyNs: string, index: RouteIndex): Unit {
  const ns = vs.metadata.namespace ?? 'default';
  const exportTo = vs.spec?.exportTo ?? [];
  const bucket = exportTo.length === 1 && exportTo[0] === '.' && ns === proxyNs ? 0 : exportTo.includes(proxyNs) && !exportTo.includes('*') ? 1 : 3;
  const { registry, drs } = index;
  return {
    bucket,
    creation: creationOf(vs),
    name: vs.metadata.name,
    namespace: ns,
    httpEntries: (port) => {
      const r = convertVirtualService(vs, { registry, drs, proxyNs, service: svc, port });
      if (r.droppedMatches.length && index.droppedMatches.length < 1000) index.droppedMatches.push(...r.droppedMatches);
      return r.entries;
    },
    l4: (port, which) => vsL4Route(vs, which, svc, port, registry, drs, proxyNs),
  };
}

function firstOf<T>(units: Unit[], f: (u: Unit) => T | null): T | null {
  for (const u of units) {
    const r = f(u);
    if (r) return r;
  }
  return null;
}

function setNested<T>(map: Nested<T>, namespace: string, name: string, port: number, value: T): void {
  let byName = map.get(namespace);
  if (!byName) map.set(namespace, (byName = new Map()));
  let byPort = byName.get(name);
  if (!byPort) byName.set(name, (byPort = new Map()));
  byPort.set(port, value);
}

/** The route table of a service port, or undefined (same answer as `http`). */
export function httpTable(index: RouteIndex, namespace: string, name: string, port: number): RouteTable | undefined {
  let t = index.httpByName.get(name) ?? null;
  while (t !== null) {
    if (t.port === port && t.namespace === namespace) return t;
    t = t.sameName;
  }
  return undefined;
}

export function lookupNested<T>(map: Nested<T>, ns: string, name: string, port: number): T | undefined {
  return map.get(ns)?.get(name)?.get(port);
}

/** Route status per `Kind/namespace/name`, with conditions as Istio writes them. */
export function routeStatuses(index: RouteIndex): Map<string, RouteStatus> {
  const out = new Map<string, RouteStatus>();
  for (const r of index.statusRecords) out.set(`${r.kind}/${r.namespace}/${r.name}`, buildRouteStatus(r));
  return out;
}
