// The kube-controller-manager workload controllers: Deployment → ReplicaSet → Pods, StatefulSet
// and DaemonSet → Pods. Rollouts are not gradual: a template change replaces the pods at once.
import { BoundedMap } from '../../bounded-map';
import { matchSelector } from '../../k8s/object';
import type { DaemonSet, Deployment, KubeObject, Labels, ObjectMeta, OwnerReference, Pod, PodTemplateSpec, ReplicaSet, StatefulSet } from '../../k8s/types';
import { PASS } from '../convergence';
import { jsonEqual } from '../equal';
import { podTemplateHash, randomSuffix } from '../names';
import { createPod, isPodReady } from '../pods';
import { extend, intern, seal } from '../seal';
import { splitKey, type Runtime } from '../runtime';

export const TEMPLATE_HASH_LABEL = 'pod-template-hash';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY_LIMIT = 10;

export function ownerRef(owner: KubeObject, controller = true): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
  } as OwnerReference;
}

function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

// ------------------------------------------------------------------ Deployment

export function reconcileDeployment(rt: Runtime, key: string): void {
  let d = rt.getByKey(key) as Deployment | undefined;
  if (!d) return;
  // A pass leaves the Deployment converged: a second one over the same inputs changes nothing.
  const uid = d.metadata.uid;
  if (rt.convergence.isConverged(uid, PASS.rollout)) return;
  const ns = d.metadata.namespace!;
  const hash = podTemplateHash(d.spec!.template);
  const rsName = `${d.metadata.name}-${hash}`;
  const desired = d.spec!.replicas ?? 1;
  const owned = rt.children(d.metadata.uid, 'ReplicaSet') as ReplicaSet[];
  const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  let current = owned.find((rs) => rs.metadata.name === rsName);
  if (!current) {
    // Sealed first so the ReplicaSet's labels, its template's and (when they read the same) its
    // selector's are one frozen object instead of three copies.
    const templateLabels = seal({ ...d.spec!.template.metadata?.labels, [TEMPLATE_HASH_LABEL]: hash });
    const matchLabels = { ...d.spec!.selector.matchLabels, [TEMPLATE_HASH_LABEL]: hash };
    current = rt.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ns,
        labels: templateLabels,
        annotations: revisionAnnotations(desired, maxRevision + 1),
        ownerReferences: [ownerRef(d)],
      },
      spec: {
        replicas: desired,
        selector: { ...d.spec!.selector, matchLabels: JSON.stringify(matchLabels) === JSON.stringify(templateLabels) ? templateLabels : matchLabels },
        template: { ...d.spec!.template, metadata: { ...d.spec!.template.metadata, labels: templateLabels } },
      },
    }) as ReplicaSet;
  } else {
    // Rolling back to an older template makes its ReplicaSet the newest revision again.
    const revision = revisionOf(current) < maxRevision ? maxRevision + 1 : revisionOf(current);
    if (current.spec!.replicas !== desired || revision !== revisionOf(current)) {
      current = rt.patch(current, (rs) => {
        (rs.spec as { replicas: number }).replicas = desired;
        rs.metadata.annotations = { ...rs.metadata.annotations, ...revisionAnnotations(desired, revision) };
      }) as ReplicaSet;
    }
  }
  const old = owned.filter((rs) => rs.metadata.name !== rsName).sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of old) if ((rs.spec!.replicas ?? 0) !== 0) rt.patch(rs, (s) => void ((s.spec as { replicas: number }).replicas = 0));
  for (const rs of old.slice(0, Math.max(0, old.length - REVISION_HISTORY_LIMIT))) rt.remove('ReplicaSet', ns, rs.metadata.name);
  const revision = current.metadata.annotations![REVISION_ANNOTATION]!;
  d = rt.getByKey(key) as Deployment;
  if (d.metadata.annotations?.[REVISION_ANNOTATION] !== revision) {
    rt.replace(d, extend(d, { metadata: extend(d.metadata, { annotations: { ...d.metadata.annotations, [REVISION_ANNOTATION]: revision } }) }));
  }
  rt.convergence.mark(uid, PASS.rollout);
}

const annotationCache = new BoundedMap<string, Readonly<Record<string, string>>>(1024);

/** A ReplicaSet's rollout annotations; ReplicaSets with the same counts share one frozen object. */
function revisionAnnotations(desired: number, revision: number): Readonly<Record<string, string>> {
  const key = `${desired}/${revision}`;
  let a = annotationCache.get(key);
  if (a) return a;
  a = Object.freeze({
    'deployment.kubernetes.io/desired-replicas': String(desired),
    'deployment.kubernetes.io/max-replicas': String(desired + Math.ceil(desired / 4)),
    [REVISION_ANNOTATION]: String(revision),
  });
  annotationCache.set(key, a);
  return a;
}

// ------------------------------------------------------------------ ReplicaSet

/** Owned, live pods of a workload; pods that stopped matching its selector are released (orphaned). */
function claimPods(rt: Runtime, owner: ReplicaSet | StatefulSet | DaemonSet): { pods: Pod[]; released: number } {
  const pods: Pod[] = [];
  let released = 0;
  for (const p of rt.children(owner.metadata.uid, 'Pod') as Pod[]) {
    if (isTerminal(p)) continue;
    if (!matchSelector(owner.spec!.selector, p.metadata.labels ?? {})) {
      rt.patch(p, (d) => void (d.metadata.ownerReferences = d.metadata.ownerReferences?.filter((r) => r.uid !== owner.metadata.uid)));
      released++;
      continue;
    }
    pods.push(p);
  }
  return { pods, released };
}

/** A pod built from a template. Labels and annotations objects are shared, not copied, between pods. */
function podFrom(template: PodTemplateSpec, name: string, ns: string, owners: OwnerReference[], labels: Labels | undefined, extra?: { generateName?: string; nodeName?: string; hostname?: string; subdomain?: string }): Pod {
  const spec = extra?.nodeName || extra?.hostname ? { ...template.spec, ...(extra.nodeName ? { nodeName: extra.nodeName } : {}), ...(extra.hostname ? { hostname: extra.hostname, subdomain: extra.subdomain } : {}) } : template.spec;
  const metadata: ObjectMeta = { name };
  if (extra?.generateName) metadata.generateName = extra.generateName;
  metadata.namespace = ns;
  if (labels) metadata.labels = labels;
  if (template.metadata?.annotations) metadata.annotations = template.metadata.annotations;
  metadata.ownerReferences = owners;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function uniquePodName(rt: Runtime, ns: string, prefix: string): string {
  for (;;) {
    // Joined rather than concatenated: a flat string, not one that keeps its two pieces alive.
    const name = [prefix, randomSuffix(rt.rng)].join('');
    if (!rt.get('Pod', ns, name)) return name;
  }
}

/** Deletion preference when scaling down: unscheduled, then not ready, then the youngest. */
function scaleDownOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => (!p.status?.podIP ? 0 : !isPodReady(p) ? 1 : 2);
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.metadata.name < b.metadata.name ? 1 : -1;
}

export function reconcileReplicaSet(rt: Runtime, key: string): void {
  const rs = rt.getByKey(key) as ReplicaSet | undefined;
  if (!rs) return;
  const uid = rs.metadata.uid;
  if (rt.convergence.isConverged(uid, PASS.replicas)) return;
  const ns = rs.metadata.namespace!;
  const { pods, released } = claimPods(rt, rs);
  const desired = rs.spec!.replicas ?? 1;
  // Converged when every pod it now owns is live and selected and there are as many as desired.
  let converged = released === 0;
  if (pods.length < desired) {
    const owners = seal([ownerRef(rs)]);
    const template = rs.spec!.template;
    const prefix = `${rs.metadata.name}-`;
    for (let i = pods.length; i < desired; i++) {
      const pod = createPod(rt, podFrom(template, uniquePodName(rt, ns, prefix), ns, owners, template.metadata?.labels, { generateName: prefix }));
      converged &&= !isTerminal(pod) && matchSelector(rs.spec!.selector, pod.metadata.labels ?? {});
    }
  } else if (pods.length > desired) {
    for (const p of pods.sort(scaleDownOrder).slice(0, pods.length - desired)) rt.remove('Pod', ns, p.metadata.name);
    converged = false;
  }
  if (converged) rt.convergence.mark(uid, PASS.replicas);
}

// ------------------------------------------------------------------ StatefulSet

export function reconcileStatefulSet(rt: Runtime, key: string): void {
  const sts = rt.getByKey(key) as StatefulSet | undefined;
  if (!sts) return;
  const ns = sts.metadata.namespace!;
  const name = sts.metadata.name;
  const revision = `${name}-${podTemplateHash(sts.spec!.template)}`;
  const desired = sts.spec!.replicas ?? 1;
  const owners = seal([ownerRef(sts)]);
  const pods = new Map(claimPods(rt, sts).pods.map((p) => [p.metadata.name, p]));
  for (let i = 0; i < desired; i++) {
    const podName = `${name}-${i}`;
    const existing = pods.get(podName);
    pods.delete(podName);
    if (existing && existing.metadata.labels?.['controller-revision-hash'] === revision) continue;
    if (existing) rt.remove('Pod', ns, podName);
    else if (rt.get('Pod', ns, podName)) continue; // a foreign pod holds the name
    const labels = {
      ...sts.spec!.template.metadata?.labels,
      'apps.kubernetes.io/pod-index': String(i),
      'controller-revision-hash': revision,
      'statefulset.kubernetes.io/pod-name': podName,
    };
    createPod(rt, podFrom(sts.spec!.template, podName, ns, owners, labels, { hostname: podName, subdomain: sts.spec!.serviceName }));
  }
  for (const extra of pods.keys()) rt.remove('Pod', ns, extra);
}

// ------------------------------------------------------------------ DaemonSet

export function reconcileDaemonSet(rt: Runtime, key: string): void {
  const ds = rt.getByKey(key) as DaemonSet | undefined;
  if (!ds) return;
  const ns = ds.metadata.namespace!;
  const revision = podTemplateHash(ds.spec!.template);
  const byNode = new Map<string, Pod[]>();
  for (const p of claimPods(rt, ds).pods) {
    const n = p.spec?.nodeName ?? '';
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const owners = seal([ownerRef(ds)]);
  const labels = seal({ ...ds.spec!.template.metadata?.labels, 'controller-revision-hash': revision, 'pod-template-generation': String(ds.metadata.generation ?? 1) });
  const prefix = `${ds.metadata.name}-`;
  const selector = ds.spec!.template.spec.nodeSelector;
  // DaemonSet pods tolerate cordoned nodes, so only the node selector limits them.
  for (const node of rt.nodes.list()) {
    const existing = byNode.get(node.name) ?? [];
    byNode.delete(node.name);
    const wanted = Object.entries(selector ?? {}).every(([k, v]) => node.labels[k] === v);
    const keep = wanted ? existing.find((p) => p.metadata.labels?.['controller-revision-hash'] === revision) : undefined;
    for (const p of existing) if (p !== keep) rt.remove('Pod', ns, p.metadata.name);
    if (wanted && !keep) createPod(rt, podFrom(ds.spec!.template, uniquePodName(rt, ns, prefix), ns, owners, labels, { generateName: prefix, nodeName: node.name }));
  }
  for (const pods of byNode.values()) for (const p of pods) rt.remove('Pod', ns, p.metadata.name);
}

// ------------------------------------------------------------------ status

export function reconcileWorkloadStatus(rt: Runtime, key: string): void {
  const obj = rt.getByKey(key);
  if (!obj) return;
  const [kind] = splitKey(key);
  // Deployment and ReplicaSet statuses depend only on the objects the convergence marks track
  // (a DaemonSet's also on the nodes); recomputing over the same inputs gives the same status.
  const tracked = kind === 'Deployment' || kind === 'ReplicaSet';
  if (tracked && rt.convergence.isConverged(obj.metadata.uid, PASS.status)) return;
  const status = kind === 'Deployment' ? deploymentStatus(rt, obj as Deployment) : podSetStatus(rt, obj, kind);
  if (!jsonEqual(status, obj.status)) rt.replace(obj, extend(obj, { status }));
  if (tracked) rt.convergence.mark(obj.metadata.uid, PASS.status);
}

/** The owner's pods that have not terminated (in no particular order), and how many are ready. */
function countPods(rt: Runtime, owner: KubeObject): { total: number; ready: number; pods: Pod[] } {
  const pods: Pod[] = [];
  let ready = 0;
  for (const p of rt.childrenUnordered(owner.metadata.uid, 'Pod') as Pod[]) {
    if (isTerminal(p)) continue;
    pods.push(p);
    if (isPodReady(p)) ready++;
  }
  return { total: pods.length, ready, pods };
}

function podSetStatus(rt: Runtime, obj: KubeObject, kind: string): Record<string, unknown> {
  const { total, ready, pods } = countPods(rt, obj);
  const gen = obj.metadata.generation;
  if (kind === 'DaemonSet') {
    const revision = podTemplateHash((obj as DaemonSet).spec!.template);
    const selector = (obj as DaemonSet).spec!.template.spec.nodeSelector;
    const desired = rt.nodes.list().filter((n) => Object.entries(selector ?? {}).every(([k, v]) => n.labels[k] === v)).length;
    return {
      currentNumberScheduled: total,
      desiredNumberScheduled: desired,
      numberAvailable: ready,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: gen,
      updatedNumberScheduled: pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length,
      ...(desired > ready ? { numberUnavailable: desired - ready } : {}),
    };
  }
  const base = { availableReplicas: ready, observedGeneration: gen, readyReplicas: ready, replicas: total };
  if (kind === 'StatefulSet') {
    const revision = `${obj.metadata.name}-${podTemplateHash((obj as StatefulSet).spec!.template)}`;
    const updated = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    return { ...base, currentReplicas: updated, currentRevision: revision, updateRevision: revision, updatedReplicas: updated, collisionCount: 0 };
  }
  return intern({ ...base, fullyLabeledReplicas: total });
}

function deploymentStatus(rt: Runtime, d: Deployment): Record<string, unknown> {
  const desired = d.spec!.replicas ?? 1;
  const hash = podTemplateHash(d.spec!.template);
  let replicas = 0;
  let ready = 0;
  let updated = 0;
  let newRs: string | undefined;
  let newAvailable = 0;
  for (const rs of rt.children(d.metadata.uid, 'ReplicaSet')) {
    const c = countPods(rt, rs);
    replicas += c.total;
    ready += c.ready;
    if (rs.metadata.name === `${d.metadata.name}-${hash}`) {
      updated = c.total;
      newRs = rs.metadata.name;
      newAvailable = c.ready;
    }
  }
  const maxUnavailable = Math.floor(desired / 4);
  const available = ready >= desired - maxUnavailable;
  const done = newAvailable >= desired && updated === replicas;
  const old = (d.status as { conditions?: { type: string; status: string; reason?: string; lastTransitionTime?: string; lastUpdateTime?: string }[] } | undefined)?.conditions ?? [];
  const cond = (type: string, status: 'True' | 'False', reason: string, message: string) => {
    const prev = old.find((c) => c.type === type);
    const same = prev && prev.status === status && prev.reason === reason;
    const t = rt.stamp();
    return { type, status, reason, message, lastTransitionTime: same ? prev.lastTransitionTime : t, lastUpdateTime: same ? prev.lastUpdateTime : t };
  };
  return {
    availableReplicas: ready,
    observedGeneration: d.metadata.generation,
    readyReplicas: ready,
    replicas,
    updatedReplicas: updated,
    ...(desired - ready > 0 ? { unavailableReplicas: desired - ready } : {}),
    conditions: [
      // Names nothing of its Deployment, so Deployments available since the same second share it.
      intern(
        available
          ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
          : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
      ),
      done
        ? cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${newRs}" has successfully progressed.`)
        : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${newRs}" is progressing.`),
    ],
  };
}
