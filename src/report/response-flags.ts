// The `response_flags` label. Waypoints report Envoy's short flags, joined by commas in Envoy's
// order; an RBAC denial sets none (403 with "-"). ztunnel reports DENY for a policy denial and
// CONNECT when it could not reach the destination.
import type { CallRecord, Decision } from '../result/types';

const ENVOY_ORDER = ['UH', 'UT', 'UF', 'NR', 'DI', 'FI', 'URX'] as const;
type EnvoyFlag = (typeof ENVOY_ORDER)[number];

function join(flags: Set<string>, order: readonly string[]): string {
  const list = order.filter((f) => flags.has(f));
  return list.length ? list.join(',') : '-';
}

/** `answered`: whether the waypoint was the last hop, i.e. it answered the client itself. */
export function envoyResponseFlags(r: CallRecord, here: Decision[], answered: boolean): string {
  const flags = new Set<EnvoyFlag>();
  for (const d of here) {
    if (d.kind === 'fault') flags.add(d.result.startsWith('delay') ? 'DI' : 'FI');
    if (d.kind === 'timeout') flags.add('UT');
  }
  if (answered && r.outcome === 'response') {
    const body = r.body ?? '';
    const error = r.error ?? '';
    if (body.startsWith('no healthy upstream')) flags.add('UH');
    else if (body.startsWith('upstream connect error')) flags.add(here.some((d) => d.kind === 'retry') ? 'URX' : 'UF');
    else if (r.status === 404 && /\bNR\b|no route/i.test(error)) flags.add('NR');
  }
  return join(flags, ENVOY_ORDER);
}

/** `answered`: whether this ztunnel was the last hop the request reached. */
export function ztunnelResponseFlags(r: CallRecord, here: Decision[], answered: boolean): string {
  if (here.some((d) => d.kind === 'authz' && d.result === 'DENY' && d.detail?.['dryRun'] !== true)) return 'DENY';
  if (answered && r.outcome !== 'response') return 'CONNECT';
  return '-';
}
