// kube-controller-manager's range allocator, for the nodes it found no pod /24 for: once another
// node's deletion frees one, the first node waiting gets it, its kubelet turns Ready, and the pods
// bound there get their sandboxes (the scheduler queue retries them on the node's update).
import type { Node } from '../../k8s/types';
import { admitUpdate } from '../admission';
import type { Runtime } from '../runtime';

export function reconcileNodeCidr(rt: Runtime, key: string): void {
  const node = rt.getByKey(key) as Node | undefined;
  const slot = node && rt.nodes.get(node.metadata.name);
  if (!node || !slot || slot.ipam || !rt.nodes.assignCidr(slot)) return;
  rt.replace(node, admitUpdate(rt, node, node, 'Node'));
}
