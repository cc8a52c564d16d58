// kubectl's table columns per kind (the built-in printers and the CRDs' additionalPrinterColumns),
// normal and `-o wide`.
import type { Condition, Deployment, EndpointSlice, Gateway, KubeObject, Labels, Node, Pod, Service } from '../../k8s/types';
import { ISTIO_GATEWAY_KIND } from '../../cluster';
import { ageOf } from '../text/age';

export interface PrintContext {
  /** Wall-clock time of the simulated now, epoch ms. */
  nowEpochMs: number;
  kubeletVersion: string;
}

interface Column {
  header: string;
  wide?: boolean;
  cell(obj: KubeObject, ctx: PrintContext): string;
}

const NONE = '<none>';

const age: Column = { header: 'AGE', cell: (o, c) => ageOf(o.metadata.creationTimestamp, c.nowEpochMs) };

function conditionStatus(conds: Condition[] | undefined, type: string): string | undefined {
  return conds?.find((c) => c.type === type)?.status;
}

function selectorText(sel: Labels | undefined): string {
  const keys = Object.keys(sel ?? {});
  return keys.length ? keys.sort().map((k) => `${k}=${sel![k]}`).join(',') : NONE;
}

function podReadyCount(p: Pod): string {
  const total = p.spec?.containers.length ?? 0;
  const ready = conditionStatus(p.status?.conditions, 'ContainersReady') === 'True' || conditionStatus(p.status?.conditions, 'Ready') === 'True' ? total : 0;
  return `${ready}/${total}`;
}

function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  const phase = p.status?.phase ?? 'Pending';
  if (phase === 'Pending' && !p.spec?.nodeName) return 'Pending';
  if (phase === 'Pending') return 'ContainerCreating';
  return phase;
}

function servicePorts(s: Service): string {
  const ports = s.spec?.ports ?? [];
  if (!ports.length) return NONE;
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIp(s: Service): string {
  const type = s.spec?.type ?? 'ClusterIP';
  if (type === 'ExternalName') return s.spec?.externalName ?? NONE;
  if (type !== 'LoadBalancer') return NONE;
  const ingress = (s.status?.loadBalancer as { ingress?: { ip?: string; hostname?: string }[] } | undefined)?.ingress ?? [];
  return ingress.length ? ingress.map((i) => i.ip ?? i.hostname ?? '').join(',') : '<pending>';
}

function num(v: unknown): string {
  return String(typeof v === 'number' ? v : 0);
}

function field(o: KubeObject, path: string[]): unknown {
  let v: unknown = o;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

/** A CRD printer column: missing values print `<none>`, lists as JSON. */
function crdColumn(header: string, path: string[]): Column {
  return {
    header,
    cell: (o) => {
      const v = field(o, path);
      if (v === undefined || v === null) return NONE;
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    },
  };
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    { header: 'READY', cell: (o) => podReadyCount(o as Pod) },
    { header: 'STATUS', cell: (o) => podStatus(o as Pod) },
    { header: 'RESTARTS', cell: () => '0' },
    age,
    { header: 'IP', wide: true, cell: (o) => (o as Pod).status?.podIP ?? NONE },
    { header: 'NODE', wide: true, cell: (o) => (o as Pod).spec?.nodeName ?? NONE },
    { header: 'NOMINATED NODE', wide: true, cell: () => NONE },
    { header: 'READINESS GATES', wide: true, cell: () => NONE },
  ],
  Service: [
    { header: 'TYPE', cell: (o) => (o as Service).spec?.type ?? 'ClusterIP' },
    { header: 'CLUSTER-IP', cell: (o) => (o as Service).spec?.clusterIP ?? NONE },
    { header: 'EXTERNAL-IP', cell: (o) => externalIp(o as Service) },
    { header: 'PORT(S)', cell: (o) => servicePorts(o as Service) },
    age,
    { header: 'SELECTOR', wide: true, cell: (o) => selectorText((o as Service).spec?.selector) },
  ],
  Namespace: [{ header: 'STATUS', cell: (o) => (o.status as { phase?: string } | undefined)?.phase ?? 'Active' }, age],
  Node: [
    { header: 'STATUS', cell: (o) => (conditionStatus((o as Node).status?.conditions, 'Ready') === 'True' ? 'Ready' : 'NotReady') },
    { header: 'ROLES', cell: (o) => roles(o.metadata.labels) },
    age,
    { header: 'VERSION', cell: (_o, c) => c.kubeletVersion },
    { header: 'INTERNAL-IP', wide: true, cell: (o) => (o as Node).status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? NONE },
    { header: 'EXTERNAL-IP', wide: true, cell: () => NONE },
    { header: 'OS-IMAGE', wide: true, cell: () => 'Debian GNU/Linux 12 (bookworm)' },
    { header: 'KERNEL-VERSION', wide: true, cell: () => '6.8.0' },
    { header: 'CONTAINER-RUNTIME', wide: true, cell: () => 'containerd://1.7.18' },
  ],
  Deployment: [
    { header: 'READY', cell: (o) => `${num((o as Deployment).status?.readyReplicas)}/${(o as Deployment).spec?.replicas ?? 1}` },
    { header: 'UP-TO-DATE', cell: (o) => num((o as Deployment).status?.updatedReplicas) },
    { header: 'AVAILABLE', cell: (o) => num((o as Deployment).status?.availableReplicas) },
    age,
    ...workloadWide(),
  ],
  ReplicaSet: [
    { header: 'DESIRED', cell: (o) => String((o as Deployment).spec?.replicas ?? 1) },
    { header: 'CURRENT', cell: (o) => num((o as Deployment).status?.replicas) },
    { header: 'READY', cell: (o) => num((o as Deployment).status?.readyReplicas) },
    age,
    ...workloadWide(),
  ],
  StatefulSet: [{ header: 'READY', cell: (o) => `${num((o as Deployment).status?.readyReplicas)}/${(o as Deployment).spec?.replicas ?? 1}` }, age, ...workloadWide().slice(0, 2)],
  DaemonSet: [
    { header: 'DESIRED', cell: (o) => num(field(o, ['status', 'desiredNumberScheduled'])) },
    { header: 'CURRENT', cell: (o) => num(field(o, ['status', 'currentNumberScheduled'])) },
    { header: 'READY', cell: (o) => num(field(o, ['status', 'numberReady'])) },
    { header: 'UP-TO-DATE', cell: (o) => num(field(o, ['status', 'updatedNumberScheduled'])) },
    { header: 'AVAILABLE', cell: (o) => num(field(o, ['status', 'numberAvailable'])) },
    { header: 'NODE SELECTOR', cell: (o) => selectorText(field(o, ['spec', 'template', 'spec', 'nodeSelector']) as Labels | undefined) },
    age,
    ...workloadWide(),
  ],
  EndpointSlice: [
    { header: 'ADDRESSTYPE', cell: (o) => (o as EndpointSlice).addressType },
    { header: 'PORTS', cell: (o) => ((o as EndpointSlice).ports ?? []).map((p) => String(p.port ?? '')).join(',') || NONE },
    { header: 'ENDPOINTS', cell: (o) => endpointsText(o as EndpointSlice) },
    age,
  ],
  ServiceAccount: [{ header: 'SECRETS', cell: () => '0' }, age],
  ConfigMap: [{ header: 'DATA', cell: (o) => String(Object.keys((o.data as object | undefined) ?? {}).length) }, age],
  Gateway: [
    { header: 'CLASS', cell: (o) => (o as Gateway).spec?.gatewayClassName ?? '' },
    { header: 'ADDRESS', cell: (o) => (o as Gateway).status?.addresses?.[0]?.value ?? '' },
    { header: 'PROGRAMMED', cell: (o) => conditionStatus((o as Gateway).status?.conditions, 'Programmed') ?? 'Unknown' },
    age,
  ],
  GatewayClass: [
    crdColumn('CONTROLLER', ['spec', 'controllerName']),
    { header: 'ACCEPTED', cell: (o) => conditionStatus(field(o, ['status', 'conditions']) as Condition[] | undefined, 'Accepted') ?? 'Unknown' },
    age,
    crdColumn('DESCRIPTION', ['spec', 'description']),
  ],
  HTTPRoute: [{ header: 'HOSTNAMES', cell: (o) => { const h = field(o, ['spec', 'hostnames']); return Array.isArray(h) && h.length ? JSON.stringify(h) : ''; } }, age],
  GRPCRoute: [{ header: 'HOSTNAMES', cell: (o) => { const h = field(o, ['spec', 'hostnames']); return Array.isArray(h) && h.length ? JSON.stringify(h) : ''; } }, age],
  AuthorizationPolicy: [crdColumn('ACTION', ['spec', 'action']), age],
  PeerAuthentication: [crdColumn('MODE', ['spec', 'mtls', 'mode']), age],
  VirtualService: [crdColumn('GATEWAYS', ['spec', 'gateways']), crdColumn('HOSTS', ['spec', 'hosts']), age],
  DestinationRule: [crdColumn('HOST', ['spec', 'host']), age],
  ServiceEntry: [crdColumn('HOSTS', ['spec', 'hosts']), crdColumn('LOCATION', ['spec', 'location']), crdColumn('RESOLUTION', ['spec', 'resolution']), age],
  WorkloadEntry: [age, crdColumn('ADDRESS', ['spec', 'address'])],
  [ISTIO_GATEWAY_KIND]: [age],
  // kubectl shows a CRD's creation time itself, not its age.
  CustomResourceDefinition: [{ header: 'CREATED AT', cell: (o) => o.metadata.creationTimestamp ?? NONE }],
};

function workloadWide(): Column[] {
  const containers = (o: KubeObject) => (field(o, ['spec', 'template', 'spec', 'containers']) as { name: string; image?: string }[] | undefined) ?? [];
  return [
    { header: 'CONTAINERS', wide: true, cell: (o) => containers(o).map((c) => c.name).join(',') },
    { header: 'IMAGES', wide: true, cell: (o) => containers(o).map((c) => c.image ?? '').join(',') },
    { header: 'SELECTOR', wide: true, cell: (o) => selectorText(field(o, ['spec', 'selector', 'matchLabels']) as Labels | undefined) },
  ];
}

function roles(labels: Labels | undefined): string {
  const r = Object.keys(labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  return r.length ? r.join(',') : NONE;
}

function endpointsText(s: EndpointSlice): string {
  const addrs = s.endpoints.flatMap((e) => e.addresses);
  if (!addrs.length) return NONE;
  const shown = addrs.slice(0, 3).join(',');
  return addrs.length > 3 ? `${shown} + ${addrs.length - 3} more...` : shown;
}

/** The header and cells of one kind's table (NAME first), with `-o wide` columns when asked. */
export function tableFor(kind: string, wide: boolean): { headers: string[]; row(obj: KubeObject, ctx: PrintContext): string[] } {
  const cols = (COLUMNS[kind] ?? [age]).filter((c) => wide || !c.wide);
  return {
    headers: ['NAME', ...cols.map((c) => c.header)],
    row: (obj, ctx) => [obj.metadata.name, ...cols.map((c) => c.cell(obj, ctx))],
  };
}
