// The mesh state a request ran in, as explain needs it: each cluster's view and stored objects, and
// the authorization and route indexes compiled from them exactly as the data path compiles them.
import { authzInputOf, routeInputOf } from '../dataplane/engine-inputs';
import { compileAuthz, type AuthzIndex } from '../authz';
import type { MeshView, ObjectReader } from '../control/mesh-view';
import type { AuthorizationPolicy } from '../k8s/types';
import { compileRoutes, type RouteIndex } from '../routing';

/** What `World` offers (`world.view(c)`, `world.cluster(c)`), so explain takes a World or a test double. */
export interface MeshState {
  view(cluster: string): MeshView;
  cluster(name: string): ObjectReader;
  /** Wall-clock epoch ms now (JWT exp/nbf); defaults to 2026-01-01. */
  nowMs?: number;
}

export interface ClusterIndexes {
  view: MeshView;
  objects: ObjectReader;
  authz: AuthzIndex;
  routes: RouteIndex;
  policies: AuthorizationPolicy[];
}

const cache = new WeakMap<MeshView, ClusterIndexes>();

/** The indexes of one cluster, compiled once per view (a view is rebuilt on every state change). */
export function indexesFor(state: MeshState, cluster: string): ClusterIndexes {
  const view = state.view(cluster);
  const hit = cache.get(view);
  if (hit) return hit;
  const objects = state.cluster(cluster);
  // Same inputs as the data path's compileEngines.
  const authzInput = authzInputOf(objects, view);
  const policies = authzInput.authorizationPolicies;
  const authz = compileAuthz(authzInput);
  const routes = compileRoutes(routeInputOf(objects, view));
  const out = { view, objects, authz, routes, policies };
  cache.set(view, out);
  return out;
}

/** 2026-01-01T00:00:00Z, the scenario default start time. */
export const DEFAULT_NOW_MS = Date.UTC(2026, 0, 1);
