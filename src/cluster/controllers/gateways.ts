// istiod's Gateway controllers, as far as the cluster sees them: the GatewayClass controller
// (creates the built-in classes), the deployment controller (renders a ServiceAccount, Deployment
// and Service per managed Gateway) and the Gateway status writer (Accepted / Programmed / addresses).
import type { Condition, Gateway, GatewayAddress, GatewayClass, KubeObject, Labels, Listener, Service, ServicePort } from '../../k8s/types';
import { admitUpdate } from '../admission';
import { canonicalJson } from '../names';
import type { Runtime } from '../runtime';
import {
  BUILTIN_CLASSES,
  CLASS_INFOS,
  CONTROLLER_VERSION_ANNOTATION,
  GATEWAY_CLASS_LABEL,
  GATEWAY_MANAGED_LABEL,
  GATEWAY_NAME_LABEL,
  generatedName,
  NETWORK_LABEL,
  SERVICE_ACCOUNT_ANNOTATION,
  SERVICE_TYPE_ANNOTATION,
  type ClassInfo,
} from './gatewayNames';
import { SERVICE_NAME_LABEL } from './endpointSlices';

const GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';
const OMITTED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'gateway.istio.io/name-override', SERVICE_ACCOUNT_ANNOTATION, CONTROLLER_VERSION_ANNOTATION];
/** istiod's deployment controller version, written on every Gateway it manages. */
const CONTROLLER_VERSION = '5';

// ------------------------------------------------------------------ GatewayClass

export function reconcileGatewayClasses(rt: Runtime): void {
  for (const [name, controller] of Object.entries(BUILTIN_CLASSES)) {
    if (rt.get('GatewayClass', '', name)) continue;
    rt.create({
      apiVersion: GATEWAY_API_VERSION,
      kind: 'GatewayClass',
      metadata: { name },
      spec: { controllerName: controller, description: CLASS_INFOS[controller]!.description },
    });
  }
  for (const gc of rt.listAll('GatewayClass') as GatewayClass[]) {
    if (!CLASS_INFOS[gc.spec!.controllerName]) continue;
    const accepted = [{ type: 'Accepted', status: 'True' as const, reason: 'Accepted', message: 'Handled by Istio controller', observedGeneration: gc.metadata.generation }];
    const prev = gc.status?.conditions?.[0];
    if (prev?.status === 'True' && prev.observedGeneration === gc.metadata.generation) continue;
    rt.replace(gc, { ...gc, status: { conditions: accepted.map((c) => ({ ...c, lastTransitionTime: rt.stamp() })) } });
  }
}

function classOf(rt: Runtime, gw: Gateway): { className: string; info: ClassInfo } | undefined {
  const className = gw.spec?.gatewayClassName;
  if (!className) return undefined;
  const gc = rt.get('GatewayClass', '', className) as GatewayClass | undefined;
  const controller = gc?.spec?.controllerName ?? BUILTIN_CLASSES[className];
  const info = controller ? CLASS_INFOS[controller] : undefined;
  return info ? { className, info } : undefined;
}

// ------------------------------------------------------------------ deployment controller

function withoutPrefixed(m: Labels | undefined): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(m ?? {})) if (!k.startsWith('gateway.networking.k8s.io/')) out[k] = v;
  return out;
}

function omit(m: Labels, keys: string[]): Labels {
  const out = { ...m };
  for (const k of keys) delete out[k];
  return out;
}

/** Service ports: status-port 15021, then one per distinct listener port named after the listener. */
function servicePorts(listeners: Listener[]): ServicePort[] {
  const ports: ServicePort[] = [{ name: 'status-port', port: 15021, protocol: 'TCP', appProtocol: 'tcp' }];
  const seen = new Set<number>();
  const names = new Set(['status-port']);
  listeners.forEach((l, i) => {
    if (seen.has(l.port)) return;
    seen.add(l.port);
    let name = (l.name.replaceAll('.', '-') || `${l.protocol.toLowerCase()}-${i}`).slice(0, 63);
    for (let suffix = `-${l.port}`; names.has(name); suffix += 'x') name = name.slice(0, 63 - suffix.length) + suffix;
    names.add(name);
    ports.push({ name, port: l.port, protocol: 'TCP', appProtocol: l.protocol.toLowerCase() });
  });
  return ports;
}

interface Rendered {
  serviceAccount: KubeObject;
  deployment: KubeObject;
  service: KubeObject;
}

function render(rt: Runtime, gw: Gateway, className: string, info: ClassInfo): Rendered {
  const ns = gw.metadata.namespace!;
  const gwName = gw.metadata.name;
  const annotations = gw.metadata.annotations ?? {};
  const defaultName = info.disableNameSuffix ? gwName : `${gwName}-${className}`;
  const name = generatedName(gwName, className, info, annotations);
  const sa = annotations[SERVICE_ACCOUNT_ANNOTATION] ?? defaultName;
  const infra = gw.spec!.infrastructure;
  const infraLabels: Labels = infra?.labels ? withoutPrefixed(infra.labels) : { ...gw.metadata.labels };
  const infraAnnotations = omit(infra?.annotations ? withoutPrefixed(infra.annotations) : { ...annotations }, OMITTED_ANNOTATIONS);
  const isWaypoint = className.includes('waypoint');
  const isEastWest = className.includes('east-west');
  if (!isWaypoint && !isEastWest && !('istio.io/dataplane-mode' in (gw.metadata.labels ?? {})) && !('istio.io/dataplane-mode' in infraLabels)) {
    infraLabels['istio.io/dataplane-mode'] = 'none';
  }
  if ((isWaypoint || isEastWest) && !gw.metadata.labels?.[NETWORK_LABEL] && rt.opts.network) infraLabels[NETWORK_LABEL] = rt.opts.network;
  const managed = info.controller.replaceAll('/', '-');
  const gatewayLabels = { ...infraLabels, [GATEWAY_NAME_LABEL]: gwName, [GATEWAY_CLASS_LABEL]: className, [GATEWAY_MANAGED_LABEL]: managed };
  const ownerReferences = [{ apiVersion: GATEWAY_API_VERSION, kind: 'Gateway', name: gwName, uid: gw.metadata.uid }];
  const meta = (n: string, extraAnnotations: Labels = {}) => ({ name: n, namespace: ns, labels: gatewayLabels, annotations: { ...extraAnnotations, ...infraAnnotations }, ownerReferences });
  const podLabels = {
    'sidecar.istio.io/inject': 'false',
    ...(info.template === 'waypoint' ? { 'istio.io/dataplane-mode': 'none' } : {}),
    'service.istio.io/canonical-name': name,
    'service.istio.io/canonical-revision': 'latest',
    ...gatewayLabels,
  };
  const serviceType = annotations[SERVICE_TYPE_ANNOTATION] ?? info.serviceType;
  return {
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(sa) },
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name),
      spec: {
        selector: { matchLabels: { [GATEWAY_NAME_LABEL]: gwName } },
        template: {
          metadata: {
            annotations: { ...infraAnnotations, 'istio.io/rev': 'default', 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true' },
            labels: podLabels,
          },
          spec: {
            serviceAccountName: sa,
            containers: [
              {
                name: 'istio-proxy',
                image: `docker.io/istio/proxyv2:${rt.opts.istioVersion}`,
                args: ['proxy', info.template === 'waypoint' ? 'waypoint' : 'router'],
                ports: [
                  { containerPort: 15020, name: 'metrics', protocol: 'TCP' },
                  { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
                  { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
                ],
              },
            ],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name, info.template === 'waypoint' ? { 'networking.istio.io/traffic-distribution': 'PreferClose' } : {}),
      spec: { ipFamilyPolicy: 'PreferDualStack', ports: servicePorts(gw.spec!.listeners ?? []), selector: { [GATEWAY_NAME_LABEL]: gwName }, type: serviceType },
    },
  };
}

/**
 * Server-side apply as istiod's field manager does it: the rendered fields win, fields it does
 * not render (a Deployment's replicas after `kubectl scale`, a Service's ClusterIP) are kept.
 */
function applyManaged(rt: Runtime, obj: KubeObject): void {
  const existing = rt.get(obj.kind, obj.metadata.namespace!, obj.metadata.name);
  if (!existing) {
    rt.create(obj);
    return;
  }
  const merged: KubeObject = {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: { ...existing.metadata.labels, ...obj.metadata.labels },
      annotations: { ...existing.metadata.annotations, ...obj.metadata.annotations },
      ownerReferences: obj.metadata.ownerReferences,
    },
    ...(obj.spec ? { spec: { ...(existing.spec as object), ...(obj.spec as object) } } : {}),
  };
  const admitted = admitUpdate(rt, existing, merged, existing.kind);
  if (canonicalJson(admitted) !== canonicalJson(existing)) rt.replace(existing, admitted);
}

export function reconcileGatewayDeployment(rt: Runtime, key: string): void {
  let gw = rt.getByKey(key) as Gateway | undefined;
  if (!gw) return;
  const cls = classOf(rt, gw);
  // Gateways with explicit addresses point at existing infrastructure; istiod deploys nothing.
  if (!cls?.info.template || (gw.spec?.addresses?.length ?? 0) > 0) return;
  if (gw.metadata.annotations?.[CONTROLLER_VERSION_ANNOTATION] !== CONTROLLER_VERSION) {
    gw = rt.patch(gw, (d) => void (d.metadata.annotations = { ...d.metadata.annotations, [CONTROLLER_VERSION_ANNOTATION]: CONTROLLER_VERSION })) as Gateway;
  }
  const r = render(rt, gw, cls.className, cls.info);
  applyManaged(rt, r.serviceAccount);
  applyManaged(rt, r.deployment);
  applyManaged(rt, r.service);
}

// ------------------------------------------------------------------ status

function condition(rt: Runtime, prev: Condition[] | undefined, generation: number | undefined, c: Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>): Condition {
  const old = prev?.find((p) => p.type === c.type);
  const same = old && old.status === c.status && old.reason === c.reason && old.message === c.message;
  return { ...c, observedGeneration: generation, lastTransitionTime: same ? old.lastTransitionTime : rt.stamp() };
}

function supportedKinds(protocol: string): { group: string; kind: string }[] {
  const kinds = protocol === 'HTTP' || protocol === 'HTTPS' ? ['HTTPRoute', 'GRPCRoute'] : protocol === 'TCP' ? ['TCPRoute'] : protocol === 'TLS' ? ['TLSRoute'] : [];
  return kinds.map((kind) => ({ group: 'gateway.networking.k8s.io', kind }));
}

function humanJoin(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

/** Listener ports of the gateway Service that have at least one ready endpoint. */
function readyPorts(rt: Runtime, svc: Service): Set<number> {
  const ready = new Set<number>();
  const byName = new Map((svc.spec?.ports ?? []).map((p) => [p.name ?? '', p.port]));
  for (const slice of rt.children(svc.metadata.uid, 'EndpointSlice')) {
    if (slice.metadata.labels?.[SERVICE_NAME_LABEL] !== svc.metadata.name) continue;
    const s = slice as unknown as { endpoints: { conditions?: { ready?: boolean } }[]; ports?: { name?: string }[] };
    if (!s.endpoints.some((e) => e.conditions?.ready !== false)) continue;
    for (const p of s.ports ?? []) {
      const port = byName.get(p.name ?? '');
      if (port !== undefined) ready.add(port);
    }
  }
  return ready;
}

export function reconcileGatewayStatus(rt: Runtime, key: string): void {
  const gw = rt.getByKey(key) as Gateway | undefined;
  if (!gw) return;
  const cls = classOf(rt, gw);
  if (!cls) return;
  const status = cls.info.template ? managedStatus(rt, gw, cls.className, cls.info) : remoteStatus(rt, gw);
  if (JSON.stringify(status) !== JSON.stringify(gw.status)) rt.replace(gw, { ...gw, status });
}

function remoteStatus(rt: Runtime, gw: Gateway): Gateway['status'] {
  const prev = gw.status?.conditions;
  const gen = gw.metadata.generation;
  return {
    addresses: (gw.spec?.addresses ?? []).map((a) => ({ ...a })),
    conditions: [
      condition(rt, prev, gen, { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Resource accepted' }),
      condition(rt, prev, gen, { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'This Gateway is remote; Istio will not program it' }),
    ],
  };
}

function managedStatus(rt: Runtime, gw: Gateway, className: string, info: ClassInfo): Gateway['status'] {
  const ns = gw.metadata.namespace!;
  const svcName = generatedName(gw.metadata.name, className, info, gw.metadata.annotations);
  const host = `${svcName}.${ns}.svc.${rt.opts.domainSuffix}`;
  const svc = rt.get('Service', ns, svcName) as Service | undefined;
  const listeners = gw.spec?.listeners ?? [];
  const internal: string[] = [];
  let warning: { reason: string; message: string } | undefined;
  if (!svc) {
    warning = { reason: 'AddressNotUsable', message: `Failed to assign to any requested addresses: hostname "${host}" not found` };
  } else {
    const ready = readyPorts(rt, svc);
    for (const port of [...new Set(listeners.map((l) => l.port))]) if (ready.has(port)) internal.push(`${host}:${port}`);
    internal.sort();
    if (internal.length === 0) warning = { reason: 'AddressNotAssigned', message: `Failed to assign to any requested addresses: no instances found for hostname "${host}"` };
  }
  const prev = gw.status?.conditions;
  const gen = gw.metadata.generation;
  const programmedMessage = internal.length ? `Resource programmed, assigned to service(s) ${humanJoin(internal)}` : 'Resource programmed';
  const conditions = [
    condition(rt, prev, gen, { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Resource accepted' }),
    condition(rt, prev, gen, warning ? { type: 'Programmed', status: 'False', ...warning } : { type: 'Programmed', status: 'True', reason: 'Programmed', message: programmedMessage }),
    condition(rt, prev, gen, { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved' }),
  ];
  // Addresses appear once the Service has ready endpoints and are never removed afterwards.
  let addresses: GatewayAddress[] | undefined = gw.status?.addresses;
  if (internal.length && svc) {
    const external = ((svc.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? []).flatMap((i) => [i.ip, i.hostname].filter((v): v is string => !!v));
    const values = external.length
      ? external
      : [...(info.addressType !== 'Hostname' ? (svc.spec?.clusterIPs ?? []).filter((ip) => ip !== 'None') : []), ...(info.addressType !== 'IPAddress' ? [host] : [])];
    if (values.length) addresses = values.map((value) => ({ type: /^[\d.]+$|:/.test(value) ? 'IPAddress' : 'Hostname', value }));
  }
  const prevListeners = gw.status?.listeners ?? [];
  return {
    ...(addresses ? { addresses } : {}),
    conditions,
    listeners: listeners.map((l) => {
      const p = prevListeners.find((x) => x.name === l.name)?.conditions;
      return {
        name: l.name,
        attachedRoutes: prevListeners.find((x) => x.name === l.name)?.attachedRoutes ?? 0,
        conditions: [
          condition(rt, p, gen, { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'No errors found' }),
          condition(rt, p, gen, { type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: 'No errors found' }),
          condition(rt, p, gen, { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'No errors found' }),
          condition(rt, p, gen, { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'No errors found' }),
        ],
        supportedKinds: supportedKinds(l.protocol),
      };
    }),
  };
}
