// The mutable machinery behind a Cluster: the pending transaction, the indexes controllers need
// (ownership, pods by label set, node occupancy, IPAM) and the work queues. Every write goes
// through `write`, which keeps the indexes current, records the change event and wakes controllers.
import { produce, type Draft } from 'immer';
import { isClusterScoped } from '../k8s/object';
import type { KubeObject, Labels, ObjectMeta, OwnerReference, Pod } from '../k8s/types';
import { admitCreate } from './admission';
import { ConvergenceMarks } from './convergence';
import { Children } from './children';
import { Groups } from './groups';
import { addressPlan, cidrSize, ipToInt, RangeIpam, type AddressPlan } from './ip';
import { canonicalJson, fnv32a, makeUid, rfc3339 } from './names';
import { NodeTable } from './nodes';
import { extend, seal, sealWith } from './seal';
import { bucketNamespace, storageKind, type ClusterState } from './state';
import { Txn } from './store';
import type { ChangeEvent, ClusterOptions } from './types';
import { watch } from './watch';
import { WorkQueue } from './work-queue';

/** Work queues, drained in this order so workloads settle before endpoints and statuses. */
export const QUEUES = [
  'namespace',
  'nodeIpam',
  'gatewayClass',
  'gatewayDeploy',
  'deployment',
  'statefulset',
  'daemonset',
  'replicaset',
  'schedule',
  'status',
  'endpoints',
  'gatewayStatus',
  'serviceEntryAddresses',
] as const;
export type QueueName = (typeof QUEUES)[number];

export interface ResolvedOptions extends Required<Omit<ClusterOptions, 'nodes'>> {
  nodes: ClusterOptions['nodes'];
}

interface ReadyEntry {
  key: string;
  uid: string;
  due: number;
}

export function objKey(kind: string, ns: string, name: string): string {
  return `${kind}/${ns}/${name}`;
}

export function splitKey(key: string): [kind: string, ns: string, name: string] {
  const a = key.indexOf('/');
  const b = key.indexOf('/', a + 1);
  return [key.slice(0, a), key.slice(a + 1, b), key.slice(b + 1)];
}

let lastKeyed: KubeObject | undefined;
let lastKind = '';
let lastKey = '';

export function keyOfObject(obj: KubeObject, kind = obj.kind): string {
  // A ReplicaSet's new pods each wake it by this key: one string (hashed once) instead of one per pod.
  if (obj !== lastKeyed || kind !== lastKind) {
    lastKey = objKey(kind, bucketNamespace(kind, obj.metadata.namespace), obj.metadata.name);
    lastKeyed = obj;
    lastKind = kind;
  }
  return lastKey;
}

/** The managing controller's ownerReference (the one with controller: true, else the first). */
export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  const refs = obj.metadata.ownerReferences;
  if (!refs?.length) return undefined;
  // A loop rather than find(): called for every pod written, often before the code is optimized.
  for (let i = 0; i < refs.length; i++) if (refs[i]!.controller) return refs[i];
  return refs[0];
}

/** The uid of the managing controller. */
export function controllerUid(obj: KubeObject): string | undefined {
  return controllerRef(obj)?.uid;
}

export class Runtime {
  readonly plan: AddressPlan;
  readonly txn: Txn;
  readonly nodes: NodeTable;
  readonly serviceIps: RangeIpam;
  readonly lbIps: RangeIpam;
  readonly nodePorts = new Set<number>();
  nowMs = 0;
  events: ChangeEvent[] = [];
  /** Whether anyone listens for change events; none are built otherwise (a load writes tens of thousands of objects). */
  recordEvents = false;

  /** owner uid → the objects whose ownerReferences name it. */
  readonly owned = new Children();
  /** namespace → shared label object → names of the pods carrying it. */
  readonly podGroups = new Map<string, Groups<Labels>>();
  /** Pods not yet bound to a node. */
  readonly pending = new Set<string>();
  /** Label sets of pods that changed in this operation, by namespace (for EndpointSlices). */
  readonly changedPodLabels = new Map<string, Set<Labels>>();
  /**
   * `kind/namespace/name` → the labels and annotations its last `apply` wrote, for the object of that
   * uid: what kubectl's last-applied-configuration keeps, so a key dropped from the manifest goes.
   */
  readonly lastApplied = new Map<string, { uid: string; labels?: Labels; annotations?: Labels }>();
  /** Controller passes known to have nothing left to do (see convergence.ts). */
  readonly convergence = new ConvergenceMarks();
  readonly queues = Object.fromEntries(QUEUES.map((q) => [q, new WorkQueue()])) as Record<QueueName, WorkQueue>;

  private readonly readyQueue: ReadyEntry[] = [];
  private readyHead = 0;
  private rv = 0;
  private uidCounter = 0;
  private readonly uidSeed: number;

  constructor(
    readonly opts: ResolvedOptions,
    initial: ClusterState,
  ) {
    this.plan = addressPlan(opts.index, opts.podSubnet);
    this.txn = new Txn(initial);
    this.nodes = new NodeTable(this.plan.nodes.base, this.plan.pods, opts.maxPodsPerNode);
    this.serviceIps = new RangeIpam(this.plan.services.base, cidrSize(this.plan.services));
    this.lbIps = new RangeIpam(this.plan.lbBase, 256);
    this.uidSeed = fnv32a(opts.name);
  }

  get rng(): () => number {
    return this.opts.rng;
  }

  /** The RFC 3339 time of simulated `ms` (default: now). */
  stamp(ms = this.nowMs): string {
    return rfc3339(this.opts.startTime + ms);
  }

  nextUid(): string {
    return makeUid(this.uidSeed, ++this.uidCounter);
  }

  nextResourceVersion(): string {
    return String(++this.rv);
  }

  enqueue(queue: QueueName, key: string): void {
    this.queues[queue].add(key);
  }

  // ------------------------------------------------------------------ reads

  get(kind: string, ns: string, name: string): KubeObject | undefined {
    return this.txn.get(kind, bucketNamespace(kind, ns), name);
  }

  getByKey(key: string): KubeObject | undefined {
    const [kind, ns, name] = splitKey(key);
    return this.txn.get(kind, ns, name);
  }

  /**
   * The object an ownerReference names (of a child in `namespace`), if it exists with that uid.
   * Found by kind and name as Kubernetes' garbage collector does: a namespaced owner lives in its
   * child's namespace, so a cluster-scoped child cannot have one. No uid index is kept (a Map entry
   * per object, about 50 bytes each).
   */
  owner(ref: OwnerReference | undefined, namespace: string | undefined): KubeObject | undefined {
    if (!ref?.uid) return undefined;
    const kind = storageKind(ref.apiVersion, ref.kind);
    if (!namespace && !isClusterScoped(kind)) return undefined;
    const found = this.get(kind, namespace ?? '', ref.name);
    return found?.metadata.uid === ref.uid ? found : undefined;
  }

  /** Live objects of a kind in one namespace, sorted by name. */
  list(kind: string, ns: string): KubeObject[] {
    return [...this.txn.values(kind, bucketNamespace(kind, ns))].sort(byName);
  }

  /** Live objects of a kind in every namespace, sorted by namespace then name. */
  listAll(kind: string): KubeObject[] {
    return this.txn.namespaces(kind).flatMap((ns) => this.list(kind, ns));
  }

  /** Objects whose ownerReferences name `uid`, optionally of one kind, sorted by name. */
  children(uid: string | undefined, kind?: string): KubeObject[] {
    return this.childrenUnordered(uid, kind).sort(byName);
  }

  /** Objects whose ownerReferences name `uid`, optionally of one kind, in no particular order (for counting). */
  childrenUnordered(uid: string | undefined, kind?: string): KubeObject[] {
    if (!uid) return [];
    const out: KubeObject[] = [];
    for (const o of this.owned.get(uid)) if (!kind || storageKind(o.apiVersion, o.kind) === kind) out.push(o);
    return out;
  }

  // ------------------------------------------------------------------ writes

  /** Creates an object: API-server defaults (uid, timestamps, versions, kind admission), then stores it. */
  create<T extends KubeObject>(obj: T, kind = obj.kind): T {
    const meta = extend(obj.metadata, {});
    meta.uid = meta.uid || this.nextUid();
    meta.creationTimestamp = this.stamp();
    meta.resourceVersion = this.nextResourceVersion();
    if (obj.spec !== undefined) meta.generation = 1;
    const admitted = seal(admitCreate(this, { ...obj, metadata: meta }, kind));
    this.write(kind, admitted.metadata.namespace ?? '', admitted.metadata.name, admitted);
    return admitted as T;
  }

  /** Stores a new object already built as `create` would (server fields set, admitted, sealed). */
  insert(kind: string, ns: string, obj: KubeObject): void {
    this.write(kind, ns, obj.metadata.name, obj);
  }

  /** Stores a new version of an existing object; bumps resourceVersion, and generation when spec changed. */
  replace(old: KubeObject, next: KubeObject, kind = old.kind): KubeObject {
    if (next === old) return old;
    const specChanged = next.spec !== old.spec && canonicalJson(next.spec) !== canonicalJson(old.spec);
    const server: Partial<ObjectMeta> = { resourceVersion: this.nextResourceVersion() };
    if (specChanged) server.generation = (old.metadata.generation ?? 0) + 1;
    const stored = sealWith(next, { metadata: sealWith(next.metadata, server) });
    this.write(kind, old.metadata.namespace ?? '', old.metadata.name, stored);
    return stored;
  }

  /** Applies an immer recipe to a stored object; no write when nothing changed. */
  patch(obj: KubeObject, recipe: (draft: Draft<KubeObject>) => void, kind = obj.kind): KubeObject {
    return this.replace(obj, produce(obj, recipe), kind);
  }

  /** Deletes an object, then (background propagation) everything it owns; namespaces take their contents. */
  remove(kind: string, ns: string, name: string): boolean {
    const obj = this.get(kind, ns, name);
    if (!obj) return false;
    const uid = obj.metadata.uid;
    const children = uid ? [...this.owned.get(uid)] : [];
    this.write(kind, bucketNamespace(kind, ns), name, null);
    for (const child of children) {
      const k = storageKind(child.apiVersion, child.kind);
      this.remove(k, bucketNamespace(k, child.metadata.namespace), child.metadata.name);
    }
    if (kind === 'Namespace') this.removeNamespaceContents(name);
    if (kind === 'CustomResourceDefinition') this.removeCustomResources(obj);
    if (kind === 'Node') for (const pod of this.podsOnNode(name)) this.remove('Pod', pod.metadata.namespace!, pod.metadata.name);
    return true;
  }

  private removeNamespaceContents(ns: string): void {
    for (const kind of this.txn.kinds()) {
      for (const obj of [...this.txn.values(kind, ns)]) this.remove(kind, ns, obj.metadata.name);
    }
  }

  /** Deleting a CRD deletes every object of its type, in every namespace. */
  private removeCustomResources(crd: KubeObject): void {
    const spec = crd.spec as { group?: string; names?: { kind?: string } } | undefined;
    if (!spec?.group || !spec.names?.kind) return;
    const kind = storageKind(`${spec.group}/`, spec.names.kind);
    for (const ns of this.txn.namespaces(kind)) {
      for (const obj of [...this.txn.values(kind, ns)]) if (obj.apiVersion.startsWith(`${spec.group}/`)) this.remove(kind, ns, obj.metadata.name);
    }
  }

  private podsOnNode(node: string): Pod[] {
    const out: Pod[] = [];
    for (const ns of this.txn.namespaces('Pod')) for (const p of this.txn.values('Pod', ns)) if ((p as Pod).spec?.nodeName === node) out.push(p as Pod);
    return out;
  }

  private write(kind: string, ns: string, name: string, next: KubeObject | null): void {
    const old = this.txn.get(kind, ns, name);
    if (!old && !next) return;
    this.txn.set(kind, ns, name, next);
    const key = objKey(kind, ns, name);
    this.index(kind, key, old, next ?? undefined);
    this.convergence.touch(kind, old, next ?? undefined, this);
    const type = !old ? 'added' : next ? 'modified' : 'deleted';
    if (this.recordEvents) this.events.push(ns ? { type, kind, namespace: ns, name } : { type, kind, name });
    watch(this, kind, key, old, next ?? undefined);
  }

  // ------------------------------------------------------------------ indexes

  private index(kind: string, key: string, old: KubeObject | undefined, next: KubeObject | undefined): void {
    const oldUid = old?.metadata.uid;
    const newUid = next?.metadata.uid;
    const refsChanged = old?.metadata.ownerReferences !== next?.metadata.ownerReferences || oldUid !== newUid;
    // Indexed loops: every write passes here, much of it before the code is optimized, where for-of allocates.
    const oldRefs = old?.metadata.ownerReferences;
    if (refsChanged && oldUid && oldRefs) {
      for (let i = 0; i < oldRefs.length; i++) {
        const uid = oldRefs[i]!.uid;
        if (uid) this.owned.delete(uid, oldUid);
      }
    }
    // Adding a child already listed (same uid) puts the new version in its place.
    const newRefs = next?.metadata.ownerReferences;
    if (newUid && newRefs) {
      for (let i = 0; i < newRefs.length; i++) {
        const uid = newRefs[i]!.uid;
        if (uid) this.owned.add(uid, next!);
      }
    }
    if (oldUid && !next) this.owned.clear(oldUid);
    if (kind === 'Pod') this.indexPod(key, old as Pod | undefined, next as Pod | undefined);
    else if (kind === 'Service') this.indexService(old, next);
    else if (kind === 'Node') {
      // Keeps the scheduler's view current for label/cordon changes made through any write path.
      if (next) this.nodes.upsert(next.metadata.name, next.metadata.labels ?? {}, (next.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true);
      else this.nodes.remove(old!.metadata.name);
    }
  }

  private indexPod(key: string, old: Pod | undefined, next: Pod | undefined): void {
    const ns = (next ?? old)!.metadata.namespace!;
    const name = (next ?? old)!.metadata.name;
    const oldLabels = old?.metadata.labels ?? EMPTY;
    const newLabels = next?.metadata.labels ?? EMPTY;
    if (!next || oldLabels !== newLabels || !old) {
      let groups = this.podGroups.get(ns);
      if (!groups) this.podGroups.set(ns, (groups = new Groups()));
      if (old) groups.delete(oldLabels, name);
      if (next) groups.add(newLabels, name);
    }
    // A pod occupies a node (and one of its IPs) once bound, i.e. once it has an IP.
    const oldNode = old?.status?.podIP ? old.spec?.nodeName : undefined;
    const newNode = next?.status?.podIP ? next.spec?.nodeName : undefined;
    const oldOwner = old && controllerUid(old);
    const newOwner = next && controllerUid(next);
    if (oldNode !== newNode || oldOwner !== newOwner) {
      if (oldNode) this.nodes.count(oldOwner, oldNode, -1);
      if (newNode) this.nodes.count(newOwner, newNode, 1);
    }
    const oldIp = old?.spec?.hostNetwork ? undefined : old?.status?.podIP;
    const newIp = next?.spec?.hostNetwork ? undefined : next?.status?.podIP;
    if (oldIp && oldIp !== newIp && oldNode) this.nodes.get(oldNode)?.ipam?.release(oldIp);
    if (next && !newNode && next.status?.phase !== 'Succeeded' && next.status?.phase !== 'Failed') this.pending.add(key);
    else this.pending.delete(key);
    let changed = this.changedPodLabels.get(ns);
    if (!changed) this.changedPodLabels.set(ns, (changed = new Set()));
    changed.add(oldLabels);
    changed.add(newLabels);
  }

  private indexService(old: KubeObject | undefined, next: KubeObject | undefined): void {
    const ips = (o: KubeObject | undefined) => {
      const spec = o?.spec as { clusterIPs?: string[]; clusterIP?: string } | undefined;
      return new Set((spec?.clusterIPs ?? (spec?.clusterIP ? [spec.clusterIP] : [])).filter((ip) => ip !== 'None'));
    };
    const lbs = (o: KubeObject | undefined) =>
      new Set(((o?.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])));
    const ports = (o: KubeObject | undefined) =>
      new Set(((o?.spec as { ports?: { nodePort?: number }[] } | undefined)?.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : [])));
    const keepIps = ips(next);
    for (const ip of ips(old)) if (!keepIps.has(ip)) this.serviceIps.release(ip);
    const keepLbs = lbs(next);
    for (const ip of lbs(old)) if (!keepLbs.has(ip)) this.lbIps.release(ip);
    const keepPorts = ports(next);
    for (const p of ports(old)) if (!keepPorts.has(p)) this.nodePorts.delete(p);
  }

  // ------------------------------------------------------------------ readiness timers

  /** Schedules a pod to turn Ready at `due` (simulated ms). */
  scheduleReady(key: string, uid: string, due: number): void {
    this.readyQueue.push({ key, uid, due });
  }

  /** Pops the readiness timers due at or before `nowMs`. */
  takeDueReady(nowMs: number): ReadyEntry[] {
    const out: ReadyEntry[] = [];
    while (this.readyHead < this.readyQueue.length && this.readyQueue[this.readyHead]!.due <= nowMs) {
      out.push(this.readyQueue[this.readyHead++]!);
    }
    if (this.readyHead > 1024 && this.readyHead * 2 > this.readyQueue.length) {
      this.readyQueue.splice(0, this.readyHead);
      this.readyHead = 0;
    }
    return out;
  }

  /** Whether `ip` is a valid, free user-requested ClusterIP. */
  serviceIpState(ip: string): 'free' | 'taken' | 'out-of-range' {
    if (Number.isNaN(ipToInt(ip)) || !this.serviceIps.contains(ip)) return 'out-of-range';
    return this.serviceIps.isFree(ip) ? 'free' : 'taken';
  }
}

const EMPTY: Labels = Object.freeze({}) as Labels;

function byName(a: KubeObject, b: KubeObject): number {
  const x = a.metadata.name;
  const y = b.metadata.name;
  return x < y ? -1 : x > y ? 1 : 0;
}
