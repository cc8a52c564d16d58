// WorkloadEntries as istiod 1.28's ambient index builds them (workloadEntryWorkloadBuilder,
// constructServicesFromWorkloadEntry, ConvertClientWorkloadEntry): workloads at their address that
// the Services and ServiceEntries of their namespace select by label, Kubernetes Services included
// (PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES, on by default).
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../../src/control/config';
import { buildMeshView } from '../../src/control/mesh-view';
import type { ServiceInfo } from '../../src/control/model';
import { ztunnelUid } from '../../src/control/workload-entries';
import type { KubeObject, Service, ServiceEntry, WorkloadEntry, WorkloadEntrySpec } from '../../src/k8s/types';
import { curl, namespace, waypoint, yamlDocs } from '../helpers/manifests';
import { runText, scenarioText } from '../helpers/run-scenario';

const entry = (name: string, spec: WorkloadEntrySpec, ns = 'vm', labels?: Record<string, string>): WorkloadEntry => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
  spec,
});

const serviceEntry: ServiceEntry = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'legacy', namespace: 'vm' },
  spec: {
    hosts: ['legacy.example.internal'],
    ports: [
      { number: 80, name: 'http', protocol: 'HTTP' },
      { number: 9000, name: 'admin', protocol: 'TCP', targetPort: 9001 },
    ],
    resolution: 'STATIC',
    location: 'MESH_INTERNAL',
    workloadSelector: { labels: { app: 'legacy' } },
  },
};

const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'legacy-svc', namespace: 'vm' },
  spec: {
    clusterIP: '10.96.0.50',
    selector: { app: 'legacy' },
    ports: [
      { name: 'http', port: 80, targetPort: 9090 },
      { name: 'grpc', port: 90, targetPort: 'grpc-port' },
    ],
  },
};

function view(objects: KubeObject[]) {
  const reader = { list: (kind: string) => objects.filter((o) => o.kind === kind) };
  return buildMeshView({ name: 'c1', network: 'n1', objects: reader, version: 1 }, DEFAULT_MESH_CONFIG);
}

const ENTRIES = [
  entry('legacy-1', { address: '10.99.0.5', labels: { app: 'legacy' }, ports: { http: 8080, 'grpc-port': 7070 }, serviceAccount: 'legacy', locality: 'eu-west/eu-west-1a', weight: 3 }),
  entry('legacy-2', { address: '10.99.0.6' }, 'vm', { app: 'legacy' }),
];

/** Each endpoint as `name port→target ...`, with its capacity when it has one. */
const endpoints = (s: ServiceInfo): string[] =>
  s.endpoints.map((e) => `${e.workload.name} ${[...e.targetPorts].map(([p, t]) => `${p}→${t}`).join(' ')}${e.capacity ? ` ×${e.capacity}` : ''}`);

describe('WorkloadEntries (istiod 1.28 ambient index)', () => {
  it('are endpoints of the ServiceEntry that selects them: the port of the SE port’s name from their ports, else the SE port’s target', () => {
    const v = view([...ENTRIES, serviceEntry]);
    expect(endpoints(v.serviceByHost.get('legacy.example.internal')!)).toEqual(['legacy-1 80→8080 9000→9001 ×3', 'legacy-2 80→80 9000→9001']);
  });

  it('are endpoints of a Kubernetes Service of their namespace: a numeric targetPort gives way to their port of the Service port’s name, a named one must be among their ports', () => {
    const v = view([...ENTRIES, service]);
    expect(endpoints(v.serviceByHost.get('legacy-svc.vm.svc.cluster.local')!)).toEqual(['legacy-1 80→8080 90→7070 ×3', 'legacy-2 80→9090']);
  });

  it('are workloads of their own: address, uid of the WorkloadEntry form, service account, locality, plain TCP', () => {
    const w = view([...ENTRIES, serviceEntry]).serviceByHost.get('legacy.example.internal')!.endpoints[0]!.workload;
    expect(w).toMatchObject({ ip: '10.99.0.5', uid: 'c1/networking.istio.io/WorkloadEntry/vm/legacy-1', serviceAccount: 'legacy', identity: 'spiffe://cluster.local/ns/vm/sa/legacy', protocol: 'TCP', node: '' });
    expect(w.locality).toEqual({ region: 'eu-west', zone: 'eu-west-1a', subzone: '' });
    // `istioctl ztunnel-config service -o json` keys endpoints by that uid, a pod's by `<cluster>//Pod/<ns>/<name>`.
    expect(ztunnelUid(w)).toBe('c1/networking.istio.io/WorkloadEntry/vm/legacy-1');
  });

  it('select by spec and metadata labels merged, metadata’s winning; other namespaces’ entries are not endpoints, nor (not modelled) hostname addresses and other networks', () => {
    const v = view([
      entry('renamed', { address: '10.99.0.7', labels: { app: 'legacy' } }, 'vm', { app: 'other' }),
      entry('elsewhere', { address: '10.99.0.8', labels: { app: 'legacy' } }, 'default'),
      entry('by-name', { address: 'vm.example.internal', labels: { app: 'legacy' } }),
      entry('remote', { address: '10.99.0.10', labels: { app: 'legacy' }, network: 'n2' }),
      entry('local', { address: '10.99.0.11', labels: { app: 'legacy' }, network: 'n1' }),
      entry('kept', { address: '10.99.0.9', labels: { tier: 'x' } }, 'vm', { app: 'legacy' }),
      serviceEntry,
    ]);
    expect(endpoints(v.serviceByHost.get('legacy.example.internal')!)).toEqual(['local 80→80 9000→9001', 'kept 80→80 9000→9001']);
  });

  it('answer requests sent to the ServiceEntry’s host, by their weight, over plain TCP from the client’s ztunnel', async () => {
    const text = scenarioText({
      name: 'workload-entries',
      manifests: yamlDocs([namespace('client', { 'istio.io/dataplane-mode': 'ambient' }), namespace('vm'), curl('client'), ...ENTRIES, serviceEntry]),
      steps: [{ name: 'call', request: { from: 'client/curl', url: 'http://legacy.example.internal/', count: 400 }, expect: { status: 200, via: ['ztunnel'] } }],
    });
    const r = await runText(text);
    const step = r.steps[0]!;
    expect(step.passed).toBe(true);
    const backends = step.summary!.backends;
    expect(Object.keys(backends).sort()).toEqual(['vm/legacy-1', 'vm/legacy-2']);
    // Weight 3 against 1: three quarters, within the binomial spread of 400 draws.
    expect(backends['vm/legacy-1']! / 400).toBeGreaterThan(0.68);
    expect(backends['vm/legacy-1']! / 400).toBeLessThan(0.82);
    expect(step.requests![0]!.hops.at(-2)).toMatchObject({ kind: 'ztunnel', protocol: 'TCP' });
  });

  it('answer at their own address, through the waypoint their istio.io/use-waypoint label binds for workload traffic', async () => {
    const bound = entry('legacy-1', { address: '10.99.0.5', labels: { app: 'legacy' }, ports: { http: 8080 } }, 'vm', { 'istio.io/use-waypoint': 'waypoint' });
    const text = scenarioText({
      name: 'workload-entry-address',
      manifests: yamlDocs([namespace('client', { 'istio.io/dataplane-mode': 'ambient' }), namespace('vm'), curl('client'), bound, ENTRIES[1]!, waypoint('vm', 'waypoint', { for: 'workload' })]),
      steps: [
        { name: 'bound', request: { from: 'client/curl', url: 'http://10.99.0.5:8080/' }, expect: { status: 200, via: ['ztunnel', 'waypoint'], body: 'legacy-1\n' } },
        { name: 'unbound', request: { from: 'client/curl', url: 'http://10.99.0.6:8080/' }, expect: { status: 200, via: ['ztunnel'], body: 'legacy-2\n' } },
      ],
    });
    const r = await runText(text);
    expect(r.steps.map((s) => [s.name, s.failures])).toEqual([
      ['bound', []],
      ['unbound', []],
    ]);
  });

  it('are listed by istioctl ztunnel-config workload, on no node, plain TCP, with their uid in the dump', async () => {
    const text = scenarioText({
      name: 'workload-entries-listed',
      manifests: yamlDocs([namespace('vm'), ...ENTRIES]),
      steps: [
        {
          name: 'list',
          run: 'istioctl ztunnel-config workload --workload-namespace vm; istioctl ztunnel-config workload legacy-1.vm -o json | grep uid',
          expect: {
            stdout: [
              'NAMESPACE POD NAME ADDRESS   NODE WAYPOINT PROTOCOL',
              'vm        legacy-1 10.99.0.5      None     TCP',
              'vm        legacy-2 10.99.0.6      None     TCP',
              '        "uid": "cluster-1/networking.istio.io/WorkloadEntry/vm/legacy-1",',
              '',
            ].join('\n'),
          },
        },
      ],
    });
    const r = await runText(text);
    expect(r.steps[0]!.failures).toEqual([]);
  });
});
