// What the routing compiler knows about services, service entries and namespaces: lookups by
// name and by host, and the waypoint facts the caller supplies.
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
  private readonly byName = new Map<string, KnownService>();
  private readonly byHost = new Map<string, KnownService>();
  private readonly nsLabels = new Map<string, Record<string, string>>();

  constructor(private readonly input: RouteInput) {
    this.domain = input.domain;
    this.rootNamespace = input.rootNamespace;
    for (const s of input.services) this.add(fromService(s, input.domain));
    for (const se of input.serviceEntries ?? []) this.add(fromServiceEntry(se));
    for (const ns of input.namespaces ?? []) this.nsLabels.set(ns.metadata.name, ns.metadata.labels ?? {});
  }

  private add(s: KnownService): void {
    // A stored key is joined flat; lookups may use the cheaper template form.
    this.byName.set([s.kind, s.namespace, s.name].join('/'), s);
    for (const h of s.hosts) if (!this.byHost.has(h)) this.byHost.set(h, s);
  }

  get(kind: ServiceKind, namespace: string, name: string): KnownService | undefined {
    return this.byName.get(nameKey(kind, namespace, name));
  }

  byHostname(host: string): KnownService | undefined {
    return this.byHost.get(host);
  }

  all(): IterableIterator<KnownService> {
    return this.byName.values();
  }

  fqdn(namespace: string, name: string): string {
    return `${name}.${namespace}.svc.${this.domain}`;
  }

  /** Istio resolves a dot-less short name relative to the namespace of the object naming it. */
  resolveHost(host: string, namespace: string): string {
    return host.includes('.') || host.includes('*') ? host : this.fqdn(namespace, host);
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
}

function waypointLabel(labels: Record<string, string>): boolean {
  const v = labels['istio.io/use-waypoint'];
  return v !== undefined && v.length > 0 && v.toLowerCase() !== 'none';
}

function nameKey(kind: ServiceKind, ns: string, name: string): string {
  return `${kind}/${ns}/${name}`;
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

/** Istio host matching: exact, or `*.suffix` / `*` wildcards on the configured side. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  return pattern.startsWith('*') && host.endsWith(pattern.slice(1));
}
