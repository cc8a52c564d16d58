// reference/ambient.md §2.3, §2.8: the istio.io/WaypointBound condition istiod writes, with its
// reasons and messages, from the pure resolution function.
import { describe, expect, it } from 'vitest';
import type { Gateway, Labels } from '../../src/k8s/types';
import { resolveWaypoint, waypointFromGateway, type BindingTarget, type WaypointInfo } from '../../src/control/waypoints';

function gw(ns: string, name: string, labels: Labels = {}, ready = true, allowed?: object): Gateway {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, labels },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', ...(allowed ? { allowedRoutes: { namespaces: allowed } } : {}) }] },
    status: ready ? { addresses: [{ type: 'IPAddress', value: '10.96.0.50' }] } : {},
  };
}

function lookup(gateways: Gateway[], nsLabels: Record<string, Labels> = {}) {
  const wps = new Map<string, WaypointInfo>();
  for (const g of gateways) {
    const w = waypointFromGateway(g, undefined);
    if (w) wps.set(`${w.namespace}/${w.name}`, w);
  }
  return { waypoint: (ns: string, n: string) => wps.get(`${ns}/${n}`), namespaceLabels: (ns: string) => nsLabels[ns] ?? {} };
}

const svc = (labels: Labels): BindingTarget => ({ kind: 'Service', namespace: 'app', labels });
const pod = (labels: Labels): BindingTarget => ({ kind: 'Pod', namespace: 'app', labels });

const rows: { id: string; target: BindingTarget; gateways: Gateway[]; ns?: Record<string, Labels>; reason?: string; message?: string; bound?: string }[] = [
  { id: 'bound: WaypointAccepted', target: svc({ 'istio.io/use-waypoint': 'wp' }), gateways: [gw('app', 'wp')], reason: 'WaypointAccepted', message: 'Successfully attached to waypoint app/wp', bound: 'app/wp' },
  { id: 'missing waypoint: WaypointIsNotReady', target: svc({ 'istio.io/use-waypoint': 'wp' }), gateways: [], reason: 'WaypointIsNotReady', message: 'waypoint "app/wp" is not ready' },
  { id: 'Gateway without status addresses is not a waypoint yet', target: svc({ 'istio.io/use-waypoint': 'wp' }), gateways: [gw('app', 'wp', {}, false)], reason: 'WaypointIsNotReady' },
  {
    id: 'cross-namespace without allowedRoutes: AttachmentDenied',
    target: svc({ 'istio.io/use-waypoint': 'wp', 'istio.io/use-waypoint-namespace': 'infra' }),
    gateways: [gw('infra', 'wp')],
    reason: 'AttachmentDenied',
    message: 'we are not permitted to attach to waypoint "infra/wp" (missing allowedRoutes?)',
  },
  {
    // istiod's AllowsAttachmentFromNamespace: a Selector must match the waypoint's own namespace too.
    id: 'same-namespace Service on a waypoint whose Selector does not match its namespace: AttachmentDenied',
    target: svc({ 'istio.io/use-waypoint': 'wp' }),
    gateways: [gw('app', 'wp', {}, true, { from: 'Selector', selector: { matchLabels: { team: 'blue' } } })],
    reason: 'AttachmentDenied',
    message: 'we are not permitted to attach to waypoint "app/wp" (missing allowedRoutes?)',
  },
  {
    id: 'same-namespace Service on a waypoint whose Selector matches its namespace: bound',
    target: svc({ 'istio.io/use-waypoint': 'wp' }),
    ns: { app: { team: 'blue' } },
    gateways: [gw('app', 'wp', {}, true, { from: 'Selector', selector: { matchLabels: { team: 'blue' } } })],
    reason: 'WaypointAccepted',
    bound: 'app/wp',
  },
  {
    // A nil label selector is Kubernetes' "nothing" selector (LabelSelectorAsSelector).
    id: 'a Selector with no selector admits no namespace, not even the waypoint\'s own',
    target: svc({ 'istio.io/use-waypoint': 'wp', 'istio.io/use-waypoint-namespace': 'infra' }),
    gateways: [gw('infra', 'wp', {}, true, { from: 'Selector' })],
    reason: 'AttachmentDenied',
  },
  {
    id: 'an empty selector admits every namespace',
    target: svc({ 'istio.io/use-waypoint': 'wp', 'istio.io/use-waypoint-namespace': 'infra' }),
    gateways: [gw('infra', 'wp', {}, true, { from: 'Selector', selector: {} })],
    reason: 'WaypointAccepted',
    bound: 'infra/wp',
  },
  {
    id: 'Service on a workload waypoint: UnsupportedTrafficType even from the namespace label',
    target: svc({}),
    ns: { app: { 'istio.io/use-waypoint': 'wp' } },
    gateways: [gw('app', 'wp', { 'istio.io/waypoint-for': 'workload' })],
    reason: 'UnsupportedTrafficType',
    message: 'attempting to bind to traffic type "service" which the waypoint "app/wp" does not support',
  },
  { id: 'Pod inheriting a service waypoint from its namespace: silent', target: pod({}), ns: { app: { 'istio.io/use-waypoint': 'wp' } }, gateways: [gw('app', 'wp')] },
  {
    id: 'Pod labelled with a service waypoint: UnsupportedTrafficType',
    target: pod({ 'istio.io/use-waypoint': 'wp' }),
    gateways: [gw('app', 'wp')],
    reason: 'UnsupportedTrafficType',
    message: 'attempting to bind to traffic type "workload" which the waypoint "app/wp" does not support',
  },
  { id: 'label none: no condition', target: svc({ 'istio.io/use-waypoint': 'none' }), ns: { app: { 'istio.io/use-waypoint': 'wp' } }, gateways: [gw('app', 'wp')] },
  { id: 'an unknown waypoint-for value accepts nothing', target: svc({ 'istio.io/use-waypoint': 'wp' }), gateways: [gw('app', 'wp', { 'istio.io/waypoint-for': 'bogus' })], reason: 'UnsupportedTrafficType' },
];

describe('reference/ambient.md §2.8 WaypointBound condition', () => {
  for (const row of rows) {
    it(row.id, () => {
      const b = resolveWaypoint(row.target, lookup(row.gateways, row.ns));
      expect(b.condition?.reason).toBe(row.reason);
      if (row.message) expect(b.condition?.message).toBe(row.message);
      expect(b.waypoint ? `${b.waypoint.namespace}/${b.waypoint.name}` : undefined).toBe(row.bound);
    });
  }
});
