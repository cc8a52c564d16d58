// Name resolution as a pod sees it: IP literals, Service names with the pod's search domains,
// headless Services answering with their pods' IPs.
import type { MeshView } from '../control/mesh-view';
import type { ServiceInfo } from '../control/model';
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

/** Answers by view, client namespace and host; headless answers depend on health and are not kept. */
const answers = new WeakMap<MeshView, Map<string, Map<string, Resolved | undefined>>>();

export function resolveHost(view: MeshView, host: string, clientNamespace: string): Resolved | undefined {
  if (!FAST_PATHS) return resolveUncached(view, host, clientNamespace);
  let byNs = answers.get(view);
  if (byNs === undefined) answers.set(view, (byNs = new Map()));
  let byHost = byNs.get(clientNamespace);
  if (byHost === undefined) byNs.set(clientNamespace, (byHost = new Map()));
  if (byHost.has(host)) return byHost.get(host);
  const r = resolveUncached(view, host, clientNamespace);
  if (r?.kind !== 'headless') byHost.set(host, r);
  return r;
}

function resolveUncached(view: MeshView, host: string, clientNamespace: string): Resolved | undefined {
  if (isIpLiteral(host)) return { kind: 'ip', ip: host };
  for (const name of searchNames(host.toLowerCase(), clientNamespace, view.config.domain)) {
    const svc = view.serviceByHost.get(name);
    if (!svc) continue;
    if (svc.headless) {
      const ips = svc.endpoints.filter((e) => e.workload.healthy || svc.includeUnhealthy).map((e) => e.workload.ip);
      return ips.length ? { kind: 'headless', ips, service: svc } : undefined;
    }
    const vip = svc.vips[0];
    if (vip) return { kind: 'service', ip: vip, service: svc };
  }
  return undefined;
}
