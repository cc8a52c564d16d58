// Puts a request's decisions back onto its hops. Decisions are in the order taken; hops are the
// final path only, so a waypoint's failed upstream attempts (load-balance … retry) are cut out
// first and kept as attempts of that waypoint. A ztunnel can appear twice under one name (same
// node): its outbound side decides bindings and endpoints, its inbound side authorizes.
import type { Decision, Hop, RequestRecord } from '../result/types';

export interface FailedAttemptDecisions {
  /** The waypoint (`at`) that retried. */
  at: string;
  decisions: Decision[];
}

const OUTBOUND_KINDS = new Set(['waypoint-binding', 'load-balance']);
const INBOUND_KINDS = new Set(['authz', 'peer-authn']);

/** Splits out each failed attempt: from the waypoint's endpoint pick to its `retry` decision. */
export function splitAttempts(decisions: readonly Decision[]): { main: Decision[]; failed: FailedAttemptDecisions[] } {
  const main: Decision[] = [];
  const failed: FailedAttemptDecisions[] = [];
  for (const d of decisions) {
    if (d.kind !== 'retry') {
      main.push(d);
      continue;
    }
    let start = main.length - 1;
    while (start >= 0 && !(main[start]!.at === d.at && main[start]!.kind === 'load-balance')) start--;
    if (start < 0) {
      main.push(d);
      continue;
    }
    failed.push({ at: d.at, decisions: [...main.splice(start), d] });
  }
  return { main, failed };
}

export type HopRole = 'client' | 'outbound' | 'inbound' | 'waypoint' | 'gateway' | 'sidecar' | 'destination';

export interface Segment {
  index: number;
  hop: Hop;
  role: HopRole;
  /** The `at` label of this hop's decisions, for proxies. */
  proxy?: string;
  decisions: Decision[];
  attempts: FailedAttemptDecisions[];
}

export function proxyLabel(hop: Hop): string | undefined {
  if (hop.kind === 'ztunnel') return hop.name;
  if (hop.kind === 'waypoint') return `waypoint ${hop.namespace}/${hop.name}`;
  // The ingress gateway's route and load-balancing decisions are made `at` this label.
  if (hop.kind === 'ingress-gateway') return `ingress-gateway ${hop.namespace}/${hop.name}`;
  return undefined;
}

function roleOf(r: RequestRecord, hop: Hop, i: number): HopRole {
  switch (hop.kind) {
    case 'pod':
      return i === 0 ? 'client' : 'destination';
    case 'external':
      return 'destination';
    case 'ztunnel':
      // A captured client's first hop is its own ztunnel, on its node; an uncaptured client's ztunnel hop is the destination's.
      return i === 1 && r.from.identity !== null && hop.node === r.from.node && hop.cluster === r.from.cluster ? 'outbound' : 'inbound';
    case 'waypoint':
      return 'waypoint';
    case 'sidecar':
      return 'sidecar';
    default:
      return 'gateway';
  }
}

/** Takes (and removes) from `pool` the decisions at `at` whose kind passes `keep`. */
function take(pool: Decision[], at: string, keep: (d: Decision) => boolean): Decision[] {
  const out: Decision[] = [];
  for (let i = 0; i < pool.length; ) {
    const d = pool[i]!;
    if (d.at === at && keep(d)) {
      out.push(d);
      pool.splice(i, 1);
    } else i++;
  }
  return out;
}

export function segmentsOf(r: RequestRecord): Segment[] {
  const { main, failed } = splitAttempts(r.decisions);
  const pool = [...main];
  const segments = r.hops.map((hop, index): Segment => {
    const role = roleOf(r, hop, index);
    const proxy = proxyLabel(hop);
    let decisions: Decision[] = [];
    if (proxy && role === 'outbound') decisions = take(pool, proxy, (d) => OUTBOUND_KINDS.has(d.kind));
    else if (proxy && role === 'inbound') decisions = take(pool, proxy, (d) => INBOUND_KINDS.has(d.kind));
    else if (proxy) decisions = take(pool, proxy, () => true);
    return { index, hop, role, ...(proxy ? { proxy } : {}), decisions, attempts: failed.filter((f) => f.at === proxy) };
  });
  // Anything left (a decision whose hop is not on the final path) stays visible on the last hop.
  if (pool.length && segments.length) segments[segments.length - 1]!.decisions.push(...pool);
  return segments;
}
