// The mesh view's Services: addresses, ports, endpoints (the pods and WorkloadEntries a selector
// picks, or the pods a selector-less Service's EndpointSlices name) and the waypoint each is
// bound to. ExternalName Services are not in it.
import { matchLabels } from '../k8s/object';
import type { EndpointSlice, Labels, Service } from '../k8s/types';
import { exactSize } from './exact-size';
import { resolveTargetPort, serviceHostname } from './intern';
import { EASTWEST_CONTROLLER, GATEWAY_MANAGED, GLOBAL_SERVICE, INGRESS_USE_WAYPOINT, MESH_CONTROLLER, SERVICE_NAME, TRAFFIC_DISTRIBUTION_ANNOTATION } from './labels';
import type { ObjectReader, ViewContext } from './mesh-view';
import type { LoadBalancingMode, ServiceEndpoint, ServiceInfo, ServicePortInfo, WorkloadInfo } from './model';
import type { PodIndex } from './pod-index';
import { resolveWaypoint } from './waypoints';
import { NO_LABELS } from './workload';
import { selectedEntries, type EntryWorkloadEndpoint } from './workload-entries';

export interface ServiceInputs extends ViewContext {
  /** The cluster's DNS domain (`cluster.local`). */
  domain: string;
  objects: ObjectReader;
  podsByNs: ReadonlyMap<string, readonly WorkloadInfo[]>;
  workloadByPod: PodIndex;
  namedPortsOf: ReadonlyMap<WorkloadInfo, Record<string, number>>;
  workloadEntries: Map<string, EntryWorkloadEndpoint[]>;
  nsAnnotations: ReadonlyMap<string, Labels>;
}

export interface ViewServices {
  services: ServiceInfo[];
  /** `ns/name` of a waypoint → the Service deployed for it. */
  waypointServices: Map<string, ServiceInfo>;
}

/**
 * Whether an ingress gateway sends to the Service's waypoint (istiod 1.28's ingressUseWaypoint):
 * the Service's own label when it has one, else its namespace's; only `true`, in any case, is true.
 */
export function ingressUseWaypoint(svcLabels: Labels, nsLabels: Labels): boolean {
  return (svcLabels[INGRESS_USE_WAYPOINT] ?? nsLabels[INGRESS_USE_WAYPOINT])?.toLowerCase() === 'true';
}

/** Service spec > Service annotation > Namespace annotation; internalTrafficPolicy Local wins (§3.4). */
function loadBalancingOf(svc: Service, nsAnnotations: Labels): LoadBalancingMode {
  if (svc.spec?.internalTrafficPolicy === 'Local') return { mode: 'strict', preferences: ['node'] };
  const td =
    svc.spec?.trafficDistribution ??
    svc.metadata.annotations?.[TRAFFIC_DISTRIBUTION_ANNOTATION] ??
    nsAnnotations[TRAFFIC_DISTRIBUTION_ANNOTATION];
  if (td === 'PreferClose' || td === 'PreferSameZone') return { mode: 'failover', preferences: ['network', 'region', 'zone'] };
  if (td === 'PreferSameNode') return { mode: 'failover', preferences: ['network', 'region', 'zone', 'subzone', 'node'] };
  return { mode: 'any' };
}

/**
 * Selector-less Services: the pods their EndpointSlices name by targetRef (istiod's
 * matchingServicesWithoutSelectors), each port taken from the slice port of the same name.
 * Indexed on first use: most meshes have no selector-less Service but the API server's.
 */
function sliceEndpointsOf(inputs: ServiceInputs): (name: string, ns: string, ports: readonly ServicePortInfo[]) => ServiceEndpoint[] {
  let slicesByService: Map<string, EndpointSlice[]> | undefined;
  const slicesOf = (key: string): EndpointSlice[] => {
    if (slicesByService === undefined) {
      slicesByService = new Map();
      for (const o of inputs.objects.list('EndpointSlice') as EndpointSlice[]) {
        const owner = o.metadata.labels?.[SERVICE_NAME];
        if (owner === undefined) continue;
        const k = `${o.metadata.namespace ?? 'default'}/${owner}`;
        const list = slicesByService.get(k);
        if (list) list.push(o);
        else slicesByService.set(k, [o]);
      }
    }
    return slicesByService.get(key) ?? [];
  };
  return (name, ns, ports) => {
    const out: ServiceEndpoint[] = [];
    for (const slice of slicesOf(`${ns}/${name}`)) {
      const pairs: [number, number][] = [];
      for (const p of ports) {
        const sp = (slice.ports ?? []).find((x) => (x.name ?? '') === (p.name ?? ''));
        if (sp?.port !== undefined) pairs.push([p.port, sp.port]);
      }
      const targetPorts = inputs.interner.targetPorts(pairs);
      for (const e of slice.endpoints ?? []) {
        const ref = e.targetRef;
        if (ref?.kind !== 'Pod') continue;
        const w = inputs.workloadByPod.get(`${ref.namespace ?? ns}/${ref.name}`);
        if (w) out.push({ workload: w, targetPorts });
      }
    }
    return out;
  };
}

/** The pods and WorkloadEntries of the Service's namespace its selector picks, each with its target ports. */
function selectedEndpoints(inputs: ServiceInputs, ns: string, selector: Labels, ports: readonly ServicePortInfo[]): ServiceEndpoint[] {
  const endpoints: ServiceEndpoint[] = [];
  // Pods with the same named ports share one table, so resolve once per table.
  const byNamedPorts = new Map<Record<string, number>, Map<number, number>>();
  for (const w of inputs.podsByNs.get(ns) ?? []) {
    if (!matchLabels(selector, w.labels)) continue;
    const namedPorts = inputs.namedPortsOf.get(w)!;
    let targetPorts = byNamedPorts.get(namedPorts);
    if (!targetPorts) {
      const pairs: [number, number][] = [];
      for (const p of ports) {
        const tp = resolveTargetPort(p.targetPort, namedPorts);
        if (tp !== undefined) pairs.push([p.port, tp]);
      }
      byNamedPorts.set(namedPorts, (targetPorts = inputs.interner.targetPorts(pairs)));
    }
    endpoints.push({ workload: w, targetPorts });
  }
  for (const e of selectedEntries(inputs.workloadEntries, ns, selector, ports, inputs.interner, 'Service')) endpoints.push(e);
  return endpoints;
}

export function viewServices(inputs: ServiceInputs): ViewServices {
  const sliceEndpoints = sliceEndpointsOf(inputs);
  const services: ServiceInfo[] = [];
  const waypointServices = new Map<string, ServiceInfo>();
  for (const svc of inputs.objects.list('Service') as Service[]) {
    if (svc.spec?.type === 'ExternalName') continue;
    const ns = svc.metadata.namespace ?? 'default';
    const labels = svc.metadata.labels ?? NO_LABELS;
    const headless = svc.spec?.clusterIP === 'None';
    const vips = headless ? [] : (svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []));
    const ports = (svc.spec?.ports ?? []).map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      protocol: p.protocol ?? 'TCP',
      appProtocol: p.appProtocol,
    }));
    const selector = svc.spec?.selector;
    const endpoints = selector && Object.keys(selector).length > 0 ? selectedEndpoints(inputs, ns, selector, ports) : sliceEndpoints(svc.metadata.name, ns, ports);
    const managed = labels[GATEWAY_MANAGED];
    const info: ServiceInfo = {
      cluster: inputs.cluster,
      namespace: ns,
      name: svc.metadata.name,
      hostname: serviceHostname(svc.metadata.name, ns, inputs.domain),
      vips,
      headless,
      ports,
      endpoints: exactSize(endpoints),
      labels,
      ingressUseWaypoint: ingressUseWaypoint(labels, inputs.nsLabels(ns)),
      loadBalancing: loadBalancingOf(svc, inputs.nsAnnotations.get(ns) ?? NO_LABELS),
      includeUnhealthy: svc.spec?.publishNotReadyAddresses === true,
      global: labels[GLOBAL_SERVICE] === 'true',
      source: { kind: 'Service', spec: svc.spec ?? {} },
    };
    // Services of waypoints and east-west gateways are never bound (fetchWaypointForService).
    if (managed !== MESH_CONTROLLER && managed !== EASTWEST_CONTROLLER) {
      const b = resolveWaypoint({ kind: 'Service', namespace: ns, labels }, inputs.lookup);
      info.waypoint = b.waypoint;
      info.waypointCondition = b.condition;
      if (b.waypoint && b.condition) {
        // The condition speaks of the Service's own label only (istiod's GetConditions).
        const own = labels[INGRESS_USE_WAYPOINT];
        if (own?.toLowerCase() === 'true') b.condition.message += '. Ingress traffic will traverse the waypoint';
        else if (own !== undefined)
          b.condition.message += '. Ingress traffic is not using the waypoint, set the istio.io/ingress-use-waypoint label to true if desired.';
      }
    }
    services.push(info);
    const wpKey = `${ns}/${svc.metadata.name}`;
    if (inputs.waypoints.has(wpKey) && managed !== undefined) waypointServices.set(wpKey, info);
  }
  return { services, waypointServices };
}
