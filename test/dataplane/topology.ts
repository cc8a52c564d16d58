// The topology most data-path tables share: an ambient `client` namespace with curl on node-1 and
// a `server` namespace with an http-echo `echo` Deployment behind Service `echo` (80 → 8080) on node-2.
import { expect, it } from 'vitest';
import { curl, echo, namespace, service, yamlDocs } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';

export const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

export interface Base {
  clientNs?: Record<string, string>;
  serverNs?: Record<string, string>;
  serverNode?: string;
  extra?: object[];
  /** Replaces the default echo Service. */
  svc?: object;
  /** Replaces the default echo Deployment. */
  deploy?: object;
}

export function base(b: Base = {}): string {
  return yamlDocs([
    namespace('client', b.clientNs ?? AMBIENT),
    namespace('server', b.serverNs ?? AMBIENT),
    curl('client', 'curl', { node: 'node-1' }),
    b.deploy ?? echo('server', 'echo', 'hello from echo', { node: b.serverNode ?? 'node-2' }),
    b.svc ?? service('server', 'echo'),
    ...(b.extra ?? []),
  ]);
}

export const SVC_URL = 'http://echo.server.svc.cluster.local/';

/** One row of a data-path table: manifests, one request step, what must hold. */
export interface RequestRow {
  id: string;
  manifests: string;
  request: Record<string, unknown>;
  expect: Record<string, unknown>;
}

/** A test per row: the request step runs against the row's manifests and every expectation holds. */
export function requestTable(rows: readonly RequestRow[]): void {
  for (const row of rows) {
    it(row.id, async () => {
      const result = await runParts({ manifests: row.manifests, steps: [{ name: 'request', request: row.request, expect: row.expect }] });
      expect(failuresOf(result)).toEqual([]);
    });
  }
}

/** The waypoint Deployment of `ns` scaled to zero: its Gateway keeps its address, no pod serves it. */
export function waypointScaledToZero(ns: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: waypoint, namespace: ${ns} }
spec:
  replicas: 0
  selector: { matchLabels: { gateway.networking.k8s.io/gateway-name: waypoint } }
  template:
    metadata: { labels: { gateway.networking.k8s.io/gateway-name: waypoint } }
    spec: { containers: [{ name: istio-proxy, image: istio/proxyv2 }] }
`;
}
