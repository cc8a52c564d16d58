// `istioctl proxy-status` (alias `ps`): every proxy connected to the context's istiod, with the xDS
// types it subscribes to, as istioctl 1.28 prints them (NAME CLUSTER ISTIOD VERSION SUBSCRIBED
// TYPES, tabwriter padding 5, proxies sorted by `<pod>.<namespace>`). ztunnel subscribes to
// workloads and authorizations (WADS, WDS); waypoints and gateways are Envoys (CDS, LDS, EDS, RDS);
// sidecars in an ambient mesh also watch workloads. A proxy named as the argument gets its sync
// diff, which the simulated proxies never fail: istiod's config is theirs.
import { DEFAULT_ISTIO_VERSION } from '../../cluster';
import type { WorkloadInfo } from '../../control/model';
import type { Pod } from '../../k8s/types';
import { ok, type CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { formatTable } from '../text/table';
import { istiodPod, IstioctlError, parseIstioctl, podByRef, startedAt, type ICtx } from './common';

const PS_FLAGS = [
  { name: 'output', short: 'o', value: true },
  { name: 'verbosity', short: 'v', value: true },
  { name: 'revision', short: 'r', value: true },
  { name: 'xds-address', value: true },
  { name: 'xds-label', value: true },
  { name: 'cert-dir', value: true },
  { name: 'file', value: true },
  { name: 'proxy-admin-port', value: true },
];

const ENVOY_TYPES = ['CDS', 'LDS', 'EDS', 'RDS'];

interface Proxy {
  id: string;
  kind: 'ztunnel' | 'envoy';
  types: string[];
  pod: Pod;
}

/** The proxies of the context's cluster that hold an xDS stream to istiod: ready ztunnels, waypoints, gateways and sidecars. */
function proxiesOf(c: ICtx): Proxy[] {
  const out: Proxy[] = [];
  const add = (w: WorkloadInfo, kind: Proxy['kind'], types: string[]) => out.push({ id: `${w.name}.${w.namespace}`, kind, types, pod: w.pod });
  for (const w of c.s.world.view(c.context).workloads) {
    if (w.cluster !== c.cluster.name) continue;
    if (!w.healthy) continue;
    if (w.role === 'ztunnel') add(w, 'ztunnel', ['WADS', 'WDS']);
    else if (w.role === 'waypoint' || w.role === 'ingress-gateway' || w.role === 'eastwest-gateway') add(w, 'envoy', ENVOY_TYPES);
    else if (w.mode === 'sidecar') add(w, 'envoy', [...ENVOY_TYPES, 'WDS']);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** RFC 1123 in UTC, as Go's time.RFC1123 prints it. */
function rfc1123(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', 'UTC');
}

/** `[<type>/]<name>[.<namespace>]`: the sync diff of one proxy. */
function syncDiff(c: ICtx, arg: string, proxies: Proxy[]): CommandResult {
  const slash = arg.indexOf('/');
  const pod = podByRef(c, slash >= 0 ? arg.slice(slash + 1) : arg, c.namespace);
  const { name, namespace: ns } = pod.metadata;
  const proxy = proxies.find((p) => p.id === `${name}.${ns}`);
  if (proxy?.kind === 'ztunnel') return ok(`Sync diff is not available for ztunnel pod ${name}.${ns}\n`);
  if (!proxy) throw new IstioctlError(`could not contact sidecar: pod ${name}.${ns} runs no Envoy connected to istiod`);
  // Shown as loaded when the proxy started: the simulation keeps no time of later route pushes.
  const started = startedAt(proxy.pod, c.s.world.scenario.startTime);
  return ok(`Clusters Match\nListeners Match\nRoutes Match (RDS last loaded at ${rfc1123(started)})\n`);
}

export function runProxyStatus(s: LabSession, argv: string[]): CommandResult {
  const c = parseIstioctl(s, argv, PS_FLAGS);
  // istioctl 1.28 takes --output but its writer prints the table whatever it says.
  const verbosity = c.p.flags.get('verbosity');
  if (verbosity !== undefined && verbosity !== '0') throw new IstioctlError('meshsim does not emulate "istioctl proxy-status --verbosity" above 0');
  const proxies = proxiesOf(c);
  if (c.p.args.length > 0) return syncDiff(c, c.p.args[0]!, proxies);
  const istiod = istiodPod(c)?.metadata.name;
  if (istiod === undefined) throw new IstioctlError(`no running Istio pods in "${c.s.world.config.rootNamespace}"`);
  const listed = c.explicitNamespace ? proxies.filter((p) => p.pod.metadata.namespace === c.namespace) : proxies;
  const rows = [['NAME', 'CLUSTER', 'ISTIOD', 'VERSION', 'SUBSCRIBED TYPES'], ...listed.map((p) => [p.id, c.cluster.name, istiod, DEFAULT_ISTIO_VERSION, `${p.types.length} (${p.types.join(',')})`])];
  return ok(formatTable(rows, { padding: 5 }));
}
