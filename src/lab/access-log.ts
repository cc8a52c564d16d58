// Access-log lines for the proxies a lab's requests went through: Envoy's default text format
// (simplified) for waypoints, ztunnel's `connection complete` lines for ztunnels.
import type { CallRecord, Hop, RequestRecord } from '../result/types';

type Flat = CallRecord & { from?: RequestRecord['from'] };

/** Every request and the calls made while serving it, with absolute start times. */
function flatten(records: readonly RequestRecord[]): Flat[] {
  const out: Flat[] = [];
  const walk = (r: CallRecord, startMs: number, from?: RequestRecord['from']) => {
    out.push({ ...r, startMs, from });
    for (const c of r.calls ?? []) walk(c, startMs + c.startMs, undefined);
  };
  for (const r of records) walk(r, r.startMs, r.from);
  return out;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function isoMicros(epochMs: number): string {
  return iso(epochMs).replace(/Z$/, '000Z');
}

function denyReason(r: Flat, at: string): string | undefined {
  return r.decisions.find((d) => d.kind === 'authz' && d.result === 'DENY' && d.at === at)?.reason;
}

/** Envoy access-log lines of one waypoint pod. */
export function waypointLog(records: readonly RequestRecord[], pod: string, startEpochMs: number): string {
  let out = '';
  for (const r of flatten(records)) {
    const hop = r.hops.find((h) => h.kind === 'waypoint' && h.pod === pod);
    if (!hop) continue;
    const status = r.outcome === 'response' ? r.status ?? 0 : 0;
    const rbac = status === 403 && r.body === 'RBAC: access denied';
    const flags = status === 503 ? 'UF' : '-';
    const details = rbac ? 'rbac_access_denied_matched_policy[none]' : status === 503 ? 'upstream_reset_before_response_started{connection_termination}' : 'via_upstream';
    const upstream = r.backend ? r.backend.pod : '-';
    const line = `[${iso(startEpochMs + r.startMs)}] "${r.method} ${r.path} HTTP/1.1" ${status} ${flags} ${details} - "-" 0 ${Buffer.byteLength(r.body ?? '')} ${Math.round(r.latencyMs)} - "-" "${r.requestHeaders?.['user-agent'] ?? '-'}" "-" "${r.to.host}:${r.to.port}" "${upstream}" ${r.to.service ? `inbound-vip|${r.to.port}|http|${r.to.service.split('/').reverse().join('.')}.svc.cluster.local` : '-'} - - - - default`;
    out += `${line}\n`;
  }
  return out;
}

function ztunnelHops(r: Flat, node: string): Hop[] {
  return r.hops.filter((h) => h.kind === 'ztunnel' && h.node === node);
}

/** ztunnel access-log lines of the ztunnel on one node. */
export function ztunnelLog(records: readonly RequestRecord[], node: string, startEpochMs: number): string {
  let out = '';
  for (const r of flatten(records)) {
    const hops = ztunnelHops(r, node);
    hops.forEach((h, i) => {
      const inbound = hops.length === 2 ? i === 1 : r.hops.indexOf(h) > 1;
      const at = h.name;
      const deny = inbound ? denyReason(r, at) : undefined;
      const fields = [
        r.from ? `src.addr=${r.from.ip ?? ''}` : undefined,
        r.from ? `src.workload="${r.from.pod}" src.namespace="${r.from.namespace}" src.identity="${r.from.identity ?? ''}"` : undefined,
        `dst.service="${r.to.service ? `${r.to.service.split('/').reverse().join('.')}.svc.cluster.local` : r.to.host}"`,
        r.backend ? `dst.workload="${r.backend.pod}" dst.namespace="${r.backend.namespace}"` : undefined,
        `direction="${inbound ? 'inbound' : 'outbound'}"`,
        `bytes_sent=0 bytes_recv=${Buffer.byteLength(r.body ?? '')} duration="${Math.round(r.latencyMs)}ms"`,
        deny ? `error="connection closed due to policy rejection: ${deny}"` : undefined,
      ].filter(Boolean);
      out += `${isoMicros(startEpochMs + r.startMs)}\t${deny ? 'error' : 'info'}\taccess\tconnection complete\t${fields.join(' ')}\n`;
    });
  }
  return out;
}
