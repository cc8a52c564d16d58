// Real manifests load unchanged: no errors (and, where Istio would not warn, no warnings).
import { describe, expect, it } from 'vitest';
import { validateObject } from '../../src/k8s/validate';
import * as samples from './samples';

const sets: [string, string][] = [
  ['bookinfo productpage (volumes, securityContext, annotations)', samples.bookinfoProductpage],
  ['httpbin', samples.httpbin],
  ['curl', samples.curl],
  ['helloworld (resources, probes, env valueFrom, affinity, tolerations)', samples.helloworld],
  ['istioctl waypoint generate', samples.waypoint],
  ['Gateway API routes and gateways', samples.gatewayApi],
  ['AuthorizationPolicies from istio.io', samples.authorizationPolicies],
  ['Istio networking, PeerAuthentication, RequestAuthentication, Telemetry', samples.istioNetworking],
  ['core kinds: Namespace, Node, headless/ExternalName Services, EndpointSlice, StatefulSet, DaemonSet, Pod', samples.coreMisc],
];

describe('valid real-world manifests', () => {
  for (const [name, text] of sets) {
    it(name, () => {
      for (const obj of samples.docs(text)) {
        const meta = obj['metadata'] as { name: string };
        expect({ kind: obj['kind'], name: meta.name, issues: validateObject(obj) }).toEqual({ kind: obj['kind'], name: meta.name, issues: [] });
      }
    });
  }
});
