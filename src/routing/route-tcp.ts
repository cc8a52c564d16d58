// routeTcp: the decision a waypoint's TCP chain takes for one connection to one service port.
import { lookupNested, type RouteIndex } from './compile';
import { pickWeighted } from '../../sim/choice';
import { routeDecision } from './explain';
import { hashKeyOf } from './hash-key';
import type { RouteOptions, RouteTarget, TcpConnection, TcpDecision } from './types';

/** One random draw when the route has several weighted backends. */
export function routeTcp(index: RouteIndex, target: RouteTarget, conn: TcpConnection, rng: () => number, opts?: RouteOptions): TcpDecision {
  const at = opts?.at ?? 'waypoint';
  const route = lookupNested(index.tcp, target.namespace, target.service, target.port);
  if (!route) {
    const d = index.tcpDefaults.get(target);
    return withHash({ type: 'forward', route: null, backend: d.backend, cluster: d.cluster, decisions: [routeDecision(at, 'forward', null, 'no TCP/TLS route for this service port; default to the service')] }, conn);
  }
  let backend = route.backends[0];
  if (route.backends.length > 1) {
    const backends = route.backends;
    backend = backends[pickWeighted(rng, backends.length, route.totalWeight, (i) => backends[i]!.weight)];
  }
  const policy = route.label.slice(route.label.indexOf(' ') + 1);
  if (!backend || !backend.target || !backend.cluster) {
    // All weights zero ⇒ a cluster that does not exist; an unknown backend ⇒ UnknownService. Either way the connection is closed.
    const reason = backend ? (backend.invalidReason ?? 'unknown backend') : 'no backend with weight > 0';
    return { type: 'reject', route: route.label, reason, decisions: [{ at, kind: 'route', result: 'reject', policy, rule: 0, reason, detail: { route: route.label } }] };
  }
  return withHash(
    {
      type: 'forward',
      route: route.label,
      backend: backend.target,
      cluster: backend.cluster,
      decisions: [{ at, kind: 'route', result: 'forward', policy, rule: 0, reason: `forwarding to ${backend.target.name}.${backend.target.namespace}:${backend.target.port}`, detail: { route: route.label } }],
    },
    conn,
  );
}

function withHash(d: Extract<TcpDecision, { type: 'forward' }>, conn: TcpConnection): TcpDecision {
  if (d.cluster.lb.hashOn && 'sourceIp' in d.cluster.lb.hashOn && conn.srcIp !== undefined) d.hashKey = conn.srcIp;
  return d;
}
