// What the simulated istiod is configured with (the scenario's spec.istio).

export interface MeshFeatures {
  /** PILOT_AUTO_ALLOW_WAYPOINT_POLICY (default false). */
  autoAllowWaypointPolicy: boolean;
  /** AMBIENT_ENABLE_MULTI_NETWORK (default true when clusters are on different networks). */
  multiNetwork: boolean;
}

export interface MeshConfig {
  rootNamespace: string;
  trustDomain: string;
  /** DNS domain of the clusters (`cluster.local`). */
  domain: string;
  features: MeshFeatures;
}

export const DEFAULT_MESH_CONFIG: MeshConfig = {
  rootNamespace: 'istio-system',
  trustDomain: 'cluster.local',
  domain: 'cluster.local',
  features: { autoAllowWaypointPolicy: false, multiNetwork: false },
};

/** Built with `join` so the result is one flat string (see `flat` in intern.ts): views keep it per service account. */
export function spiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  return ['spiffe://', trustDomain, '/ns/', namespace, '/sa/', serviceAccount].join('');
}
