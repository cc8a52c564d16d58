// Compiles the authorization and routing engines from one cluster's objects and adapts them to
// the data path's extension points.
import {
  compileAuthz,
  evaluateWaypoint,
  evaluateZtunnel,
  waypointPoliciesFor,
  ztunnelPoliciesFor,
  sidecarAcceptsPlaintext,
  sidecarPoliciesFor,
  type AuthorizerProvider,
  type WaypointDecision,
  type WaypointEvalOptions,
  type WaypointRequest,
  type AuthzIndex,
} from '../authz';
import type { MeshView, ObjectReader } from '../control/mesh-view';
import type { Gateway, HTTPRoute, KubeObject } from '../k8s/types';
import { compileIngress, compileRoutes, routeHttp, routeIngress, type RouteIndex } from '../routing';
import type { Decision } from '../result/types';
import { authzInputOf, routeInputOf } from './engine-inputs';
import type { AuthzVerdict, L7Request, PolicyEngines } from './engines';

export interface EngineOptions {
  providers?: AuthorizerProvider[];
}

function withShadow(decision: Decision, shadow: Decision[], authn?: Decision): Decision[] {
  const out = [...shadow];
  if (authn) out.push(authn);
  out.push(decision);
  return out;
}

function waypointRequest(req: L7Request): WaypointRequest {
  return { srcIdentity: req.srcIdentity, srcIp: req.srcIp, dstIp: req.dstIp, dstPort: req.dstPort, host: req.authority, method: req.method, path: req.path, headers: req.headers, protocol: req.protocol };
}

/** The clock is read only if a JWT is checked: a decision that needs no time does not depend on it. */
function evalOptions(at: string, clock: () => number): WaypointEvalOptions {
  return {
    at,
    get nowMs() {
      return clock();
    },
  };
}

/** An Envoy RBAC decision (waypoint or sidecar) as the data path's verdict. */
function waypointVerdict(d: WaypointDecision): AuthzVerdict {
  const decisions = withShadow(d.decision, d.shadow, d.authn);
  if (d.outcome.kind === 'pass') return { allowed: true, decisions };
  return { allowed: false, decisions, deny: d.outcome.kind === 'close' ? 'close' : { status: d.outcome.status, body: d.outcome.body } };
}

export function compileEngines(objects: ObjectReader, view: MeshView, opts: EngineOptions = {}): PolicyEngines {
  const list = <T>(kind: string) => objects.list(kind) as unknown as T[];
  const authz: AuthzIndex = compileAuthz({ ...authzInputOf(objects, view), providers: opts.providers });
  const routes: RouteIndex = compileRoutes(routeInputOf(objects, view));

  const ingressClasses = new Set((list<KubeObject<{ controllerName?: string }>>('GatewayClass')).filter((c) => c.spec?.controllerName === 'istio.io/gateway-controller').map((c) => c.metadata.name));
  const ingress = compileIngress(
    routes,
    list<Gateway>('Gateway').filter((g) => ingressClasses.has(g.spec?.gatewayClassName ?? '')),
    list<HTTPRoute>('HTTPRoute'),
    (ns) => view.namespaces.get(ns) ?? {},
  );

  return {
    ztunnelInbound(dst, conn, at): AuthzVerdict {
      const wp = dst.waypoint;
      const set = ztunnelPoliciesFor(authz, {
        namespace: dst.namespace,
        labels: dst.labels,
        ...(wp ? { waypoint: { namespace: wp.namespace, name: wp.name, serviceAccounts: [wp.gateway.metadata.annotations?.['gateway.istio.io/service-account'] ?? wp.name] } } : {}),
      });
      const d = evaluateZtunnel(set, conn, at);
      return { allowed: d.allowed, decisions: withShadow(d.decision, d.shadow) };
    },
    sidecarInbound(dst, req, plaintext, at, clock): AuthzVerdict {
      if (plaintext && !sidecarAcceptsPlaintext(authz, dst.namespace, dst.labels)) {
        return { allowed: false, decisions: [{ at, kind: 'peer-authn', result: 'DENY', policy: null, reason: 'mTLS STRICT: the sidecar refuses plaintext', sourceIdentity: null }], deny: 'close' };
      }
      return waypointVerdict(evaluateWaypoint(sidecarPoliciesFor(authz, dst.namespace, dst.labels), waypointRequest(req), evalOptions(at, clock)));
    },
    waypoint(wp, service, req, at, clock): AuthzVerdict {
      const set = waypointPoliciesFor(authz, {
        waypoint: { namespace: wp.namespace, name: wp.name },
        ...(service ? { service: { kind: service.source.kind, namespace: service.namespace, name: service.name } } : {}),
      });
      return waypointVerdict(evaluateWaypoint(set, waypointRequest(req), evalOptions(at, clock)));
    },
    route(service, port, req, rng, at) {
      return routeHttp(routes, { namespace: service.namespace, service: service.name, port }, { method: req.method, path: req.path, authority: req.authority, headers: req.headers, srcIp: req.srcIp }, rng, { at });
    },
    ingress(gateway, port, req, rng, at) {
      return routeIngress(routes, ingress, gateway, port, { method: req.method, path: req.path, authority: req.authority, headers: req.headers, srcIp: req.srcIp }, rng, at);
    },
  };
}
