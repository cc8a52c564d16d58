// Name resolution as a pod sees it: IP literals, Service names with the pod's search domains,
// headless Services answering with their pods' IPs, and, for pods whose DNS ztunnel captures,
// ServiceEntry hosts answering with their VIPs.
import type { MeshView } from '../control/mesh-view';
import type { ServiceInfo, WorkloadInfo } from '../control/model';
import { FAST_PATHS } from '../fast-paths';

export type Resolved =
  | { kind: 'ip'; ip: string; service?: undefined }
  | { kind: 'service'; ip: string; service: ServiceInfo }
  | { kind: 'headless'; ips: string[]; service: ServiceInfo };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isIpLiteral(host: string): boolean {
  return IPV4.test(host) || host.includes(':');
}

/** Candidate FQDNs in resolv.conf order (`ndots:5`: a short name goes through the search list first). */
export function searchNames(host: string, clientNamespace: string, domain: string): string[] {
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  if (host.endsWith('.')) return [h];
  return [`${h}.${clientNamespace}.svc.${domain}`, `${h}.svc.${domain}`, `${h}.${domain}`, h];
}

/** Pod annotation that turns ztunnel's DNS capture on or off for one pod (istio-cni's AppendInpodRules). */
export const DNS_CAPTURE_ANNOTATION = 'ambient.istio.io/dns-capture';

/**
 * Whether ztunnel's DNS proxy answers the pod's lookups: istio-cni redirects port 53 of every
 * ambient pod to it (cni.ambient.dnsCapture defaults to true), unless the pod's annotation says "false".
 */
export function dnsCaptured(client: WorkloadInfo): boolean {
  if (client.mode !== 'ambient') return false;
  return client.pod.metadata.annotations?.[DNS_CAPTURE_ANNOTATION] !== 'false';
}

/**
 * Answers by view, then for uncaptured and captured clients, by client namespace and host;
 * headless answers depend on health and are not kept.
 */
const answers = new WeakMap<MeshView, [Map<string, Map<string, Resolved | undefined>>, Map<string, Map<string, Resolved | undefined>>]>();

export function resolveHost(view: MeshView, host: string, client: WorkloadInfo): Resolved | undefined {
  const captured = dnsCaptured(client);
  if (!FAST_PATHS) return resolveUncached(view, host, client.namespace, captured);
  let byCapture = answers.get(view);
  if (byCapture === undefined) answers.set(view, (byCapture = [new Map(), new Map()]));
  const byNs = byCapture[captured ? 1 : 0];
  let byHost = byNs.get(client.namespace);
  if (byHost === undefined) byNs.set(client.namespace, (byHost = new Map()));
  const known = byHost.get(host);
  if (known !== undefined || byHost.has(host)) return known;
  const r = resolveUncached(view, host, client.namespace, captured);
  if (r?.kind !== 'headless') byHost.set(host, r);
  return r;
}

function resolveUncached(view: MeshView, host: string, clientNamespace: string, captured: boolean): Resolved | undefined {
  if (isIpLiteral(host)) return { kind: 'ip', ip: host };
  for (const name of searchNames(host.toLowerCase(), clientNamespace, view.config.domain)) {
    const svc = view.serviceByHost.get(name);
    if (!svc) continue;
    // Only ztunnel's DNS proxy knows ServiceEntry hosts, and only those with an address. Past it, a
    // host the entry resolves by DNS is one the world's DNS answers: the server outside the cluster.
    if (svc.source.kind === 'ServiceEntry' && !(captured && svc.vips.length)) {
      if (view.externals.has(name)) return { kind: 'ip', ip: name };
      continue;
    }
    if (svc.headless) {
      const ips = svc.endpoints.filter((e) => e.workload.healthy || svc.includeUnhealthy).map((e) => e.workload.ip);
      return ips.length ? { kind: 'headless', ips, service: svc } : undefined;
    }
    const vip = svc.vips[0];
    if (vip) return { kind: 'service', ip: vip, service: svc };
  }
  return captured ? wildcardEntry(view, host.toLowerCase()) : undefined;
}

/** ztunnel's DNS proxy tries the wildcard hosts of ServiceEntries last: `*.example.com`, then `*.com`, for `www.example.com`. */
function wildcardEntry(view: MeshView, host: string): Resolved | undefined {
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  for (let i = 1; i < labels.length; i++) {
    const svc = view.serviceByHost.get(`*.${labels.slice(i).join('.')}`);
    if (svc?.source.kind === 'ServiceEntry' && svc.vips[0]) return { kind: 'service', ip: svc.vips[0], service: svc };
  }
  return undefined;
}
