// What istiod pushes to ztunnels and waypoints, as meshsim keeps it: workloads, services and
// waypoints with their bindings, compiled into indexes once per change of the cluster state.
import type { Condition, Labels, Pod, ServicePort } from '../k8s/types';
import type { DataplaneMode } from './enrollment';
import type { WaypointInfo } from './waypoints';

export interface Locality {
  region: string;
  zone: string;
  subzone: string;
}

export type WorkloadRole = 'app' | 'waypoint' | 'ztunnel' | 'ingress-gateway' | 'eastwest-gateway' | 'system';

export interface WorkloadInfo {
  /** `<cluster>/<namespace>/<pod>`. */
  uid: string;
  cluster: string;
  network: string;
  namespace: string;
  /** Pod name. */
  name: string;
  /** Top-level owner (Deployment, StatefulSet, DaemonSet) name, or the pod name for bare pods. */
  workloadName: string;
  serviceAccount: string;
  /** `spiffe://<trustDomain>/ns/<ns>/sa/<sa>`. */
  identity: string;
  ip: string;
  node: string;
  locality: Locality;
  labels: Labels;
  mode: DataplaneMode;
  /** What ztunnel speaks to it: HBONE for captured and sidecar pods, TCP otherwise. */
  protocol: 'HBONE' | 'TCP';
  healthy: boolean;
  role: WorkloadRole;
  /** For gateway pods: the Gateway they serve (`<ns>/<name>`). */
  gateway?: string;
  /** Workload-level waypoint binding (pod label or namespace label, waypoint-for workload|all). */
  waypoint?: WaypointInfo;
  waypointCondition?: Condition;
  /** A server outside the cluster that a ServiceEntry names: no pod behind it; `pod` is a stand-in. */
  external?: true;
  pod: Pod;
}

export interface ServicePortInfo {
  name?: string;
  port: number;
  /** The targetPort as written (number or a container port name). */
  targetPort: number | string;
  protocol: string;
  appProtocol?: string;
}

export interface ServiceEndpoint {
  workload: WorkloadInfo;
  /** Service port → resolved target port for this endpoint (absent when the pod lacks a named port). */
  targetPorts: Map<number, number>;
  /** Load-balancing weight (ztunnel's workload capacity, default 1). */
  capacity?: number;
  /** Set on the split-horizon endpoint that stands for a remote network's endpoints (reference/ambient.md §5). */
  remote?: RemoteNetwork;
}

/** A remote network reached through its east-west gateway with double HBONE. */
export interface RemoteNetwork {
  cluster: string;
  network: string;
  /** The remote cluster's east-west gateway pod that terminates the outer tunnel. */
  gateway: WorkloadInfo;
  /** The Service's copy in the remote cluster. */
  service: ServiceInfo;
}

/** A locality level an endpoint may share with a client, as ztunnel and Envoy rank endpoints. */
export type LocalityLevel = 'network' | 'region' | 'zone' | 'subzone' | 'node';

export type LoadBalancingMode =
  | { mode: 'any' }
  | {
      mode: 'failover' | 'strict';
      preferences: LocalityLevel[];
      /** A DestinationRule's `failover` (from region → to region): other regions rank below the `to` region. */
      regionFailover?: readonly { from: string; to: string }[];
      /** Envoy's LocalityWeightedLbConfig: a priority's localities are weighed by availability before a host is picked. */
      localityWeighted?: boolean;
    };

export interface ServiceInfo {
  cluster: string;
  namespace: string;
  name: string;
  /** `<name>.<ns>.svc.<domain>`. */
  hostname: string;
  /** Empty for headless services. */
  vips: string[];
  headless: boolean;
  ports: ServicePortInfo[];
  endpoints: ServiceEndpoint[];
  labels: Labels;
  waypoint?: WaypointInfo;
  waypointCondition?: Condition;
  ingressUseWaypoint: boolean;
  loadBalancing: LoadBalancingMode;
  /** publishNotReadyAddresses: unhealthy endpoints are kept. */
  includeUnhealthy: boolean;
  /** A ServiceEntry of resolution NONE: ztunnel sends the connection to the address dialled. */
  passthrough?: boolean;
  /** A ServiceEntry of resolution DYNAMIC_DNS: its waypoint forwards to the host the request names (Envoy's dynamic forward proxy). */
  dynamicDns?: true;
  global: boolean;
  /** The Service object as stored. */
  source: { kind: 'Service' | 'ServiceEntry'; spec: { ports?: ServicePort[] } };
}

export interface NodeInfo {
  name: string;
  ip: string;
  locality: Locality;
}
