// One request's path as a line of text:
// finance/curl-5b8d7-k2j4h → ztunnel(c1-node-a) → waypoint accounts/waypoint → ztunnel(c1-node-b) → accounts/accounts-6f7c9-x2x7q
import { isAppHop } from '../result/via';
import type { Hop, RequestRecord } from '../result/types';

export function hopText(h: Hop): string {
  switch (h.kind) {
    case 'pod':
      return h.namespace ? `${h.namespace}/${h.name}` : h.name;
    case 'ztunnel':
      return `ztunnel(${h.node})`;
    case 'waypoint':
      return `waypoint ${h.namespace}/${h.name}`;
    case 'sidecar':
      return `sidecar(${h.namespace}/${h.name})`;
    default:
      return `${h.kind} ${h.namespace ? `${h.namespace}/` : ''}${h.name}`;
  }
}

/** What the client saw, in a few words. */
export function outcomeText(r: RequestRecord): string {
  if (r.outcome === 'response') {
    const body = (r.body ?? '').trim();
    const short = body.length > 60 || body.includes('\n') ? `${body.split('\n')[0]!.slice(0, 57)}…` : body;
    return `${r.status}${short ? ` ${JSON.stringify(short)}` : ''}`;
  }
  return `${r.outcome}${r.error ? ` (${r.error})` : ''}`;
}

export function pathText(r: RequestRecord): string {
  return withMark(r, r.hops.map(hopText));
}

/**
 * The path that several requests of one hop-kind sequence took, from the first of them: a hop they
 * all passed names its pod, node or proxy; a hop where they spread says over how many, so a
 * thousand requests balanced over three pods do not read as if they all reached the first one.
 */
export function sharedPathText(rs: readonly RequestRecord[]): string {
  const first = rs[0]!;
  const alike = rs.filter((r) => r.hops.length === first.hops.length);
  return withMark(
    first,
    first.hops.map((h, i) => {
      const seen = new Set(alike.map((r) => hopText(r.hops[i]!)));
      return seen.size === 1 ? hopText(h) : spreadText(alike.map((r) => r.hops[i]!), seen.size);
    }),
  );
}

function spreadText(hops: readonly Hop[], n: number): string {
  const kind = hops[0]!.kind;
  const namespaces = new Set(hops.map((h) => h.namespace));
  const ns = namespaces.size === 1 && hops[0]!.namespace ? `${hops[0]!.namespace}/` : '';
  switch (kind) {
    case 'pod': {
      // Pods of one Deployment share its name and their ReplicaSet's hash: `accounts-6f7c9-*`.
      const prefix = commonPrefix(hops.map((h) => h.name));
      return `${ns}${prefix.slice(0, prefix.lastIndexOf('-') + 1)}* (${n} pods)`;
    }
    case 'ztunnel':
      return `ztunnel(${n} nodes)`;
    default:
      return `${kind} ${ns}(${n})`;
  }
}

function commonPrefix(names: readonly string[]): string {
  let end = names[0]!.length;
  for (const name of names) {
    let i = 0;
    while (i < end && name[i] === names[0]![i]) i++;
    end = i;
  }
  return names[0]!.slice(0, end);
}

function withMark(r: RequestRecord, parts: string[]): string {
  const answered = r.outcome === 'response' && isAppHop(r.hops[r.hops.length - 1]) && r.hops.length > 1;
  return answered ? parts.join(' → ') : `${parts.join(' → ')} ✗`;
}
