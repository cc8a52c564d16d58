// istiod's IP auto-allocation (pilot/pkg/controllers/ipallocate; PILOT_ENABLE_IP_AUTOALLOCATE is on
// by default): every host of a ServiceEntry that has no spec.addresses and a resolution other than
// NONE gets the next free address of 240.240.0.0/16 and of 2001:2::/48, written to status.addresses
// as { value, host }. Wildcard hosts get none unless the resolution is DYNAMIC_DNS. An assignment
// is kept for as long as its host is listed.
import type { ServiceEntry } from '../../k8s/types';
import { intToIp } from '../ip';
import type { Runtime } from '../runtime';

/** Label that opts a ServiceEntry out of allocation when "false". */
export const AUTOALLOCATE_LABEL = 'networking.istio.io/enable-autoallocate-ip';

const V4_BASE = 0xf0f00000; // 240.240.0.0
const V4_SIZE = 1 << 16;
const V6_PREFIX = '2001:2::';

type Address = { value: string; host?: string };

/** The hosts of `se` that get addresses, or none when the ServiceEntry does not qualify. */
export function allocatableHosts(se: ServiceEntry): string[] {
  const spec = se.spec;
  if (!spec || spec.resolution === 'NONE' || (spec.addresses ?? []).length > 0) return [];
  if (se.metadata.labels?.[AUTOALLOCATE_LABEL] === 'false') return [];
  return [...new Set(spec.hosts ?? [])].filter((h) => !h.startsWith('*') || spec.resolution === 'DYNAMIC_DNS');
}

function v4(n: number): string {
  return intToIp(V4_BASE + n);
}

function v6(n: number): string {
  return n < 0x10000 ? `${V6_PREFIX}${n.toString(16)}` : `${V6_PREFIX}${Math.floor(n / 0x10000).toString(16)}:${(n % 0x10000).toString(16)}`;
}

export function reconcileServiceEntryAddresses(rt: Runtime, key: string): void {
  const se = rt.getByKey(key) as ServiceEntry | undefined;
  if (!se) return;
  const hosts = allocatableHosts(se);
  const kept = (se.status?.addresses ?? []).filter((a) => a.host !== undefined && hosts.includes(a.host));
  const missing = hosts.filter((h) => !kept.some((a) => a.host === h));
  if (missing.length === 0 && kept.length === (se.status?.addresses ?? []).length) return;
  const used = new Set<string>();
  for (const other of rt.listAll('ServiceEntry') as ServiceEntry[]) {
    for (const a of other.status?.addresses ?? []) if (other !== se || kept.includes(a)) used.add(a.value);
    for (const a of other.spec?.addresses ?? []) used.add(a.replace(/\/(32|128)$/, ''));
  }
  // The lowest free address after the prefix's own; none once the range is used up.
  const next = (format: (n: number) => string, size: number): string | undefined => {
    for (let n = 1; n < size; n++) {
      const a = format(n);
      if (used.has(a)) continue;
      used.add(a);
      return a;
    }
    return undefined;
  };
  const added: Address[] = [];
  for (const host of missing) {
    const a4 = next(v4, V4_SIZE - 1);
    const a6 = next(v6, 0x10000 * 0x10000);
    if (a4) added.push({ value: a4, host });
    if (a6) added.push({ value: a6, host });
  }
  // Listed in the order of the hosts, IPv4 first, as the allocator adds them.
  const addresses = [...kept, ...added].sort((a, b) => hosts.indexOf(a.host!) - hosts.indexOf(b.host!) || Number(a.value.includes(':')) - Number(b.value.includes(':')));
  const status = { ...(se.status ?? {}) } as NonNullable<ServiceEntry['status']>;
  if (addresses.length) status.addresses = addresses;
  else delete status.addresses;
  rt.replace(se, { ...se, status });
}
