// Pod lifecycle as kube-scheduler and the kubelet would run it: binding to a node, the pod IP,
// phase and conditions, and the later flip to Ready.
import type { Condition, Pod, PodSpec, PodStatus } from '../k8s/types';
import { inject, shouldInject } from './injection';
import type { NodeSlot } from './nodes';
import { extend, seal } from './seal';
import { controllerUid, keyOfObject, type Runtime } from './runtime';

const conditionCache = new Map<string, readonly Condition[]>();

/**
 * Pod conditions (Initialized, Ready, ContainersReady, PodScheduled). Pods bound in the same
 * second with the same containers share one frozen array, which keeps 10,000 pods small.
 */
function podConditions(boundAt: string, readyAt: string | undefined, containers: string): readonly Condition[] {
  const cacheKey = `${boundAt}|${readyAt ?? ''}|${containers}`;
  let c = conditionCache.get(cacheKey);
  if (c) return c;
  const notReady = { status: 'False' as const, reason: 'ContainersNotReady', message: `containers with unready status: [${containers}]`, lastTransitionTime: boundAt };
  const ready = { status: 'True' as const, lastTransitionTime: readyAt };
  c = seal([
    { type: 'Initialized', status: 'True', lastTransitionTime: boundAt },
    { type: 'Ready', ...(readyAt ? ready : notReady) },
    { type: 'ContainersReady', ...(readyAt ? ready : notReady) },
    { type: 'PodScheduled', status: 'True', lastTransitionTime: boundAt },
  ] as Condition[]);
  if (conditionCache.size > 4096) conditionCache.clear();
  conditionCache.set(cacheKey, c);
  return c;
}

function containerNames(spec: PodSpec | undefined): string {
  return (spec?.containers ?? []).map((c) => c.name).join(' ');
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The status of a pod the scheduler could not place. */
function unschedulable(rt: Runtime, reason: string): PodStatus {
  return {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: reason, lastTransitionTime: rt.stamp() }],
  };
}

/** Binds a pod to a node: nodeName, IP (node IP for hostNetwork), Running, and Ready unless a delay is configured. */
function bind(rt: Runtime, pod: Pod, slot: NodeSlot): Pod | undefined {
  const spec = pod.spec!;
  const ip = spec.hostNetwork ? slot.ip : slot.ipam.allocate();
  if (!ip) return undefined;
  const delay = rt.opts.podReadyDelayMs;
  const boundAt = rt.stamp();
  const status: PodStatus = {
    phase: 'Running',
    hostIP: slot.ip,
    podIP: ip,
    podIPs: [{ ip }],
    startTime: boundAt,
    conditions: podConditions(boundAt, delay > 0 ? undefined : boundAt, containerNames(spec)) as Condition[],
  };
  if (delay > 0) rt.scheduleReady(keyOfObject(pod), pod.metadata.uid!, rt.nowMs + delay);
  return extend(pod, { spec: spec.nodeName === slot.name ? spec : extend(spec, { nodeName: slot.name }), status });
}

/**
 * Admission of a new pod: service-account defaults, then binding. A pod naming a node is bound
 * there (left Pending forever if the node does not exist, as the kubelet never sees it); otherwise
 * the scheduler picks a node or records why it could not.
 */
export function admitPod(rt: Runtime, created: Pod): Pod {
  const nsLabels = rt.get('Namespace', '', created.metadata.namespace ?? 'default')?.metadata.labels ?? {};
  const pod = shouldInject(created, nsLabels) ? inject(created, rt.opts.istioVersion) : created;
  const spec = pod.spec ?? { containers: [] };
  const sa = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  const withSa: Pod = extend(pod, { spec: spec.serviceAccountName === sa ? spec : extend(spec, { serviceAccountName: sa }) });
  return place(rt, withSa) ?? withSa;
}

/** Tries to bind a pod; returns the bound pod, a pending one with the scheduler's reason, or undefined if unchanged. */
export function place(rt: Runtime, pod: Pod): Pod | undefined {
  const spec = pod.spec!;
  if (spec.nodeName) {
    const slot = rt.nodes.get(spec.nodeName);
    if (slot) return bind(rt, pod, slot);
    return pod.status?.phase === 'Pending' ? undefined : { ...pod, status: { phase: 'Pending' } };
  }
  const choice = rt.nodes.choose(spec.nodeSelector, controllerUid(pod));
  if ('node' in choice) {
    const bound = bind(rt, pod, choice.node);
    if (bound) return bound;
  }
  const reason = 'reason' in choice ? choice.reason : `0/${rt.nodes.list().length} nodes are available: no free pod IP.`;
  const current = pod.status?.conditions?.[0]?.message;
  return current === reason ? undefined : { ...pod, status: unschedulable(rt, reason) };
}

/** Scheduler retry for a pending pod (nodes added, relabelled, or capacity freed). */
export function reschedule(rt: Runtime, key: string): void {
  const pod = rt.getByKey(key) as Pod | undefined;
  if (!pod || pod.status?.podIP) return;
  const next = place(rt, pod);
  if (next) rt.replace(pod, next);
}

/** Flips pods whose readiness delay has elapsed to Ready, stamped at the time they became ready. */
export function markDueReady(rt: Runtime, nowMs: number): void {
  for (const entry of rt.takeDueReady(nowMs)) {
    const pod = rt.getByKey(entry.key) as Pod | undefined;
    if (!pod || pod.metadata.uid !== entry.uid || isPodReady(pod) || !pod.status?.startTime) continue;
    const readyAt = rt.stamp(entry.due);
    const conditions = podConditions(pod.status.startTime, readyAt, containerNames(pod.spec)) as Condition[];
    rt.replace(pod, { ...pod, status: { ...pod.status, conditions } });
  }
}
