// Compile-time agreement: what each schema outputs must be assignable to the type the rest of
// meshsim reads from src/k8s/types.ts (tsc checks the functions below; the test only runs them).
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type * as T from '../../src/k8s/types';
import * as apps from '../../src/k8s/schemas/apps';
import * as core from '../../src/k8s/schemas/core';
import * as gw from '../../src/k8s/schemas/gateway';
import * as net from '../../src/k8s/schemas/networking';
import * as sec from '../../src/k8s/schemas/security';
import { schemaFor } from '../../src/k8s/schemas/registry';

type Out<S extends z.ZodType> = z.output<S>;

/**
 * types.ts declares JWTRule.issuer required, but Istio accepts a rule with only jwksUri
 * ("issuer or jwksUri must be non-empty string"), so the schema output has it optional.
 */
type JWTRuleAsIstio = Omit<T.JWTRule, 'issuer'> & { issuer?: string };
type RequestAuthenticationAsIstio = Omit<T.RequestAuthentication, 'spec'> & {
  spec?: Omit<NonNullable<T.RequestAuthentication['spec']>, 'jwtRules'> & { jwtRules?: JWTRuleAsIstio[] };
};
const tlsV1 = gw.tlsRoute(true);

const agree = {
  Namespace: (x: Out<typeof core.namespace>): T.Namespace => x,
  Node: (x: Out<typeof core.node>): T.Node => x,
  ServiceAccount: (x: Out<typeof core.serviceAccount>): T.ServiceAccount => x,
  Pod: (x: Out<typeof core.pod>): T.Pod => x,
  Service: (x: Out<typeof core.service>): T.Service => x,
  EndpointSlice: (x: Out<typeof core.endpointSlice>): T.EndpointSlice => x,
  Deployment: (x: Out<typeof apps.deployment>): T.Deployment => x,
  ReplicaSet: (x: Out<typeof apps.replicaSet>): T.ReplicaSet => x,
  StatefulSet: (x: Out<typeof apps.statefulSet>): T.StatefulSet => x,
  DaemonSet: (x: Out<typeof apps.daemonSet>): T.DaemonSet => x,
  GatewayClass: (x: Out<typeof gw.gatewayClass>): T.GatewayClass => x,
  Gateway: (x: Out<typeof gw.gateway>): T.Gateway => x,
  HTTPRoute: (x: Out<typeof gw.httpRoute>): T.HTTPRoute => x,
  GRPCRoute: (x: Out<typeof gw.grpcRoute>): T.GRPCRoute => x,
  TCPRoute: (x: Out<typeof gw.tcpRoute>): T.TCPRoute => x,
  TLSRoute: (x: Out<typeof tlsV1>): T.TLSRoute => x,
  ReferenceGrant: (x: Out<typeof gw.referenceGrant>): T.ReferenceGrant => x,
  AuthorizationPolicy: (x: Out<typeof sec.authorizationPolicy>): T.AuthorizationPolicy => x,
  PeerAuthentication: (x: Out<typeof sec.peerAuthentication>): T.PeerAuthentication => x,
  RequestAuthentication: (x: Out<typeof sec.requestAuthentication>): RequestAuthenticationAsIstio => x,
  VirtualService: (x: Out<typeof net.virtualService>): T.VirtualService => x,
  DestinationRule: (x: Out<typeof net.destinationRule>): T.DestinationRule => x,
  ServiceEntry: (x: Out<typeof net.serviceEntry>): T.ServiceEntry => x,
  WorkloadEntry: (x: Out<typeof net.workloadEntry>): T.WorkloadEntry => x,
  Telemetry: (x: Out<typeof net.telemetry>): T.Telemetry => x,
};

describe('schemas agree with src/k8s/types.ts', () => {
  it('covers every kind the registry knows', () => {
    for (const kind of Object.keys(agree)) {
      const version = kind === 'TCPRoute' ? 'gateway.networking.k8s.io/v1alpha2' : undefined;
      const found = ['v1', 'apps/v1', 'discovery.k8s.io/v1', 'gateway.networking.k8s.io/v1', 'security.istio.io/v1', 'networking.istio.io/v1', 'telemetry.istio.io/v1', version]
        .some((v) => v !== undefined && schemaFor(v, kind) !== undefined);
      expect(found, kind).toBe(true);
    }
  });
});
