// TCPRoute / TLSRoute and VirtualService tcp/tls routes at a waypoint's TCP chain
// (Istio listener_waypoint.go getWaypointTCPRoutes): no matching, one weighted backend set.
import type { TCPRoute, TLSRoute, VirtualService, VSDestination } from '../k8s/types';
import { resolveL4Backend, type ConfigError, type ConvertContext } from './gateway-convert';
import type { ResolvedBackend } from './model';
import { hostMatches, type KnownService, type Registry } from './registry';
import type { DestinationRules } from './traffic-policy';

export interface L4Route {
  label: string;
  tls: boolean;
  backends: ResolvedBackend[];
  totalWeight: number;
}

export interface L4ConvertResult {
  route: L4Route | null;
  softError?: ConfigError;
  hardError?: ConfigError;
}

/** A Gateway API TCPRoute/TLSRoute for one parent service. */
export function convertL4Route(kind: 'TCPRoute' | 'TLSRoute', obj: TCPRoute | TLSRoute, svc: KnownService, ctx: ConvertContext): L4ConvertResult {
  const ns = obj.metadata.namespace ?? 'default';
  const label = `${kind} ${ns}/${obj.metadata.name}`;
  if (kind === 'TLSRoute' && !tlsApplies((obj as TLSRoute).spec?.hostnames, svc)) return { route: null };
  const rule = obj.spec?.rules?.[0];
  const backends: ResolvedBackend[] = [];
  let softError: ConfigError | undefined;
  for (const ref of rule?.backendRefs ?? []) {
    if ((ref.weight ?? 1) === 0) continue;
    const r = resolveL4Backend(ref, ns, ctx);
    if (r.hardError) return { route: null, hardError: r.hardError };
    softError ??= r.error;
    backends.push({ weight: ref.weight ?? 1, target: r.target, cluster: r.cluster, ...(r.invalidReason ? { invalidReason: r.invalidReason } : {}), requestHeaders: null, responseHeaders: null });
  }
  const route: L4Route = { label, tls: kind === 'TLSRoute', backends, totalWeight: backends.reduce((s, b) => s + b.weight, 0) };
  return softError ? { route, softError } : { route };
}

/**
 * The waypoint does not inspect SNI: a TLS route is used only when its SNI list is exactly the
 * service's FQDN (no hostnames ⇒ the FQDN; several ⇒ filtered to those matching it).
 */
function tlsApplies(hostnames: string[] | undefined, svc: KnownService): boolean {
  const fqdn = svc.hosts[0];
  if (!fqdn) return false;
  if (!hostnames || hostnames.length === 0) return true;
  const sni = hostnames.length > 1 ? hostnames.filter((h) => hostMatches(h, fqdn)) : hostnames;
  return sni.length === 1 && sni[0] === fqdn;
}

interface VsL4Route {
  match?: { port?: number; sniHosts?: string[]; sourceLabels?: Record<string, string> }[];
  route?: { destination: VSDestination; weight?: number }[];
}

/** First applicable tcp (or tls) route of a VirtualService for this service port. */
export function vsL4Route(vs: VirtualService, which: 'tcp' | 'tls', svc: KnownService, port: number, registry: Registry, drs: DestinationRules, proxyNs: string): L4Route | null {
  const ns = vs.metadata.namespace ?? 'default';
  const routes = ((which === 'tcp' ? vs.spec?.tcp : vs.spec?.tls) ?? []) as VsL4Route[];
  for (const r of routes) {
    const matches = (r.match ?? []).filter((m) => !m.sourceLabels || Object.keys(m.sourceLabels).length === 0);
    if (r.match?.length && matches.length === 0) continue;
    const ok =
      which === 'tcp'
        ? matches.length === 0 || matches.some((m) => m.port === undefined || m.port === port)
        : matches.some((m) => (m.port === undefined || m.port === port) && m.sniHosts?.length === 1 && m.sniHosts[0] === svc.hosts[0]);
    if (!ok) continue;
    const single = (r.route ?? []).length === 1;
    const backends: ResolvedBackend[] = [];
    for (const d of r.route ?? []) {
      const weight = single ? 1 : (d.weight ?? 0);
      if (weight <= 0) continue;
      const host = registry.resolveHost(d.destination.host, ns);
      const target = registry.byHostname(host);
      const p = d.destination.port?.number ?? (target === svc ? port : target?.ports.length === 1 ? target.ports[0]! : port);
      if (!target || !target.ports.includes(p)) {
        backends.push({ weight, target: null, cluster: null, invalidReason: `no cluster for ${host}:${p}`, requestHeaders: null, responseHeaders: null });
        continue;
      }
      backends.push({
        weight,
        target: { kind: target.kind, namespace: target.namespace, name: target.name, port: p, host, ...(d.destination.subset ? { subset: d.destination.subset } : {}) },
        cluster: drs.policy(host, target.namespace, proxyNs, p, d.destination.subset, 'tcp'),
        requestHeaders: null,
        responseHeaders: null,
      });
    }
    return { label: `VirtualService ${ns}/${vs.metadata.name}`, tls: which === 'tls', backends, totalWeight: backends.reduce((s, b) => s + b.weight, 0) };
  }
  return null;
}
