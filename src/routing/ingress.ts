// North-south routing at an ingress Gateway (class `istio`): HTTPRoutes attached to its listeners,
// chosen by listener port and hostname, then the most specific route hostname (exact before
// wildcard before none, as Envoy picks a virtual host), then Gateway API match precedence.
import { matchSelector } from '../k8s/object';
import type { Gateway, HTTPRoute, Labels, Listener, ParentReference } from '../k8s/types';
import type { RouteIndex } from './compile';
import { routeDecision } from './explain';
import { convertHTTPRoute } from './gateway-convert';
import { matchAll, type MatchContext } from './match';
import type { RouteEntry } from './model';
import { sortByPrecedence } from './precedence';
import { splitPath } from './query';
import { act } from './route-http';
import type { HttpRequest, RouteDecision } from './types';

interface HostBucket {
  /** Route hostnames of this bucket: exact names, `*.suffix` wildcards, or none (any host). */
  hostnames: string[];
  entries: RouteEntry[];
}

interface IngressListener {
  name: string;
  port: number;
  hostname?: string;
  routes: { hostnames: string[]; entries: RouteEntry[] }[];
}

export interface IngressIndex {
  /** `ns/name` of each ingress Gateway → its HTTP listeners. */
  gateways: Map<string, IngressListener[]>;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

function parentAttaches(ref: ParentReference, routeNs: string, gw: Gateway, l: Listener): boolean {
  if ((ref.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io' || (ref.kind ?? 'Gateway') !== 'Gateway') return false;
  if (ref.name !== gw.metadata.name || (ref.namespace ?? routeNs) !== gw.metadata.namespace) return false;
  if (ref.sectionName !== undefined && ref.sectionName !== l.name) return false;
  return ref.port === undefined || ref.port === l.port;
}

function namespaceAllowed(l: Listener, gwNs: string, routeNs: string, nsLabels: (ns: string) => Labels): boolean {
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Selector') return matchSelector(l.allowedRoutes?.namespaces?.selector, nsLabels(routeNs));
  return from === 'Same' && routeNs === gwNs;
}

export function compileIngress(index: RouteIndex, gateways: readonly Gateway[], routes: readonly HTTPRoute[], nsLabels: (ns: string) => Labels): IngressIndex {
  const out: IngressIndex = { gateways: new Map() };
  for (const gw of gateways) {
    const listeners: IngressListener[] = [];
    for (const l of gw.spec?.listeners ?? []) {
      if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') continue;
      const attached: IngressListener['routes'] = [];
      for (const r of routes) {
        const ns = r.metadata.namespace ?? 'default';
        if (!(r.spec?.parentRefs ?? []).some((ref) => parentAttaches(ref, ns, gw, l))) continue;
        if (!namespaceAllowed(l, gw.metadata.namespace ?? 'default', ns, nsLabels)) continue;
        const hostnames = (r.spec?.hostnames ?? []).filter((h) => !l.hostname || hostMatches(l.hostname, h) || hostMatches(h, l.hostname));
        if ((r.spec?.hostnames?.length ?? 0) > 0 && hostnames.length === 0) continue; // no hostname in common with the listener
        const converted = convertHTTPRoute(r, { registry: index.registry, drs: index.drs, proxyNs: gw.metadata.namespace ?? 'default' });
        if (converted.hardError) continue;
        attached.push({ hostnames, entries: converted.entries });
      }
      listeners.push({ name: l.name, port: l.port, ...(l.hostname ? { hostname: l.hostname } : {}), routes: attached });
    }
    out.gateways.set(`${gw.metadata.namespace ?? 'default'}/${gw.metadata.name}`, listeners);
  }
  return out;
}

/** Entries of the routes whose hostnames best match `host`: exact, then the longest wildcard, then routes without hostnames. */
function bucketFor(l: IngressListener, host: string): HostBucket | undefined {
  let best: { rank: number; routes: RouteEntry[][] } | undefined;
  for (const r of l.routes) {
    let rank = -1;
    if (r.hostnames.length === 0) rank = 0;
    for (const h of r.hostnames) {
      if (h === host) rank = Math.max(rank, 1_000_000);
      else if (hostMatches(h, host)) rank = Math.max(rank, h.length);
    }
    if (rank < 0) continue;
    if (!best || rank > best.rank) best = { rank, routes: [r.entries] };
    else if (rank === best.rank) best.routes.push(r.entries);
  }
  return best && { hostnames: [], entries: sortByPrecedence(best.routes.flat()) };
}

export type IngressDecision = RouteDecision | { type: 'no-listener'; status: 404; decisions: [] };

/** The route an ingress gateway takes for one request arriving on `port`. */
export function routeIngress(index: RouteIndex, ingress: IngressIndex, gateway: string, port: number, req: HttpRequest, rng: () => number, at: string): IngressDecision {
  const host = req.authority.replace(/:\d+$/, '').toLowerCase();
  const listeners = (ingress.gateways.get(gateway) ?? []).filter((l) => l.port === port && (!l.hostname || hostMatches(l.hostname, host)));
  // The most specific listener hostname wins.
  listeners.sort((a, b) => (b.hostname?.length ?? -1) - (a.hostname?.length ?? -1));
  const l = listeners[0];
  if (!l) return { type: 'no-listener', status: 404, decisions: [] };
  const bucket = bucketFor(l, host);
  const { path, query } = splitPath(req.path);
  const ctx: MatchContext = { method: req.method, path, query, authority: req.authority, scheme: req.scheme ?? 'http', headers: req.headers };
  const entry = bucket?.entries.find((e) => e.match === null || matchAll(e.match, ctx));
  if (!entry) return { type: 'no-route', status: 404, decisions: [routeDecision(at, 'no-route', null, `no HTTPRoute on listener ${l.name} matches ${host}${req.path} (404 NR)`)] };
  const [ns, name] = gateway.split('/') as [string, string];
  return act(index, entry, { namespace: ns, service: name, port }, ctx, req, rng, at);
}
