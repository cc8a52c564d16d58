// Values that many workloads of one mesh view have in common, built once and shared: at 10,000
// pods a per-pod copy of each (identity string, named-port table, target-port map) costs more
// than the rest of the workload. Shared values are never mutated by the view's readers.
import type { Pod } from '../k8s/types';
import { spiffeId } from './config';

const NO_NAMED_PORTS: Record<string, number> = Object.freeze({}) as Record<string, number>;

/** One table per distinct value, for the lifetime of one view build. */
export class ViewInterner {
  private readonly identities = new Map<string, Map<string, string>>();
  private readonly namedPortTables = new Map<string, Record<string, number>>();
  /** The table of each frozen containers list seen: the pods of one template share theirs. */
  private readonly namedPortsByContainers = new WeakMap<object, Record<string, number>>();
  private readonly targetPortMaps = new Map<string, Map<number, number>>();

  constructor(private readonly trustDomain: string) {}

  /** The SPIFFE identity of a service account, one flat string shared by all its pods. */
  identity(namespace: string, serviceAccount: string): string {
    let bySa = this.identities.get(namespace);
    if (!bySa) this.identities.set(namespace, (bySa = new Map()));
    let id = bySa.get(serviceAccount);
    if (id === undefined) bySa.set(serviceAccount, (id = spiffeId(this.trustDomain, namespace, serviceAccount)));
    return id;
  }

  /** Container ports by name (a later container's name wins), shared by pods with the same ports. */
  namedPorts(pod: Pod): Record<string, number> {
    const containers = pod.spec?.containers;
    if (containers === undefined) return NO_NAMED_PORTS;
    // Only a frozen list can be keyed by identity: one that can still change could outgrow its table.
    if (!Object.isFrozen(containers)) return this.namedPortTable(containers);
    let table = this.namedPortsByContainers.get(containers);
    if (table === undefined) this.namedPortsByContainers.set(containers, (table = this.namedPortTable(containers)));
    return table;
  }

  private namedPortTable(containers: NonNullable<Pod['spec']>['containers']): Record<string, number> {
    let key = '';
    for (const c of containers) for (const p of c.ports ?? []) if (p.name) key += `${p.name}\u0000${p.containerPort}\u0000`;
    if (key === '') return NO_NAMED_PORTS;
    let table = this.namedPortTables.get(key);
    if (!table) {
      table = {};
      for (const c of containers) for (const p of c.ports ?? []) if (p.name) table[p.name] = p.containerPort;
      this.namedPortTables.set(key, table);
    }
    return table;
  }

  /** A service port → target port map, shared by every endpoint (of any service) that resolves to the same pairs. */
  targetPorts(pairs: readonly (readonly [number, number])[]): Map<number, number> {
    let key = '';
    for (const [port, target] of pairs) key += `${port}:${target},`;
    let map = this.targetPortMaps.get(key);
    if (!map) this.targetPortMaps.set(key, (map = new Map(pairs)));
    return map;
  }
}

/** Service port's target as the endpoint's pod exposes it; undefined when a named port is missing. */
export function resolveTargetPort(targetPort: number | string, namedPorts: Record<string, number>): number | undefined {
  return typeof targetPort === 'number' ? targetPort : (namedPorts[targetPort] ?? (/^\d+$/.test(targetPort) ? Number(targetPort) : undefined));
}

/**
 * `<cluster>/<namespace>/<name>` as one sequential string: V8 keeps `a + b` and template results
 * as chains of 32-byte concatenation nodes, while `join` of several parts writes a flat copy.
 */
export function workloadUid(cluster: string, namespace: string, name: string): string {
  return [cluster, namespace, name].join('/');
}

/** `<name>.<namespace>.svc.<domain>`, one flat string for the same reason as the uid (a template keeps a chain of concatenation nodes). */
export function serviceHostname(name: string, namespace: string, domain: string): string {
  return [name, namespace, 'svc', domain].join('.');
}
