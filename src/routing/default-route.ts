// Where a service port no route applies to sends traffic: to the service itself, with the cluster
// policy its DestinationRule gives. That is the same for every request, so it is worked out on
// the first request to the port and kept; a mesh's services that are never asked about cost
// nothing. Kept by service name with a short chain for namespace and port, so a request builds
// no key string.
import type { Decision } from '../result/types';
import { hashingLb } from './plain-forward';
import type { Registry } from './registry';
import type { DestinationRules } from './traffic-policy';
import type { BackendTarget, ClusterPolicy, LbPolicy, RouteTarget } from './types';

export class DefaultRoute {
  /** The `forward` decision for the proxy `at`, made on first use and shared (frozen). */
  at = '';
  decision: Decision | null = null;
  readonly hashLb: LbPolicy | null;

  constructor(
    readonly namespace: string,
    readonly port: number,
    readonly backend: BackendTarget,
    readonly cluster: ClusterPolicy,
    readonly next: DefaultRoute | null,
  ) {
    this.hashLb = hashingLb(cluster);
  }
}

export class DefaultRoutes {
  private readonly byName = new Map<string, DefaultRoute>();

  constructor(
    private readonly registry: Registry,
    private readonly drs: DestinationRules,
    private readonly protocol: 'http' | 'tcp',
  ) {}

  get(target: RouteTarget): DefaultRoute {
    const first = this.byName.get(target.service) ?? null;
    for (let d = first; d !== null; d = d.next) if (d.port === target.port && d.namespace === target.namespace) return d;
    const { registry } = this;
    const svc = registry.get('Service', target.namespace, target.service) ?? registry.get('ServiceEntry', target.namespace, target.service);
    const host = svc?.hosts[0] ?? registry.fqdn(target.namespace, target.service);
    const proxyNs = svc ? registry.waypointNamespace(svc) : target.namespace;
    const cluster = this.drs.policy(host, target.namespace, proxyNs, target.port, undefined, this.protocol);
    const backend: BackendTarget = { kind: svc?.kind ?? 'Service', namespace: target.namespace, name: target.service, port: target.port, host };
    const d = new DefaultRoute(target.namespace, target.port, backend, cluster, first);
    this.byName.set(target.service, d);
    return d;
  }
}
