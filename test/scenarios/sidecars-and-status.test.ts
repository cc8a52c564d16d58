// Sidecar destinations keep classic sidecar semantics (STRICT refuses plaintext, their own RBAC
// answers 403), injected pods carry the istio-proxy container, and kubectl shows the status istiod
// writes — in the teaching scenarios' own setups.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths';
import { failuresOf, runParts } from '../helpers/run-scenario';

const manifests = (dir: string, files: string[]) =>
  files.map((f) => readFileSync(projectPath('scenarios', dir, 'manifests', f), 'utf8')).join('\n---\n');

/** legacy (sidecars), modern (ambient) and outside (no mesh), as in scenarios/sidecar-ambient-mix. */
const MIX = manifests('sidecar-ambient-mix', ['namespaces.yaml', 'legacy.yaml', 'modern.yaml', 'outside.yaml']);
/** store (ambient, orders Service) and shopper (curl), as in scenarios/waypoint-for-all-vs-none. */
const STORE = manifests('waypoint-for-all-vs-none', ['store.yaml', 'shopper.yaml']);

const MESH_STRICT = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
`;

const INVENTORY_LEGACY_ONLY = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: legacy-only, namespace: legacy }
spec:
  selector: { matchLabels: { app: inventory } }
  action: ALLOW
  rules:
  - from:
    - source: { namespaces: [legacy] }
`;

describe('sidecar destinations (ambient.md §1.4, §4: sidecars keep classic sidecar semantics)', () => {
  it('a STRICT sidecar rejects a plaintext client: the connection is reset', async () => {
    const result = await runParts({
      manifests: `${MIX}\n---\n${MESH_STRICT}`,
      steps: [{ name: 'plaintext to a sidecar under STRICT', request: { from: 'outside/curl', url: 'http://inventory.legacy/' }, expect: { outcome: 'reset', via: ['sidecar'] } }],
    });
    expect(failuresOf(result)).toEqual([]);
  });

  it("a sidecar enforces an AuthorizationPolicy that selects its pod: HTTP 403 from the sidecar's RBAC filter", async () => {
    const result = await runParts({
      manifests: `${MIX}\n---\n${INVENTORY_LEGACY_ONLY}`,
      steps: [
        { name: 'legacy is allowed', request: { from: 'legacy/curl', url: 'http://inventory.legacy/' }, expect: { status: 200, via: ['sidecar', 'sidecar'] } },
        { name: 'modern is denied', request: { from: 'modern/curl', url: 'http://inventory.legacy/' }, expect: { status: 403, body: 'RBAC: access denied', via: ['ztunnel', 'sidecar'] } },
      ],
    });
    expect(failuresOf(result)).toEqual([]);
  });

  it('kubectl get pods counts the injected istio-proxy container: READY 2/2', async () => {
    const result = await runParts({
      manifests: MIX,
      steps: [{ name: 'pods', run: "kubectl get pods -n legacy --no-headers | awk '{ print $2 }' | sort -u", expect: { stdout: '2/2' } }],
    });
    expect(failuresOf(result)).toEqual([]);
  });
});

describe('istio.io/WaypointBound status (ambient.md §2.8; AMBIENT_ENABLE_STATUS defaults to true in the ambient profile)', () => {
  it('kubectl shows the UnsupportedTrafficType condition istiod writes on a Service whose waypoint is of type none', async () => {
    const result = await runParts({
      manifests: STORE,
      steps: [
        {
          name: 'waypoint for none, and the Service status',
          run: 'istioctl waypoint apply -n store --for none --enroll-namespace --wait >/dev/null\nkubectl get svc orders -n store -o yaml',
          expect: { stdoutContains: ['type: istio.io/WaypointBound', 'status: "False"', 'reason: UnsupportedTrafficType'] },
        },
      ],
    });
    expect(failuresOf(result)).toEqual([]);
  });
});
