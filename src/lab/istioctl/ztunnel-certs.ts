// `istioctl ztunnel-config certificate` (aliases certificates, certs, cert): the certificates one
// ztunnel holds. ztunnel prefetches a certificate for each identity of the HBONE workloads on its
// own node (cert_fetcher.rs), signed by istiod's self-signed root: a leaf valid from 2 minutes
// before issue for 24 hours (DefaultWorkloadCertTTL), renewed at half its life, and the root valid
// 10 years from istiod's start (DefaultSelfSignedCACertTTL). Rows are sorted by identity as
// ztunnel's dump is; serial numbers are derived from what was issued, so a run repeats them.
import { createHash } from 'node:crypto';
import { rfc3339 } from '../../cluster';
import type { WorkloadInfo } from '../../control/model';
import type { Pod } from '../../k8s/types';
import { ok, type CommandResult } from '../invocation';
import { formatTable } from '../text/table';
import { istiodPod, IstioctlError, podByRef, startedAt, type ICtx } from './common';

const MINUTE = 60_000;
const LEAF_TTL = 24 * 60 * MINUTE;
const ROOT_TTL = 3650 * 24 * 60 * MINUTE;
const CLOCK_SKEW_GRACE = 2 * MINUTE;

/** A 128-bit serial number as istioctl prints it (%x of the integer: no leading zeros). */
function serial(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32).replace(/^0+/, '') || '0';
}

/** The ztunnel pod the command reads: named, on --node, or the only one. */
function ztunnelPod(c: ICtx): Pod {
  const ns = c.explicitNamespace ? c.namespace : c.s.world.config.rootNamespace;
  const node = c.p.flags.get('node');
  if (node !== undefined && c.p.args.length) throw new IstioctlError('at most one of --file, --node, or pod name must be passed');
  const ztunnels = (c.cluster.list('Pod', ns) as Pod[]).filter((p) => p.metadata.labels?.app === 'ztunnel');
  if (node !== undefined) {
    const pod = ztunnels.find((p) => p.spec?.nodeName === node);
    if (!pod) throw new IstioctlError('no pods found');
    return pod;
  }
  const arg = c.p.args[0];
  if (arg === undefined) {
    if (ztunnels.length !== 1) throw new IstioctlError('ztunnel pod name or --node must be set');
    return ztunnels[0]!;
  }
  const pod = podByRef(c, arg.startsWith('pod/') ? arg.slice(4) : arg, ns);
  if (pod.metadata.labels?.app !== 'ztunnel') throw new IstioctlError(`workloads command is only supported by Ztunnel proxies: ${pod.metadata.name}`);
  return pod;
}

export function certificates(c: ICtx): CommandResult {
  const output = c.p.flags.get('output');
  if (output === 'json' || output === 'yaml') throw new IstioctlError('meshsim does not emulate the certificate dump (-o json|yaml): its certificates have no PEM to show');
  const pod = ztunnelPod(c);
  const world = c.s.world;
  const start = world.scenario.startTime;
  const now = start + world.now;
  const node = pod.spec?.nodeName;
  // First prefetch of each identity: when its first HBONE workload on this node (or the ztunnel) started.
  const firstFetch = new Map<string, number>();
  for (const w of world.view(c.context).workloads as WorkloadInfo[]) {
    if (w.cluster !== c.cluster.name || w.node !== node || w.protocol !== 'HBONE' || w.role === 'ztunnel') continue;
    const at = Math.max(startedAt(w.pod, start), startedAt(pod, start));
    const id = w.identity;
    firstFetch.set(id, Math.min(firstFetch.get(id) ?? Infinity, at));
  }
  const istiod = istiodPod(c);
  const rootFrom = istiod ? startedAt(istiod, start) : start;
  const rootSerial = serial(`${c.cluster.name}/root`);
  const valid = (from: number, until: number) => String(now >= from && now <= until);
  const rows = [['CERTIFICATE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE']];
  for (const id of [...firstFetch.keys()].sort()) {
    const first = firstFetch.get(id)!;
    // Renewed at half its lifetime.
    const renewals = Math.floor((now - first) / (LEAF_TTL / 2));
    const issued = first + renewals * (LEAF_TTL / 2);
    const leafFrom = issued - CLOCK_SKEW_GRACE;
    const leafUntil = issued + LEAF_TTL;
    rows.push([id, 'Leaf', 'Available', valid(leafFrom, leafUntil), serial(`${c.cluster.name}/${node}/${id}/${issued}`), rfc3339(leafUntil), rfc3339(leafFrom)]);
    rows.push([id, 'Root', 'Available', valid(rootFrom, rootFrom + ROOT_TTL), rootSerial, rfc3339(rootFrom + ROOT_TTL), rfc3339(rootFrom)]);
  }
  return ok(formatTable(rows, { padding: 5 }));
}
