// `istioctl ztunnel-config workload|service|policy|certificate` (alias `zc`): what every ztunnel knows
// (WDS is not node-filtered), from the mesh view (reference/ambient.md §6.2).
import type { MeshView } from '../../control/mesh-view';
import type { ServiceInfo, WorkloadInfo } from '../../control/model';
import type { EntryWorkload } from '../../control/service-entries';
import { isIpLiteral } from '../../dataplane/dns';
import type { WaypointInfo } from '../../control/waypoints';
import { ztunnelUid } from '../../control/workload-entries';
import type { AuthorizationPolicy, Labels } from '../../k8s/types';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { toKubeYaml } from '../text/serialize';
import { formatTable } from '../text/table';
import { IstioctlError, parseIstioctl, type ICtx } from './common';
import { certificates } from './ztunnel-certs';

const PAD1 = { padding: 1 };

const FLAGS = [
  { name: 'workload-namespace', value: true },
  { name: 'workload-node', value: true },
  { name: 'service-namespace', value: true },
  { name: 'policy-namespace', value: true },
  { name: 'address', value: true },
  { name: 'node', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'file', short: 'f', value: true },
  { name: 'proxy-admin-port', value: true },
];

function waypointService(view: MeshView, wp: WaypointInfo | undefined): string {
  if (!wp) return 'None';
  return view.waypointServices.get(`${wp.namespace}/${wp.name}`)?.name ?? 'NA';
}

function waypointJson(view: MeshView, wp: WaypointInfo | undefined) {
  if (!wp) return undefined;
  const svc = view.waypointServices.get(`${wp.namespace}/${wp.name}`);
  return { destination: svc ? `${svc.namespace}/${svc.hostname}` : wp.address.value, hboneMtlsPort: 15008 };
}

/** The naming fields of a workload's dump, in ztunnel's order; the canonical name and revision from its labels. */
function namingJson(view: MeshView, w: { name: string; namespace: string; serviceAccount: string; workloadName: string; labels: Labels; cluster: string }) {
  return {
    name: w.name,
    namespace: w.namespace,
    serviceAccount: w.serviceAccount,
    workloadName: w.workloadName,
    workloadType: 'pod',
    canonicalName: w.labels['service.istio.io/canonical-name'] ?? w.labels.app ?? w.workloadName,
    canonicalRevision: w.labels['service.istio.io/canonical-revision'] ?? w.labels.version ?? 'latest',
    clusterId: w.cluster,
    trustDomain: view.config.trustDomain,
  };
}

function workloadJson(view: MeshView, w: WorkloadInfo) {
  return {
    uid: ztunnelUid(w),
    workloadIps: [w.ip],
    protocol: w.protocol,
    ...namingJson(view, w),
    locality: { region: w.locality.region, zone: w.locality.zone },
    node: w.node,
    network: w.network,
    status: w.healthy ? 'Healthy' : 'Unhealthy',
    ...(w.waypoint ? { waypoint: waypointJson(view, w.waypoint) } : {}),
  };
}

function storedEndpoints(s: ServiceInfo) {
  return s.endpoints.filter((e) => s.includeUnhealthy || e.workload.healthy);
}

function serviceJson(view: MeshView, s: ServiceInfo) {
  return {
    name: s.name,
    namespace: s.namespace,
    hostname: s.hostname,
    vips: s.vips.map((v) => `${view.network}/${v}`),
    ports: Object.fromEntries(s.ports.map((p) => [String(p.port), typeof p.targetPort === 'number' ? p.targetPort : 0])),
    endpoints: Object.fromEntries(storedEndpoints(s).map((e) => [ztunnelUid(e.workload), { workloadUid: ztunnelUid(e.workload), service: '', port: Object.fromEntries([...e.targetPorts].map(([k, v]) => [String(k), v])) }])),
    ...(s.waypoint ? { waypoint: waypointJson(view, s.waypoint) } : {}),
  };
}

function dump(c: ICtx, value: unknown): CommandResult {
  const fmt = c.p.flags.get('output');
  return { stdout: fmt === 'yaml' ? toKubeYaml(value) : `${JSON.stringify(value, null, 4)}\n`, stderr: '', exitCode: 0 };
}

function checkOutput(c: ICtx): void {
  const fmt = c.p.flags.get('output');
  if (fmt !== undefined && !['short', 'json', 'yaml'].includes(fmt)) throw new IstioctlError(`output format "${fmt}" not supported`);
}

/** What `ztunnel-config workload` lists of one workload: its row and its dump. */
interface ListedWorkload {
  namespace: string;
  name: string;
  node: string;
  address: string;
  row(): string[];
  json(): unknown;
}

function podListed(view: MeshView, w: WorkloadInfo): ListedWorkload {
  return { namespace: w.namespace, name: w.name, node: w.node, address: w.ip, row: () => [w.namespace, w.name, w.ip, w.node, waypointService(view, w.waypoint), w.protocol], json: () => workloadJson(view, w) };
}

/** A ServiceEntry's endpoint workload: by IP or by hostname, on no node, plain TCP. */
function entryListed(view: MeshView, e: EntryWorkload): ListedWorkload {
  const byIp = isIpLiteral(e.address);
  return {
    namespace: e.namespace,
    name: e.name,
    node: '',
    address: e.address,
    row: () => [e.namespace, e.name, e.address, '', 'None', 'TCP'],
    json: () => ({
      uid: `${view.cluster}/networking.istio.io/ServiceEntry/${e.namespace}/${e.name}/${e.address}`,
      ...(byIp ? { workloadIps: [e.address] } : { hostname: e.address }),
      protocol: 'TCP',
      ...namingJson(view, { ...e, workloadName: e.name, cluster: view.cluster }),
      network: view.network,
      status: 'Healthy',
    }),
  };
}

function workloads(c: ICtx): CommandResult {
  const view = c.s.world.view(c.context);
  const ns = c.p.flags.get('workload-namespace');
  const node = c.p.flags.get('workload-node') ?? c.p.flags.get('node');
  const addr = c.p.flags.get('address');
  const podArg = c.p.args[0];
  const pod = podArg?.includes('.') ? podArg.split('.') : undefined;
  // Host-network pods too: istiod builds them (network mode HOST_NETWORK) and ztunnel lists them by uid.
  const all = [...view.workloads, ...view.workloadEntries].map((w) => podListed(view, w)).concat(view.entryWorkloads.map((e) => entryListed(view, e)));
  const list = all
    .filter((w) => (!ns || w.namespace.toLowerCase() === ns.toLowerCase()) && (!node || w.node.toLowerCase() === node.toLowerCase()) && (!addr || w.address === addr))
    .filter((w) => !podArg || (pod ? w.name === pod[0] && w.namespace === pod[1] : w.name === podArg))
    .sort((a, b) => {
      const x = `${a.namespace}.${a.name}`;
      const y = `${b.namespace}.${b.name}`;
      return x < y ? -1 : x > y ? 1 : a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
    });
  if (c.p.flags.get('output') === 'json' || c.p.flags.get('output') === 'yaml') return dump(c, list.map((w) => w.json()));
  const rows = [['NAMESPACE', 'POD NAME', 'ADDRESS', 'NODE', 'WAYPOINT', 'PROTOCOL'], ...list.map((w) => w.row())];
  return { stdout: formatTable(rows, PAD1), stderr: '', exitCode: 0 };
}

function services(c: ICtx): CommandResult {
  const view = c.s.world.view(c.context);
  const ns = c.p.flags.get('service-namespace');
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const list = view.services
    .filter((s) => !ns || s.namespace.toLowerCase() === ns.toLowerCase())
    .sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.hostname, b.hostname));
  if (c.p.flags.get('output') === 'json' || c.p.flags.get('output') === 'yaml') return dump(c, list.map((s) => serviceJson(view, s)));
  const rows = [
    ['NAMESPACE', 'SERVICE NAME', 'SERVICE VIP', 'WAYPOINT', 'ENDPOINTS'],
    ...list.map((s) => {
      const stored = storedEndpoints(s);
      return [s.namespace, s.name, s.vips.join(','), waypointService(view, s.waypoint), `${stored.filter((e) => e.workload.healthy).length}/${stored.length}`];
    }),
  ];
  return { stdout: formatTable(rows, PAD1), stderr: '', exitCode: 0 };
}

/** The AuthorizationPolicies ztunnel receives: those without targetRef(s). */
function policies(c: ICtx): CommandResult {
  const root = c.s.world.config.rootNamespace;
  const ns = c.p.flags.get('policy-namespace');
  const list = (c.cluster.list('AuthorizationPolicy') as AuthorizationPolicy[]).filter((p) => {
    const spec = (p.spec ?? {}) as { targetRef?: unknown; targetRefs?: unknown[]; action?: string };
    return !spec.targetRef && !spec.targetRefs?.length && (spec.action ?? 'ALLOW') !== 'CUSTOM' && (!ns || p.metadata.namespace === ns);
  });
  const rows = [['NAMESPACE', 'POLICY NAME', 'ACTION', 'SCOPE']];
  const out = list.map((p) => {
    const spec = (p.spec ?? {}) as { selector?: unknown; action?: string };
    const action = (spec.action ?? 'ALLOW').toLowerCase();
    const scope = spec.selector ? 'WorkloadSelector' : p.metadata.namespace === root ? 'Global' : 'Namespace';
    return { namespace: p.metadata.namespace ?? '', name: p.metadata.name, action: action[0]!.toUpperCase() + action.slice(1), scope };
  });
  if (c.p.flags.get('output') === 'json' || c.p.flags.get('output') === 'yaml') return dump(c, out);
  rows.push(...out.map((p) => [p.namespace, p.name, p.action, p.scope]));
  return { stdout: formatTable(rows, PAD1), stderr: '', exitCode: 0 };
}

const SUBCOMMANDS: Record<string, (c: ICtx) => CommandResult> = {
  workload: workloads,
  workloads,
  w: workloads,
  service: services,
  services,
  svc: services,
  s: services,
  policy: policies,
  policies,
  p: policies,
  certificate: certificates,
  certificates,
  certs: certificates,
  cert: certificates,
};

export function runZtunnelConfig(s: LabSession, argv: string[]): CommandResult {
  const sub = argv.find((a) => !a.startsWith('-'));
  const handler = sub ? SUBCOMMANDS[sub] : undefined;
  if (!handler) {
    if (sub && ['connections', 'all', 'log'].includes(sub)) throw new IstioctlError(`meshsim does not emulate "istioctl ztunnel-config ${sub}"`);
    throw new IstioctlError(sub ? `unknown command "${sub}" for "istioctl ztunnel-config"` : 'requires a subcommand: workload, service, policy, certificate');
  }
  const idx = argv.indexOf(sub!);
  const c = parseIstioctl(s, [...argv.slice(0, idx), ...argv.slice(idx + 1)], FLAGS);
  checkOutput(c);
  return handler(c);
}
