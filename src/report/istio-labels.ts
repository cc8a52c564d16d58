// Istio's standard metric labels (istio.io "Istio Standard Metrics"; ztunnel's CommonTrafficLabels),
// filled from a request record. Values the result does not carry are `unknown`, as Istio writes them.
import type { CallRecord, Decision, Hop } from '../result/types';
import type { LabelPairs } from './prometheus-text';
import type { Sender } from './request-walk';
import { workloadOfPod } from './workload-name';

export const UNKNOWN = 'unknown';

export interface Peer {
  workload: string;
  namespace: string;
  principal: string;
  cluster: string;
}

/** `seenIdentity`: what the reporting proxy saw (null: no identity, undefined: not recorded). */
export function senderPeer(s: Sender, seenIdentity: string | null | undefined): Peer {
  return { workload: workloadOfPod(s.pod), namespace: s.namespace, principal: (seenIdentity === undefined ? s.identity : seenIdentity) ?? UNKNOWN, cluster: s.cluster };
}

/** A waypoint or gateway forwarding a request: its workload is the Deployment named after the Gateway. */
export function proxyPeer(h: Hop, seenIdentity: string | null | undefined): Peer {
  return { workload: h.name, namespace: h.namespace ?? UNKNOWN, principal: seenIdentity ?? UNKNOWN, cluster: h.cluster ?? UNKNOWN };
}

/** The destination's principal is unknown: the result does not record the service account of the answering pod. */
export function destinationPeer(pod: Hop | undefined, r: CallRecord): Peer {
  const b = r.backend;
  if (b) return { workload: workloadOfPod(b.pod), namespace: b.namespace, principal: UNKNOWN, cluster: b.cluster };
  if (pod) return { workload: workloadOfPod(pod.name), namespace: pod.namespace ?? UNKNOWN, principal: UNKNOWN, cluster: pod.cluster ?? UNKNOWN };
  return { workload: UNKNOWN, namespace: UNKNOWN, principal: UNKNOWN, cluster: UNKNOWN };
}

/**
 * `destination_service` is the Service's hostname. The result names the Service `ns/name`; its
 * hostname is the one the client used when that was the Service's FQDN, else under cluster.local.
 */
export function serviceLabels(r: CallRecord): LabelPairs {
  const svc = r.to.service;
  if (!svc) return [['destination_service', r.to.host], ['destination_service_name', r.to.host], ['destination_service_namespace', UNKNOWN]];
  const slash = svc.indexOf('/');
  const ns = svc.slice(0, slash);
  const name = svc.slice(slash + 1);
  const host = r.to.host.startsWith(`${name}.${ns}.svc.`) ? r.to.host : `${name}.${ns}.svc.cluster.local`;
  return [['destination_service', host], ['destination_service_name', name], ['destination_service_namespace', ns]];
}

export function trafficLabels(reporter: string, src: Peer, dst: Peer, r: CallRecord, rest: LabelPairs): LabelPairs {
  return [
    ['reporter', reporter],
    ['source_workload', src.workload],
    ['source_workload_namespace', src.namespace],
    ['source_principal', src.principal],
    ['source_cluster', src.cluster],
    ['destination_workload', dst.workload],
    ['destination_workload_namespace', dst.namespace],
    ['destination_principal', dst.principal],
    ...serviceLabels(r),
    ['destination_cluster', dst.cluster],
    ...rest,
  ];
}

/** The identity a proxy saw, from the policy decision it took on the request. */
export function seenIdentity(here: Decision[]): string | null | undefined {
  return here.find((d) => d.sourceIdentity !== undefined)?.sourceIdentity;
}
