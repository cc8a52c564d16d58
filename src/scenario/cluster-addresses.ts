// What a scenario's clusters may ask of the address plan (src/cluster/ip.ts): at most MAX_CLUSTERS
// clusters, a podSubnet kube-controller-manager could carve one /24 per node from, no more nodes
// than that subnet holds, and no pod subnet overlapping another cluster's pods, Services or nodes
// (pods are found by IP across the mesh, so two clusters may not share addresses).
import { addressPlan, cidrsOverlap, cidrText, MAX_CLUSTERS, parsePodSubnet, podSubnetNodes, type Cidr } from '../cluster/ip';
import type { LoadContext } from './context';

/** Kubernetes' documented limit (kubernetes.io "Considerations for large clusters"). */
export const KUBERNETES_MAX_NODES = 5000;

interface ClusterAddresses {
  name: string;
  podSubnet?: string;
  nodeCount: number;
}

/** The clusters' pod subnets (undefined where the default applies), or undefined after reporting a problem. */
export function checkClusterAddresses(ctx: LoadContext, clusters: readonly ClusterAddresses[]): (Cidr | undefined)[] | undefined {
  if (clusters.length > MAX_CLUSTERS) {
    ctx.error(['spec', 'clusters', MAX_CLUSTERS], `at most ${MAX_CLUSTERS} clusters are supported (each takes its own node, pod and Service ranges)`);
    return undefined;
  }
  let ok = true;
  const subnets = clusters.map((c, i) => {
    if (c.podSubnet === undefined) return undefined;
    const parsed = parsePodSubnet(c.podSubnet);
    if (typeof parsed === 'string') {
      ctx.error(['spec', 'clusters', i, 'podSubnet'], parsed);
      ok = false;
      return undefined;
    }
    return parsed;
  });
  if (!ok) return undefined;
  const plans = clusters.map((_, i) => addressPlan(i, subnets[i]));
  clusters.forEach((c, i) => {
    const pods = plans[i]!.pods;
    const where = c.podSubnet === undefined ? ['spec', 'clusters', i, 'name'] : ['spec', 'clusters', i, 'podSubnet'];
    const limit = Math.min(podSubnetNodes(pods), KUBERNETES_MAX_NODES);
    if (c.nodeCount > limit) {
      const why = limit === KUBERNETES_MAX_NODES ? `Kubernetes supports at most ${KUBERNETES_MAX_NODES} nodes per cluster` : `its pod subnet ${cidrText(pods)} holds ${limit} (a /24 per node): set podSubnet to a /${widerPrefix(c.nodeCount)} or wider`;
      ctx.error(['spec', 'clusters', i, 'nodes', limit], `cluster "${c.name}" has ${c.nodeCount} nodes, but ${why}`);
      ok = false;
    }
    for (let j = 0; j < plans.length; j++) {
      const other = plans[j]!;
      const clash =
        j < i && cidrsOverlap(pods, other.pods) ? `the pod subnet ${cidrText(other.pods)}` : cidrsOverlap(pods, other.services) ? `the Service range ${cidrText(other.services)}` : cidrsOverlap(pods, other.nodes) ? `the node range ${cidrText(other.nodes)}` : undefined;
      if (!clash) continue;
      const mine = `${c.podSubnet === undefined ? 'the default pod subnet' : 'podSubnet'} ${cidrText(pods)}`;
      ctx.error(where, `cluster "${c.name}": ${mine} overlaps ${clash} of cluster "${clusters[j]!.name}"`);
      ok = false;
      break;
    }
  });
  return ok ? subnets : undefined;
}

/** The longest prefix whose block holds `nodes` /24s. */
function widerPrefix(nodes: number): number {
  return 24 - Math.ceil(Math.log2(nodes));
}
