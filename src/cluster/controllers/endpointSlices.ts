// The EndpointSlice controller: one set of slices per Service with a selector, pods grouped by the
// ports they resolve (a pod lacking a named target port is left out of that port, as in Kubernetes),
// at most 100 endpoints per slice. Selector-less Services keep whatever slices the user applied.
import { matchLabels } from '../../k8s/object';
import type { EndpointSlice, EndpointSliceEndpoint, EndpointSlicePort, KubeObject, Labels, Pod, Service, ServicePort } from '../../k8s/types';
import { jsonEqual } from '../equal';
import { randomSuffix } from '../names';
import { seal } from '../seal';
import { isPodReady } from '../pods';
import { type Runtime, objKey } from '../runtime';
import { ownerRef } from './workloads';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const MAX_ENDPOINTS_PER_SLICE = 100;

interface DesiredSlice {
  portsKey: string;
  ports: EndpointSlicePort[] | undefined;
  endpoints: EndpointSliceEndpoint[];
}

/** The target port a service port maps to on one pod, or undefined when a named port is missing. */
export function resolveTargetPort(sp: ServicePort, pod: Pod): number | undefined {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec?.containers ?? []) for (const cp of c.ports ?? []) if (cp.name === t && (cp.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return cp.containerPort;
  return undefined;
}

/** The eight possible condition sets, frozen and shared by every endpoint. */
const CONDITIONS = Array.from({ length: 8 }, (_, i) => Object.freeze({ ready: (i & 4) !== 0, serving: (i & 2) !== 0, terminating: (i & 1) !== 0 }));

function endpointConditions(ready: boolean, serving: boolean, terminating: boolean): EndpointSliceEndpoint['conditions'] {
  return CONDITIONS[(ready ? 4 : 0) | (serving ? 2 : 0) | (terminating ? 1 : 0)]!;
}

function hasSelector(svc: Service): boolean {
  return !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0 && svc.spec.type !== 'ExternalName';
}

/** Marks Services whose selector matched a pod that changed (old or new labels) for recomputation. */
export function expandPodChanges(rt: Runtime): void {
  for (const [ns, labelSets] of rt.changedPodLabels) {
    for (const svc of rt.list('Service', ns) as Service[]) {
      if (!hasSelector(svc)) continue;
      const key = objKey('Service', ns, svc.metadata.name);
      if (rt.queues.endpoints.has(key)) continue;
      for (const labels of labelSets) {
        if (matchLabels(svc.spec!.selector, labels)) {
          rt.enqueue('endpoints', key);
          break;
        }
      }
    }
  }
  rt.changedPodLabels.clear();
}

function selectedPods(rt: Runtime, ns: string, selector: Labels): Pod[] {
  const out: Pod[] = [];
  const groups = rt.podGroups.get(ns);
  for (const labels of groups?.keys() ?? []) {
    if (!matchLabels(selector, labels)) continue;
    for (const n of groups!.get(labels)) {
      const p = rt.get('Pod', ns, n) as Pod | undefined;
      if (p) out.push(p);
    }
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/**
 * A pod's endpoint, built frozen and in the store's key order so the store keeps it as it is
 * (sealing would copy it and its two nested objects again).
 */
function endpointOf(rt: Runtime, pod: Pod, ip: string, service: string, publishNotReady: boolean): EndpointSliceEndpoint {
  const terminating = !!pod.metadata.deletionTimestamp;
  const serving = publishNotReady || isPodReady(pod);
  const conditions = endpointConditions(serving && !terminating, serving, terminating);
  const nodeName = pod.spec?.nodeName;
  const zone = nodeName ? rt.nodes.get(nodeName)?.zone : undefined;
  const podSpec = pod.spec as { hostname?: string; subdomain?: string } | undefined;
  const addresses = Object.freeze([ip]) as string[];
  const targetRef = Object.freeze({ kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace!, uid: pod.metadata.uid });
  const hostname = podSpec && podSpec.subdomain === service;
  // The usual endpoint as one literal (an exact-size object); the rest key by key, then sealed.
  if (!hostname && nodeName && zone) return Object.freeze({ addresses, conditions, nodeName, zone, targetRef }) as EndpointSliceEndpoint;
  const endpoint: EndpointSliceEndpoint = { addresses, conditions };
  if (hostname) endpoint.hostname = podSpec.hostname;
  if (nodeName) endpoint.nodeName = nodeName;
  if (zone) endpoint.zone = zone;
  endpoint.targetRef = targetRef;
  return seal(endpoint);
}

function desiredSlices(rt: Runtime, svc: Service): DesiredSlice[] {
  const ns = svc.metadata.namespace!;
  const spec = svc.spec!;
  const groups = new Map<string, DesiredSlice>();
  // The ports a pod resolves depend only on its containers, which pods of one template share.
  const byContainers = new Map<unknown, DesiredSlice>();
  const publishNotReady = spec.publishNotReadyAddresses === true;
  for (const pod of selectedPods(rt, ns, spec.selector!)) {
    const ip = pod.status?.podIP;
    if (!ip || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const containers = pod.spec?.containers;
    let g = byContainers.get(containers);
    if (!g) {
      const ports: EndpointSlicePort[] = [];
      for (const sp of spec.ports ?? []) {
        const port = resolveTargetPort(sp, pod);
        if (port !== undefined) ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      const portsKey = JSON.stringify(ports);
      g = groups.get(portsKey);
      if (!g) groups.set(portsKey, (g = { portsKey, ports, endpoints: [] }));
      byContainers.set(containers, g);
    }
    g.endpoints.push(endpointOf(rt, pod, ip, svc.metadata.name, publishNotReady));
  }
  const out: DesiredSlice[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      out.push({ ...g, endpoints: Object.freeze(g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE)) as EndpointSliceEndpoint[] });
    }
  }
  // Kubernetes keeps one empty placeholder slice for a Service with no endpoints.
  return out.length ? out : [{ portsKey: 'null', ports: undefined, endpoints: [] }];
}

function sliceLabels(svc: Service): Labels {
  const labels: Labels = { ...svc.metadata.labels, [MANAGED_BY_LABEL]: SLICE_CONTROLLER, [SERVICE_NAME_LABEL]: svc.metadata.name };
  if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  return labels;
}

export function reconcileEndpointSlices(rt: Runtime, key: string): void {
  const svc = rt.getByKey(key) as Service | undefined;
  if (!svc) return;
  const ns = svc.metadata.namespace!;
  const existing = (rt.children(svc.metadata.uid, 'EndpointSlice') as EndpointSlice[]).filter((s) => s.metadata.labels?.[MANAGED_BY_LABEL] === SLICE_CONTROLLER);
  const desired = hasSelector(svc) ? desiredSlices(rt, svc) : [];
  const labels = sliceLabels(svc);
  const unused = new Set(existing);
  for (const want of desired) {
    const reuse = [...unused].find((s) => jsonEqual(s.ports ?? null, want.ports ?? null)) ?? [...unused].find(() => true);
    const body = { addressType: 'IPv4' as const, endpoints: want.endpoints, ...(want.ports ? { ports: want.ports } : {}) };
    if (reuse) {
      unused.delete(reuse);
      const sameLabels = jsonEqual(reuse.metadata.labels, labels);
      const same = sameLabels && jsonEqual(reuse.endpoints, body.endpoints) && jsonEqual(reuse.ports ?? null, want.ports ?? null);
      if (!same) {
        // Labels that read the same keep their stored (frozen) object.
        const next: KubeObject = { ...reuse, metadata: sameLabels ? reuse.metadata : { ...reuse.metadata, labels }, ...body };
        if (!want.ports) delete next.ports;
        rt.replace(reuse, next);
      }
      continue;
    }
    let name: string;
    do name = `${svc.metadata.name}-${randomSuffix(rt.rng)}`;
    while (rt.get('EndpointSlice', ns, name));
    rt.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name, generateName: `${svc.metadata.name}-`, namespace: ns, labels, ownerReferences: [ownerRef(svc)] },
      ...body,
    } as EndpointSlice);
  }
  for (const s of unused) rt.remove('EndpointSlice', ns, s.metadata.name);
}
