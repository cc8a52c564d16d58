// A scenario made of everything the decision memo must replay or refuse to remember: weighted
// splits, fault percentages, mirrors and retries (random choices), round-robin and outlier
// detection (state that outlives a request), headless DNS picks, app-to-app calls, a policy change
// under load with a propagation delay, and steps longer than the kept records with expectations
// that some requests miss (the first miss is named by its id).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { curl, echo, namespace, service, waypoint, yamlDocs } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';
import { testDir } from '../test-dir';

const HOST = (name: string) => `${name}.server.svc.cluster.local`;

function virtualService(name: string, http: object[]): object {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'server' }, spec: { hosts: [HOST(name)], http } };
}

function destinationRule(name: string, trafficPolicy: object): object {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: 'server' }, spec: { host: HOST(name), trafficPolicy } };
}

const DENY_POST = yamlDocs([
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'deny-post', namespace: 'server' },
    spec: { targetRefs: [{ kind: 'Service', group: '', name: 'split' }], action: 'DENY', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] },
  },
]);

const MANIFESTS = yamlDocs([
  namespace('client', { 'istio.io/dataplane-mode': 'ambient' }),
  namespace('server', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' }),
  curl('client'),
  waypoint('server'),
  echo('server', 'split', 'primary', { replicas: 4 }),
  echo('server', 'other', 'other', { replicas: 3 }),
  echo('server', 'rr', 'rr', { replicas: 3 }),
  echo('server', 'od', 'od', { replicas: 3 }),
  echo('server', 'hl', 'hl', { replicas: 3 }),
  echo('server', 'front', 'front', { replicas: 2 }),
  service('server', 'split'),
  service('server', 'other'),
  service('server', 'rr'),
  service('server', 'od'),
  service('server', 'hl', { headless: true, port: 8080 }),
  service('server', 'front'),
  virtualService('split', [
    {
      fault: { abort: { httpStatus: 503, percentage: { value: 10 } } },
      mirror: { host: HOST('other') },
      mirrorPercentage: { value: 50 },
      retries: { attempts: 2, retryOn: '5xx' },
      route: [
        { destination: { host: HOST('split') }, weight: 80 },
        { destination: { host: HOST('other') }, weight: 20 },
      ],
    },
  ]),
  destinationRule('rr', { loadBalancer: { simple: 'ROUND_ROBIN' } }),
  destinationRule('od', { outlierDetection: { consecutive5xxErrors: 2, interval: '1s', baseEjectionTime: '2s', maxEjectionPercent: 50 } }),
]);

const request = (name: string, url: string, count: number, expect?: object) => ({ name, request: { from: 'client/curl', url, count, rate: '2000/s' }, ...(expect ? { expect } : {}) });

/** Writes the scenario to a fresh folder and returns its file. */
export function memoScenarioFile(): string {
  const text = scenarioText({
    name: 'decision-memo',
    manifests: MANIFESTS,
    apps: [
      { workload: 'server/od', status: 500 },
      { workload: 'server/front', calls: [{ url: `http://${HOST('split')}/` }, { url: `http://${HOST('rr')}/` }] },
    ],
    steps: [
      request('split', `http://${HOST('split')}/`, 1500, { status: 200, body: 'primary' }),
      request('round-robin', `http://${HOST('rr')}/`, 300),
      request('outliers', `http://${HOST('od')}/`, 300),
      request('headless', `http://${HOST('hl')}:8080/`, 1200, { via: ['ztunnel', 'ztunnel'] }),
      request('calls', `http://${HOST('front')}/`, 1100),
      {
        name: 'change under load',
        parallel: [request('load', `http://${HOST('split')}/`, 1400, { status: 200 }), { name: 'settle', wait: '200ms' }, { name: 'deny', apply: { inline: DENY_POST } }],
      },
    ],
  });
  const file = join(testDir('memo'), 'scenario.yaml');
  writeFileSync(file, text);
  return file;
}
