// What the routing compiler knows about services, service entries and namespaces: lookups by
// name and by host, and the waypoint facts the caller supplies.
//
// A mesh has many Services and few of them are ever named by a route or asked about by a
// decision, so Services are found by binary search over one sorted array of positions, and the
// KnownService of one is made when it is first looked up. Service entries (few) keep plain maps.
import { serviceHostname } from '../control/intern';
import type { Namespace, Service, ServiceEntry } from '../k8s/types';
import type { RouteInput, ServiceKind } from './types';

export interface KnownService {
  kind: ServiceKind;
  namespace: string;
  name: string;
  /** FQDN for a Service; every host for a ServiceEntry. */
  hosts: string[];
  ports: number[];
  labels: Record<string, string>;
  creationTimestamp: string;
}

export class Registry {
  readonly domain: string;
  readonly rootNamespace: string;
  private readonly services: Service[];
  /** Positions in `services`, ordered by namespace, name, then position. */
  private readonly order: Uint32Array;
  /** `.svc.<domain>`: the suffix of every Service FQDN. */
  private readonly svcSuffix: string;
  /** KnownServices made so far, by position (one object per Service, so they can key maps). */
  private readonly made = new Map<number, KnownService>();
  private readonly entries = new Map<string, KnownService>();
  private readonly entryByHost = new Map<string, KnownService>();
  private readonly nsLabels = new Map<string, Record<string, string>>();

  constructor(private readonly input: RouteInput) {
    this.domain = input.domain;
    this.rootNamespace = input.rootNamespace;
    this.svcSuffix = `.svc.${input.domain}`;
    const services = (this.services = input.services);
    const order = new Uint32Array(services.length);
    let sorted = true;
    for (let i = 0; i < order.length; i++) {
      order[i] = i;
      if (sorted && i > 0 && cmpName(services[i - 1]!, services[i]!) > 0) sorted = false;
    }
    // A cluster lists objects by namespace and name already: then there is nothing to sort.
    this.order = sorted ? order : order.sort((a, b) => cmpName(services[a]!, services[b]!) || a - b);
    for (const se of input.serviceEntries ?? []) {
      const s = fromServiceEntry(se);
      this.entries.set(`${s.namespace}/${s.name}`, s);
      for (const h of s.hosts) if (!this.entryByHost.has(h)) this.entryByHost.set(h, s);
    }
    for (const ns of input.namespaces ?? []) this.nsLabels.set(ns.metadata.name, ns.metadata.labels ?? {});
  }

  get(kind: ServiceKind, namespace: string, name: string): KnownService | undefined {
    if (kind === 'ServiceEntry') return this.entries.get(`${namespace}/${name}`);
    // Of Services with the same name, the last one listed counts (as a name-keyed map would keep).
    const at = this.lowerBound(namespace, name);
    let last = -1;
    for (let k = at; k < this.order.length && sameName(this.services[this.order[k]!]!, namespace, name); k++) last = k;
    return last < 0 ? undefined : this.known(this.order[last]!);
  }

  /** A Service by its FQDN first (the first one listed), then a ServiceEntry host (the first one listed). */
  byHostname(host: string): KnownService | undefined {
    if (host.endsWith(this.svcSuffix)) {
      // Service and namespace names are DNS labels: `name.namespace` holds exactly one dot.
      const rest = host.slice(0, host.length - this.svcSuffix.length);
      const dot = rest.indexOf('.');
      if (dot > 0 && rest.indexOf('.', dot + 1) < 0) {
        const namespace = rest.slice(dot + 1);
        const name = rest.slice(0, dot);
        const at = this.lowerBound(namespace, name);
        if (at < this.order.length && sameName(this.services[this.order[at]!]!, namespace, name)) return this.known(this.order[at]!);
      }
    }
    return this.entryByHost.get(host);
  }

  /** Every Service (in listed order, once per namespace/name), then every ServiceEntry. */
  *all(): IterableIterator<KnownService> {
    const seen = new Set<KnownService>();
    for (const s of this.services) {
      const k = this.get('Service', namespaceOf(s), s.metadata.name)!;
      if (!seen.has(k)) yield k;
      seen.add(k);
    }
    yield* this.entries.values();
  }

  fqdn(namespace: string, name: string): string {
    return serviceHostname(name, namespace, this.domain);
  }

  /** Istio resolves a dot-less short name relative to the namespace of the object naming it. */
  resolveHost(host: string, namespace: string): string {
    return resolveShortHost(host, namespace, this.domain);
  }

  hasWaypoint(s: KnownService): boolean {
    return this.input.hasWaypoint(s.kind, s.namespace, s.name);
  }

  waypointNamespace(s: KnownService): string {
    return this.input.waypointNamespace?.(s.kind, s.namespace, s.name) ?? s.namespace;
  }

  /** Istio's waypointConfigured check on the parent, then its namespace (ResolvedWaypoints). */
  useWaypointLabelled(s: KnownService): boolean {
    if (waypointLabel(s.labels)) return true;
    const ns = this.nsLabels.get(s.namespace);
    return ns === undefined || waypointLabel(ns);
  }

  /** Where (namespace, name) is or would be in `order`. */
  private lowerBound(namespace: string, name: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.services[this.order[mid]!]!;
      const ns = namespaceOf(s);
      if (ns < namespace || (ns === namespace && s.metadata.name < name)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private known(i: number): KnownService {
    let k = this.made.get(i);
    if (!k) this.made.set(i, (k = fromService(this.services[i]!, this.domain)));
    return k;
  }
}

function namespaceOf(s: Service): string {
  return s.metadata.namespace ?? 'default';
}

function cmpName(a: Service, b: Service): number {
  const x = namespaceOf(a);
  const y = namespaceOf(b);
  if (x !== y) return x < y ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function sameName(s: Service, namespace: string, name: string): boolean {
  return s.metadata.name === name && namespaceOf(s) === namespace;
}

function waypointLabel(labels: Record<string, string>): boolean {
  const v = labels['istio.io/use-waypoint'];
  return v !== undefined && v.length > 0 && v.toLowerCase() !== 'none';
}

function fromService(s: Service, domain: string): KnownService {
  const ns = s.metadata.namespace ?? 'default';
  return {
    kind: 'Service',
    namespace: ns,
    name: s.metadata.name,
    // Joined flat: registries outlive the compile, and a template literal would keep a chain of pieces.
    hosts: [[s.metadata.name, ns, 'svc', domain].join('.')],
    ports: (s.spec?.ports ?? []).map((p) => p.port),
    labels: s.metadata.labels ?? {},
    creationTimestamp: s.metadata.creationTimestamp ?? '',
  };
}

function fromServiceEntry(se: ServiceEntry): KnownService {
  return {
    kind: 'ServiceEntry',
    namespace: se.metadata.namespace ?? 'default',
    name: se.metadata.name,
    hosts: se.spec?.hosts ?? [],
    ports: (se.spec?.ports ?? []).map((p) => p.number),
    labels: se.metadata.labels ?? {},
    creationTimestamp: se.metadata.creationTimestamp ?? '',
  };
}

/** Istio's reading of a host written in a config of `namespace`: a short name is a Service of that namespace. */
export function resolveShortHost(host: string, namespace: string, domain: string): string {
  return host.includes('.') || host.includes('*') ? host : serviceHostname(host, namespace, domain);
}

/** Istio host matching: exact, or `*.suffix` / `*` wildcards on the configured side. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  return pattern.startsWith('*') && host.endsWith(pattern.slice(1));
}
