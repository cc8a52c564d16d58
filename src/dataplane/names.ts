// `namespace/name` of workloads and services, and the reasons built from them, made once per
// object (mesh views are immutable) instead of once per request.
import type { ServiceInfo } from '../control/model';
import { FAST_PATHS } from '../fast-paths';

const refs = new WeakMap<object, string>();

/** `namespace/name` of a workload, service or waypoint (immutable objects of a mesh view). */
export function refOf(x: { readonly namespace: string; readonly name: string }): string {
  if (!FAST_PATHS) return `${x.namespace}/${x.name}`;
  let r = refs.get(x);
  if (r === undefined) refs.set(x, (r = `${x.namespace}/${x.name}`));
  return r;
}

/** Whether the Service declares port `port` (a loop: this runs for every request to a Service). */
export function servesPort(svc: ServiceInfo, port: number): boolean {
  const ports = svc.ports;
  for (let i = 0; i < ports.length; i++) if (ports[i]!.port === port) return true;
  return false;
}

const candidateReasons = new WeakMap<ServiceInfo, Map<number, string>>();

/** The load-balance decision's reason at a proxy: `N candidate endpoint(s) of ns/svc`. */
export function candidatesOf(n: number, svc: ServiceInfo): string {
  if (!FAST_PATHS) return `${n} candidate endpoint(s) of ${svc.namespace}/${svc.name}`;
  let byN = candidateReasons.get(svc);
  if (byN === undefined) candidateReasons.set(svc, (byN = new Map()));
  let r = byN.get(n);
  if (r === undefined) byN.set(n, (r = `${n} candidate endpoint(s) of ${svc.namespace}/${svc.name}`));
  return r;
}

const bindingReasons = new WeakMap<ServiceInfo, string>();

/** The waypoint-binding decision's reason for a Service. */
export function serviceBindingReason(svc: ServiceInfo): string {
  if (!FAST_PATHS) return bindingReason(svc);
  let r = bindingReasons.get(svc);
  if (r === undefined) bindingReasons.set(svc, (r = bindingReason(svc)));
  return r;
}

function bindingReason(svc: ServiceInfo): string {
  const what = svc.source.kind === 'ServiceEntry' ? `ServiceEntry ${svc.namespace}/${svc.name} (host ${svc.hostname})` : `service ${svc.namespace}/${svc.name}`;
  return `${what} is bound to this waypoint`;
}
