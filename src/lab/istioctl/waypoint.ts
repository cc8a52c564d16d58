// `istioctl waypoint apply|delete|list|status|generate` (reference/ambient.md §6.1).
import type { Condition, Gateway, KubeObject } from '../../k8s/types';
import { USE_WAYPOINT, WAYPOINT_CLASS, WAYPOINT_FOR, ISTIO_REV, DATAPLANE_MODE } from '../../control/labels';
import { parseDuration } from '../../scenario';
import { boolFlag } from '../flags';
import type { CommandResult } from '../invocation';
import type { LabSession } from '../session';
import { toKubeYaml } from '../text/serialize';
import { formatTable } from '../text/table';
import { IstioctlError, parseIstioctl, type ICtx } from './common';

const TRAFFIC_TYPES = ['all', 'none', 'service', 'workload'];
const WAIT_TIMEOUT_MS = 90_000;
const POLL_MS = 1000;
const PADDING5 = { padding: 5 };

const FLAGS = [
  { name: 'name', value: true },
  { name: 'for', value: true },
  { name: 'enroll-namespace' },
  { name: 'overwrite' },
  { name: 'wait', short: 'w' },
  { name: 'waypoint-timeout', value: true },
  { name: 'revision', short: 'r', value: true },
  { name: 'all-namespaces', short: 'A' },
  { name: 'all' },
];

/** The Gateway `istioctl waypoint apply/generate` builds. */
export function waypointGateway(name: string, namespace: string | undefined, trafficType: string | undefined, revision: string | undefined): Gateway {
  const labels: Record<string, string> = {};
  if (trafficType) {
    if (!TRAFFIC_TYPES.includes(trafficType)) throw new IstioctlError(`failed to create gateway: invalid traffic type: ${trafficType}. Valid options are: [${TRAFFIC_TYPES.join(' ')}]`);
    labels[WAYPOINT_FOR] = trafficType;
  }
  if (revision) labels[ISTIO_REV] = revision;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { ...(Object.keys(labels).length ? { labels } : {}), name, ...(namespace ? { namespace } : {}) },
    spec: { gatewayClassName: WAYPOINT_CLASS, listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  };
}

function waypointName(c: ICtx): string {
  const n = c.p.flags.get('name') || 'waypoint';
  if (n === 'none') throw new IstioctlError("failed to create gateway: invalid name provided for waypoint, 'none' is a reserved value");
  return n;
}

function timeout(c: ICtx): number {
  const t = c.p.flags.get('waypoint-timeout');
  if (t === undefined) return WAIT_TIMEOUT_MS;
  const d = parseDuration(t);
  if (!d.ok) throw new IstioctlError(`invalid argument "${t}" for "--waypoint-timeout" flag: time: invalid duration "${t}"`);
  return d.value;
}

function programmed(gw: KubeObject | undefined): boolean {
  return ((gw?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some((x) => x.type === 'Programmed' && x.status === 'True');
}

function namespaceLabels(c: ICtx, ns: string): Record<string, string> {
  const obj = c.cluster.get('Namespace', undefined, ns);
  if (!obj) throw new IstioctlError(`namespace: ${ns} not found`);
  return obj.metadata.labels ?? {};
}

function apply(c: ICtx): CommandResult {
  const ns = c.namespace;
  const s = c.s;
  let out = '';
  const labels = namespaceLabels(c, ns);
  const enroll = boolFlag(c.p, 'enroll-namespace');
  if (enroll) {
    if (!boolFlag(c.p, 'overwrite') && labels[USE_WAYPOINT]) {
      return { stdout: `⚠️ Warning: namespace (${ns}) already has an enrolled Waypoint. Consider adding the \`--overwrite\` flag to your apply command.\n`, stderr: '', exitCode: 0 };
    }
    if (labels[DATAPLANE_MODE] !== 'ambient') out += `⚠️ Warning: namespace is not enrolled in ambient. Consider running\t\`kubectl label namespace ${ns} istio.io/dataplane-mode=ambient\`\n`;
  }
  const name = waypointName(c);
  const gw = waypointGateway(name, ns, c.p.flags.get('for'), c.p.flags.get('revision'));
  const res = c.cluster.apply(gw, s.world.now);
  if (!res.ok) return { stdout: out, stderr: `Error: ${res.error}\n`, exitCode: 1 };
  s.world.settle();
  out += `✅ waypoint ${ns}/${name} applied\n`;
  if (boolFlag(c.p, 'wait')) {
    const limit = timeout(c);
    const start = s.world.now;
    for (;;) {
      s.advance(POLL_MS);
      if (programmed(c.cluster.get('Gateway', ns, name))) break;
      if (s.world.now - start > limit) return { stdout: out, stderr: `Error: timed out while waiting for waypoint\t${ns}/${name}\n`, exitCode: 1 };
    }
    out += `✅ waypoint ${ns}/${name} is ready!\n`;
  }
  if (enroll) {
    c.cluster.label('Namespace', undefined, ns, { [USE_WAYPOINT]: name }, { overwrite: true }, s.world.now);
    s.world.settle();
    out += `✅ namespace ${ns} labeled with "${USE_WAYPOINT}: ${name}"\n`;
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

function gatewaysIn(c: ICtx, all: boolean): Gateway[] {
  return c.cluster.list('Gateway', all ? undefined : c.namespace) as Gateway[];
}

function list(c: ICtx): CommandResult {
  const all = boolFlag(c.p, 'all-namespaces');
  const gws = gatewaysIn(c, all);
  if (!gws.length) return { stdout: 'No waypoints found.\n', stderr: '', exitCode: 0 };
  const rows = [[...(all ? ['NAMESPACE'] : []), 'NAME', 'REVISION', 'TRAFFIC TYPE', 'PROGRAMMED']];
  for (const gw of gws.filter((g) => g.spec?.gatewayClassName === WAYPOINT_CLASS)) {
    const cond = gw.status?.conditions?.filter((x) => x.type === 'Programmed').pop();
    rows.push([
      ...(all ? [gw.metadata.namespace ?? ''] : []),
      gw.metadata.name,
      gw.metadata.labels?.[ISTIO_REV] || 'default',
      gw.metadata.labels?.[WAYPOINT_FOR] || 'none',
      cond?.status ?? 'False',
    ]);
  }
  return { stdout: formatTable(rows, PADDING5), stderr: '', exitCode: 0 };
}

function status(c: ICtx): CommandResult {
  if (c.p.args.length) throw new IstioctlError(`unknown subcommand "${c.p.args[0]}"`);
  const all = boolFlag(c.p, 'all-namespaces');
  const gws = gatewaysIn(c, all);
  if (!gws.length) return { stdout: 'No waypoints found.\n', stderr: '', exitCode: 0 };
  const wait = c.p.flags.get('wait') !== 'false';
  const limit = timeout(c);
  const start = c.s.world.now;
  const rows = [[...(all ? ['NAMESPACE'] : []), 'NAME', 'STATUS', 'TYPE', 'REASON', 'MESSAGE']];
  for (const g of gws.filter((x) => x.spec?.gatewayClassName === WAYPOINT_CLASS)) {
    for (;;) {
      c.s.advance(POLL_MS);
      const cur = c.cluster.get('Gateway', g.metadata.namespace, g.metadata.name) as Gateway | undefined;
      const conds = cur?.status?.conditions ?? [];
      const cond = conds.find((x) => x.type === 'Programmed' && x.status === 'True') ?? conds[conds.length - 1];
      rows.push([...(all ? [g.metadata.namespace ?? ''] : []), g.metadata.name, cond?.status ?? '', cond?.type ?? '', cond?.reason ?? '', cond?.message ?? '']);
      if (!wait || programmed(cur)) break;
      if (c.s.world.now - start > limit) {
        return { stdout: '', stderr: `Error: failed to print waypoint status: timed out while retrieving status for waypoint\t${g.metadata.namespace}/${g.metadata.name}\n`, exitCode: 1 };
      }
    }
  }
  return { stdout: formatTable(rows, PADDING5), stderr: '', exitCode: 0 };
}

function del(c: ICtx): CommandResult {
  const all = boolFlag(c.p, 'all');
  const rev = c.p.flags.get('revision');
  const names = c.p.args;
  if ((all || rev) && names.length) throw new IstioctlError('cannot specify waypoint names when deleting all waypoints');
  if (!(all || rev) && !names.length) throw new IstioctlError('must specify a waypoint name or delete all using --all or delete specific revision using --revision');
  const ns = c.namespace;
  const waypoints = gatewaysIn(c, false).filter((g) => g.spec?.gatewayClassName === WAYPOINT_CLASS);
  let out = '';
  let targets: string[];
  if (names.length) {
    targets = [];
    for (const n of names) {
      if (waypoints.some((g) => g.metadata.name === n)) targets.push(n);
      else out += `waypoint ${ns}/${n} not found\n`;
    }
  } else targets = waypoints.filter((g) => !rev || g.metadata.labels?.[ISTIO_REV] === rev).map((g) => g.metadata.name);
  for (const n of targets) {
    const r = c.cluster.delete('Gateway', ns, n, c.s.world.now);
    out += r.ok ? `waypoint ${ns}/${n} deleted\n` : `waypoint ${ns}/${n} not found\n`;
  }
  c.s.world.settle();
  return { stdout: out, stderr: '', exitCode: 0 };
}

function generate(c: ICtx): CommandResult {
  const gw = waypointGateway(waypointName(c), c.explicitNamespace ? c.namespace : undefined, c.p.flags.get('for'), c.p.flags.get('revision'));
  return { stdout: toKubeYaml(gw), stderr: '', exitCode: 0 };
}

const SUBCOMMANDS: Record<string, (c: ICtx) => CommandResult> = { apply, list, status, delete: del, generate };

export function runWaypoint(s: LabSession, argv: string[]): CommandResult {
  const sub = argv.find((a) => !a.startsWith('-'));
  const idx = sub === undefined ? -1 : argv.indexOf(sub);
  const handler = sub ? SUBCOMMANDS[sub] : undefined;
  if (!handler) {
    if (sub) throw new IstioctlError(`unknown subcommand "${sub}"`);
    return { stdout: 'A group of commands used to manage waypoint configuration\n\nUsage:\n  istioctl waypoint [flags]\n  istioctl waypoint [command]\n\nAvailable Commands:\n  apply       Apply a waypoint configuration\n  delete      Delete a waypoint configuration\n  generate    Generate a waypoint configuration\n  list        List managed waypoint configurations\n  status      Show the status of waypoints\n', stderr: '', exitCode: 0 };
  }
  const c = parseIstioctl(s, [...argv.slice(0, idx), ...argv.slice(idx + 1)], FLAGS);
  return handler(c);
}
