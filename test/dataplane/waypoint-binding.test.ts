// reference/ambient.md §2.9: which waypoint a Service and a Pod get, from the object's and the
// namespace's labels, the waypoint's traffic type and its readiness — observed on the data path
// (service-addressed and pod-addressed requests) and in the WaypointBound condition.
import { describe, expect, it } from 'vitest';
import { echo, namespace, service, waypoint } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { AMBIENT, base, SVC_URL } from './topology';

type Path = 'waypoint' | 'direct';
const VIA: Record<Path, string[]> = { waypoint: ['ztunnel', 'waypoint', 'ztunnel'], direct: ['ztunnel', 'ztunnel'] };

interface Row {
  id: string;
  serverNs?: Record<string, string>;
  svcLabels?: Record<string, string>;
  podLabels?: Record<string, string>;
  extra?: object[];
  service: Path;
  pod: Path;
  /** Which waypoint the service path uses (ns/name) when not server/waypoint. */
  serviceWaypoint?: string;
}

const ns = (labels: Record<string, string>) => ({ ...AMBIENT, ...labels });
const UW = 'istio.io/use-waypoint';

const rows: Row[] = [
  { id: 'no label anywhere: no waypoint', service: 'direct', pod: 'direct', extra: [waypoint('server')] },
  { id: 'namespace label, default (service) waypoint: Service yes, Pod no (silent)', serverNs: ns({ [UW]: 'waypoint' }), extra: [waypoint('server')], service: 'waypoint', pod: 'direct' },
  { id: 'namespace label, workload waypoint: Service no (UnsupportedTrafficType), Pod yes', serverNs: ns({ [UW]: 'waypoint' }), extra: [waypoint('server', 'waypoint', { for: 'workload' })], service: 'direct', pod: 'waypoint' },
  { id: 'namespace label, all: both', serverNs: ns({ [UW]: 'waypoint' }), extra: [waypoint('server', 'waypoint', { for: 'all' })], service: 'waypoint', pod: 'waypoint' },
  { id: 'namespace label, none: neither', serverNs: ns({ [UW]: 'waypoint' }), extra: [waypoint('server', 'waypoint', { for: 'none' })], service: 'direct', pod: 'direct' },
  { id: 'namespace label naming a missing waypoint: fail open', serverNs: ns({ [UW]: 'waypoint' }), service: 'direct', pod: 'direct' },
  { id: 'object label none beats the namespace label', serverNs: ns({ [UW]: 'waypoint' }), svcLabels: { [UW]: 'none' }, podLabels: { [UW]: 'none' }, extra: [waypoint('server', 'waypoint', { for: 'all' })], service: 'direct', pod: 'direct' },
  { id: 'object label naming a missing waypoint: no fallback to the namespace waypoint', serverNs: ns({ [UW]: 'waypoint' }), svcLabels: { [UW]: 'missing' }, podLabels: { [UW]: 'missing' }, extra: [waypoint('server', 'waypoint', { for: 'all' })], service: 'direct', pod: 'direct' },
  {
    id: 'object label naming a ready waypoint beats the namespace one',
    serverNs: ns({ [UW]: 'waypoint' }),
    svcLabels: { [UW]: 'other' },
    extra: [waypoint('server'), waypoint('server', 'other')],
    service: 'waypoint',
    serviceWaypoint: 'server/other',
    pod: 'direct',
  },
  {
    id: 'use-waypoint-namespace to a waypoint whose listener allows All namespaces',
    svcLabels: { [UW]: 'shared', 'istio.io/use-waypoint-namespace': 'infra' },
    extra: [namespace('infra', AMBIENT), waypoint('infra', 'shared', { allowedRoutes: { from: 'All' } })],
    service: 'waypoint',
    serviceWaypoint: 'infra/shared',
    pod: 'direct',
  },
  {
    id: 'use-waypoint-namespace to a waypoint without allowedRoutes: AttachmentDenied, direct',
    svcLabels: { [UW]: 'shared', 'istio.io/use-waypoint-namespace': 'infra' },
    extra: [namespace('infra', AMBIENT), waypoint('infra', 'shared')],
    service: 'direct',
    pod: 'direct',
  },
  {
    id: 'use-waypoint-namespace with a Selector admitting the namespace',
    svcLabels: { [UW]: 'shared', 'istio.io/use-waypoint-namespace': 'infra' },
    extra: [namespace('infra', AMBIENT), waypoint('infra', 'shared', { allowedRoutes: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'server' } } } })],
    service: 'waypoint',
    serviceWaypoint: 'infra/shared',
    pod: 'direct',
  },
  { id: 'pod label naming a service-only waypoint: UnsupportedTrafficType, direct', podLabels: { [UW]: 'waypoint' }, extra: [waypoint('server')], service: 'direct', pod: 'direct' },
];

describe('reference/ambient.md §2.9 waypoint binding decision table', () => {
  for (const row of rows) {
    it(row.id, async () => {
      const manifests = base({
        serverNs: row.serverNs ?? AMBIENT,
        svc: service('server', 'echo', { labels: row.svcLabels }),
        deploy: echo('server', 'echo', 'hello from echo', { node: 'node-2', podLabels: row.podLabels }),
        extra: row.extra,
      });
      const wp = row.serviceWaypoint ?? 'server/waypoint';
      const result = await runParts({
        manifests,
        steps: [
          {
            name: 'service-addressed',
            request: { from: 'client/curl', url: SVC_URL },
            expect: { status: 200, via: VIA[row.service], ...(row.service === 'waypoint' ? { decision: [{ kind: 'waypoint-binding', result: wp }] } : {}) },
          },
          { name: 'pod-addressed', request: { from: 'client/curl', pod: 'server/echo', port: 8080 }, expect: { status: 200, via: VIA[row.pod] } },
        ],
      });
      expect(failuresOf(result)).toEqual([]);
    });
  }
});
