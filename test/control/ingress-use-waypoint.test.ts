// istio.io/ingress-use-waypoint as istiod 1.28 reads it: the Service's own label when present, else
// its namespace's, each true only when it says `true` in any case (strings.EqualFold); the
// WaypointBound message mentions ingress only for the Service's own label (model.GetConditions).
import { describe, expect, it } from 'vitest';
import type { Gateway, KubeObject, Labels, Namespace, Service } from '../../src/k8s/types';
import { DEFAULT_MESH_CONFIG } from '../../src/control/config';
import { buildMeshView } from '../../src/control/mesh-view';

const namespace = (labels: Labels): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/use-waypoint': 'waypoint', ...labels } } });

const waypoint: Gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint', namespace: 'shop' },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  status: { addresses: [{ type: 'IPAddress', value: '10.96.1.1' }] },
};

const service = (labels: Labels): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop', labels },
  spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80 }] },
});

function web(nsLabels: Labels, svcLabels: Labels) {
  const objects: KubeObject[] = [namespace(nsLabels), waypoint, service(svcLabels)];
  const reader = { list: (kind: string) => objects.filter((o) => o.kind === kind) };
  const view = buildMeshView({ name: 'c1', network: 'n1', objects: reader, version: 1 }, DEFAULT_MESH_CONFIG);
  const svc = view.serviceByHost.get('web.shop.svc.cluster.local')!;
  return { ingress: svc.ingressUseWaypoint, message: svc.waypointCondition?.message };
}

const LABEL = 'istio.io/ingress-use-waypoint';
const ACCEPTED = 'Successfully attached to waypoint shop/waypoint';

describe('istio.io/ingress-use-waypoint (istiod 1.28)', () => {
  it.each([
    { svc: 'true', ingress: true, message: `${ACCEPTED}. Ingress traffic will traverse the waypoint` },
    { svc: 'TRUE', ingress: true, message: `${ACCEPTED}. Ingress traffic will traverse the waypoint` },
    { svc: '1', ingress: false, message: `${ACCEPTED}. Ingress traffic is not using the waypoint, set the istio.io/ingress-use-waypoint label to true if desired.` },
    { svc: 'false', ingress: false, message: `${ACCEPTED}. Ingress traffic is not using the waypoint, set the istio.io/ingress-use-waypoint label to true if desired.` },
  ])('the Service label $svc: ingress through the waypoint $ingress', ({ svc, ingress, message }) => {
    expect(web({}, { [LABEL]: svc })).toEqual({ ingress, message });
  });

  it('the namespace label alone routes ingress through the waypoint, and the message does not mention it', () => {
    expect(web({ [LABEL]: 'True' }, {})).toEqual({ ingress: true, message: ACCEPTED });
    expect(web({ [LABEL]: 't' }, {})).toEqual({ ingress: false, message: ACCEPTED });
  });

  it("the Service's label, when present, decides over the namespace's", () => {
    expect(web({ [LABEL]: 'true' }, { [LABEL]: 'false' }).ingress).toBe(false);
    expect(web({ [LABEL]: 'false' }, { [LABEL]: 'true' }).ingress).toBe(true);
  });
});
