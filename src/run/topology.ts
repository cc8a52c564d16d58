// The topology the visual report draws: each cluster's nodes with their pods (ztunnels included),
// how each pod is enrolled, and which Services go through which waypoint.
import type { WorkloadInfo } from '../control/model';
import type { PodRole, Topology, TopologyNode } from '../result/types';
import type { World } from './world';

const ROLES: Record<WorkloadInfo['role'], PodRole | undefined> = {
  app: 'app',
  waypoint: 'waypoint',
  ztunnel: 'ztunnel',
  'ingress-gateway': 'ingress-gateway',
  'eastwest-gateway': 'eastwest-gateway',
  system: undefined,
};

export function topologyOf(world: World): Topology {
  const topology: Topology = { clusters: [], waypointBindings: [] };
  for (const name of world.clusters.keys()) {
    const view = world.view(name);
    const nodes = new Map<string, TopologyNode>();
    for (const n of view.nodes.values()) nodes.set(n.name, { name: n.name, region: n.locality.region, zone: n.locality.zone, pods: [] });
    for (const w of view.workloads) {
      const role = ROLES[w.role];
      const node = nodes.get(w.node);
      if (!role || !node) continue; // istiod and other system pods are not drawn
      node.pods.push({ name: w.name, namespace: w.namespace, workload: w.workloadName, enrollment: w.mode, role, ip: w.ip, serviceAccount: w.serviceAccount });
    }
    topology.clusters.push({ name, network: view.network, nodes: [...nodes.values()] });
    for (const s of view.services) {
      if (s.waypoint && s.cluster === name) topology.waypointBindings.push({ cluster: name, service: `${s.namespace}/${s.name}`, waypoint: `${s.waypoint.namespace}/${s.waypoint.name}` });
    }
  }
  return topology;
}
