// Pod lifecycle as kube-scheduler and the kubelet would run it: binding to a node, the pod IP,
// phase and conditions, and the later flip to Ready.
import { BoundedMap } from '../bounded-map';
import type { Condition, Pod, PodSpec, PodStatus } from '../k8s/types';
import { inject, shouldInject } from './injection';
import type { NodeSlot } from './nodes';
import { extend, seal, sealWith } from './seal';
import { controllerUid, objKey, type Runtime } from './runtime';

const conditionCache = new BoundedMap<string, readonly Condition[]>(4096);
/** The ready pods' conditions last given out: pods are bound in runs at one time. */
let lastReady: { boundAt: string; readyAt: string; conditions: readonly Condition[] } | undefined;

/**
 * Pod conditions (Initialized, Ready, ContainersReady, PodScheduled). Pods bound in the same
 * second share one frozen array, which keeps 10,000 pods small: once Ready the conditions no
 * longer name the containers, so ready pods share it whatever their containers are.
 */
function podConditions(boundAt: string, readyAt: string | undefined, spec: PodSpec | undefined): readonly Condition[] {
  if (readyAt && lastReady?.boundAt === boundAt && lastReady.readyAt === readyAt) return lastReady.conditions;
  const cacheKey = readyAt ? `${boundAt}|${readyAt}` : `${boundAt}||${containerNames(spec)}`;
  let c = conditionCache.get(cacheKey);
  if (!c) {
    const notReady = { status: 'False' as const, reason: 'ContainersNotReady', message: `containers with unready status: [${containerNames(spec)}]`, lastTransitionTime: boundAt };
    const ready = { status: 'True' as const, lastTransitionTime: readyAt };
    c = seal([
      { type: 'Initialized', status: 'True', lastTransitionTime: boundAt },
      { type: 'Ready', ...(readyAt ? ready : notReady) },
      { type: 'ContainersReady', ...(readyAt ? ready : notReady) },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: boundAt },
    ] as Condition[]);
    conditionCache.set(cacheKey, c);
  }
  if (readyAt) lastReady = { boundAt, readyAt, conditions: c };
  return c;
}

function containerNames(spec: PodSpec | undefined): string {
  return (spec?.containers ?? []).map((c) => c.name).join(' ');
}

export function isPodReady(pod: Pod): boolean {
  const conditions = pod.status?.conditions;
  if (!conditions) return false;
  for (let i = 0; i < conditions.length; i++) if (conditions[i]!.type === 'Ready' && conditions[i]!.status === 'True') return true;
  return false;
}

/** The status of a pod the scheduler could not place. */
function unschedulable(rt: Runtime, reason: string): PodStatus {
  return {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: reason, lastTransitionTime: rt.stamp() }],
  };
}

/** A pod's spec and status once the scheduler (and, when bound, the kubelet) acted on it. */
interface Placement {
  spec: PodSpec;
  status: PodStatus;
}

/** Who a pod is, for the readiness timer started when it is bound. */
interface PodIdentity {
  namespace: string;
  name: string;
  uid: string;
}

/**
 * Binds a pod to a node: nodeName, IP (node IP for hostNetwork), Running, and Ready unless a delay
 * is configured. Without a pod IP (the node got no podCIDR) the pod stays bound and Pending, as
 * the kubelet cannot create its sandbox.
 */
function bind(rt: Runtime, spec: PodSpec, slot: NodeSlot, who: PodIdentity): Placement {
  const ip = spec.hostNetwork ? slot.ip : slot.ipam?.allocate();
  const delay = rt.opts.podReadyDelayMs;
  const boundAt = rt.stamp();
  const bound = spec.nodeName === slot.name ? spec : sealWith(spec, { nodeName: slot.name });
  if (!ip) return { spec: bound, status: { phase: 'Pending', hostIP: slot.ip, startTime: boundAt, conditions: podConditions(boundAt, undefined, spec) as Condition[] } };
  // Built frozen, in the key order the store keeps, so the store takes it as it is.
  const status: PodStatus = Object.freeze({
    phase: 'Running',
    hostIP: slot.ip,
    podIP: ip,
    podIPs: Object.freeze([Object.freeze({ ip })]) as PodStatus['podIPs'],
    startTime: boundAt,
    conditions: podConditions(boundAt, delay > 0 ? undefined : boundAt, spec) as Condition[],
  });
  if (delay > 0) rt.scheduleReady(objKey('Pod', who.namespace, who.name), who.uid, rt.nowMs + delay);
  return { spec: bound, status };
}

/**
 * Where the scheduler puts a pod: bound to the node it names or the one chosen for it, else
 * Pending with the scheduler's reason; undefined when its current status already says so.
 */
function placement(rt: Runtime, spec: PodSpec, status: PodStatus | undefined, owner: string | undefined, who: PodIdentity): Placement | undefined {
  if (spec.nodeName) {
    const slot = rt.nodes.get(spec.nodeName);
    if (slot) return bind(rt, spec, slot, who);
    return status?.phase === 'Pending' ? undefined : { spec, status: { phase: 'Pending' } };
  }
  const choice = rt.nodes.choose(spec.nodeSelector, owner);
  if ('node' in choice) return bind(rt, spec, choice.node, who);
  const current = status?.conditions?.[0]?.message;
  return current === choice.reason ? undefined : { spec, status: unschedulable(rt, choice.reason) };
}

function identity(pod: Pod): PodIdentity {
  return { namespace: pod.metadata.namespace!, name: pod.metadata.name, uid: pod.metadata.uid! };
}

/** The spec with the service account the API server defaults (`default`). */
function withServiceAccount(spec: PodSpec): PodSpec {
  const sa = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  return spec.serviceAccountName === sa ? spec : extend(spec, { serviceAccountName: sa });
}

/**
 * Admission of a new pod: service-account defaults, then binding. A pod naming a node is bound
 * there (left Pending forever if the node does not exist, as the kubelet never sees it); otherwise
 * the scheduler picks a node or records why it could not.
 */
export function admitPod(rt: Runtime, created: Pod): Pod {
  const nsLabels = rt.get('Namespace', '', created.metadata.namespace ?? 'default')?.metadata.labels ?? {};
  const pod = shouldInject(created, nsLabels) ? inject(created, rt.opts.istioVersion) : created;
  const withSa: Pod = extend(pod, { spec: withServiceAccount(pod.spec ?? { containers: [] }) });
  return place(rt, withSa) ?? withSa;
}

/** Tries to bind a pod; returns the bound pod, a pending one with the scheduler's reason, or undefined if unchanged. */
export function place(rt: Runtime, pod: Pod): Pod | undefined {
  const placed = placement(rt, pod.spec!, pod.status, controllerUid(pod), identity(pod));
  return placed && extend(pod, { spec: placed.spec, status: placed.status });
}

/**
 * Creates a pod a workload controller built (`apiVersion`, `kind`, `metadata`, `spec`, no server
 * fields) with the same effects as `rt.create`, building the stored object once instead of
 * through admission's intermediate copies. Pods the sidecar injector mutates take the general path.
 */
export function createPod(rt: Runtime, pod: Pod): Pod {
  const meta = pod.metadata;
  const namespace = meta.namespace!;
  const nsLabels = rt.get('Namespace', '', namespace)?.metadata.labels ?? {};
  if (shouldInject(pod, nsLabels)) return rt.create(pod);
  // The server fields in the order `create` assigns them.
  const uid = rt.nextUid();
  const creationTimestamp = rt.stamp();
  const resourceVersion = rt.nextResourceVersion();
  const placed = placement(rt, withServiceAccount(pod.spec!), undefined, controllerUid(pod), { namespace, name: meta.name, uid })!;
  const stored: Pod = Object.freeze({
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: sealWith(meta, { uid, creationTimestamp, resourceVersion, generation: 1 }),
    spec: seal(placed.spec),
    status: seal(placed.status),
  });
  rt.insert('Pod', namespace, stored);
  return stored;
}

/** Scheduler retry for a pending pod (nodes added, relabelled, or capacity freed). */
export function reschedule(rt: Runtime, key: string): void {
  const pod = rt.getByKey(key) as Pod | undefined;
  if (!pod || pod.status?.podIP) return;
  // Bound without an IP: the kubelet retries the sandbox, which needs the node's podCIDR.
  if (pod.status?.startTime && !rt.nodes.get(pod.spec!.nodeName!)?.ipam) return;
  const next = place(rt, pod);
  if (next) rt.replace(pod, next);
}

/** Flips pods whose readiness delay has elapsed to Ready, stamped at the time they became ready. */
export function markDueReady(rt: Runtime, nowMs: number): void {
  for (const entry of rt.takeDueReady(nowMs)) {
    const pod = rt.getByKey(entry.key) as Pod | undefined;
    if (!pod || pod.metadata.uid !== entry.uid || isPodReady(pod) || !pod.status?.startTime) continue;
    const readyAt = rt.stamp(entry.due);
    const conditions = podConditions(pod.status.startTime, readyAt, pod.spec) as Condition[];
    rt.replace(pod, { ...pod, status: { ...pod.status, conditions } });
  }
}
