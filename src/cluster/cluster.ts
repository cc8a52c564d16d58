// One simulated Kubernetes cluster with Istio's ambient control plane installed: an API server
// whose every write is followed, synchronously, by the controllers converging.
import { freeze } from 'immer';
import type { KubeObject } from '../k8s/types';
import { bootstrap } from './bootstrap';
import { settle } from './controllers/index';
import { defaultPodSubnet, MAX_CLUSTERS } from './ip';
import type { Json } from '../k8s/json-patch';
import { applyObject, deleteObject, patchMetadata, scaleObject } from './operations';
import { patchObject, type PatchObjectResult, type PatchType } from './patch';
import { markDueReady } from './pods';
import { Runtime, type ResolvedOptions } from './runtime';
import { getObject, listObjects, storageKind, type ClusterState } from './state';
import type { ApplyOptions, ApplyResult, ChangeEvent, ClusterOptions, DeleteResult, PatchResult } from './types';

export const DEFAULT_ISTIO_VERSION = '1.28.0';

function resolve(opts: ClusterOptions): ResolvedOptions {
  const maxPods = opts.maxPodsPerNode ?? 110;
  if (!Number.isInteger(maxPods) || maxPods < 1 || maxPods > 253) throw new RangeError('maxPodsPerNode must be an integer in 1..253');
  if (!Number.isInteger(opts.index) || opts.index < 0 || opts.index >= MAX_CLUSTERS) throw new RangeError(`cluster index must be in 0..${MAX_CLUSTERS - 1}`);
  return {
    ...opts,
    podReadyDelayMs: Math.max(0, opts.podReadyDelayMs ?? 0),
    domainSuffix: opts.domainSuffix ?? 'cluster.local',
    maxPodsPerNode: maxPods,
    podSubnet: opts.podSubnet ?? defaultPodSubnet(opts.index),
    istioVersion: opts.istioVersion ?? DEFAULT_ISTIO_VERSION,
  };
}

export class Cluster {
  readonly name: string;
  readonly network: string;
  private readonly rt: Runtime;
  private snapshot: ClusterState;
  private readonly listeners = new Set<(ev: ChangeEvent) => void>();

  constructor(opts: ClusterOptions) {
    const resolved = resolve(opts);
    this.name = opts.name;
    this.network = opts.network;
    this.snapshot = freeze({ cluster: opts.name, version: 0, objects: new Map() }, true) as ClusterState;
    this.rt = new Runtime(resolved, this.snapshot);
    this.run(0, () => bootstrap(this.rt));
  }

  /** The current frozen snapshot; cheap to hold on to, never mutated. */
  get state(): ClusterState {
    return this.snapshot;
  }

  /** Bumps once per operation that changed anything (after the controllers settled). */
  get version(): number {
    return this.snapshot.version;
  }

  apply(obj: KubeObject, nowMs: number, opts: ApplyOptions = {}): ApplyResult {
    return this.run(nowMs, () => applyObject(this.rt, obj, opts.source ?? 'STDIN'));
  }

  /** Applies many objects as one operation: one settle, one version bump, results in input order. */
  applyAll(objs: readonly KubeObject[], nowMs: number, opts: ApplyOptions = {}): ApplyResult[] {
    return this.run(nowMs, () => objs.map((o) => applyObject(this.rt, o, opts.source ?? 'STDIN')));
  }

  /**
   * Applies objects one after another exactly as separate `apply` calls would (each followed by the
   * controllers converging), but commits the snapshot once at the end: a bulk load then copies each
   * touched bucket once instead of once per object. Listeners get the same events, after the last.
   */
  applyEach(items: readonly { obj: KubeObject; source?: string }[], nowMs: number): ApplyResult[] {
    this.rt.nowMs = nowMs;
    const results = items.map((item) => {
      const r = applyObject(this.rt, item.obj, item.source ?? 'STDIN');
      settle(this.rt);
      return r;
    });
    this.commit();
    return results;
  }

  delete(kind: string, namespace: string | undefined, name: string, nowMs: number): DeleteResult {
    return this.run(nowMs, () => deleteObject(this.rt, kind, namespace, name));
  }

  label(kind: string, namespace: string | undefined, name: string, changes: Record<string, string | null>, opts: { overwrite?: boolean }, nowMs: number): PatchResult {
    return this.run(nowMs, () => patchMetadata(this.rt, 'labels', kind, namespace, name, changes, opts.overwrite === true));
  }

  annotate(kind: string, namespace: string | undefined, name: string, changes: Record<string, string | null>, opts: { overwrite?: boolean }, nowMs: number): PatchResult {
    return this.run(nowMs, () => patchMetadata(this.rt, 'annotations', kind, namespace, name, changes, opts.overwrite === true));
  }

  /** `kubectl scale`: sets spec.replicas of a Deployment, ReplicaSet or StatefulSet. */
  scale(kind: string, namespace: string | undefined, name: string, replicas: number, nowMs: number): PatchResult {
    return this.run(nowMs, () => scaleObject(this.rt, kind, namespace, name, replicas));
  }

  /** `kubectl patch`: a strategic merge, JSON merge or JSON patch of one stored object. */
  patch(kind: string, namespace: string | undefined, name: string, type: PatchType, patch: Json, nowMs: number, opts: { dryRun?: boolean } = {}): PatchObjectResult {
    return this.run(nowMs, () => patchObject(this.rt, kind, namespace, name, type, patch, opts.dryRun === true));
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return getObject(this.snapshot, kind, namespace, name);
  }

  /** Objects of a kind sorted by namespace/name; every namespace when `namespace` is undefined. */
  list(kind: string, namespace?: string): KubeObject[] {
    return listObjects(this.snapshot, kind, namespace);
  }

  /** Time-driven transitions: pods whose readiness delay elapsed turn Ready, and what follows from it. */
  advance(nowMs: number): void {
    this.run(nowMs, () => markDueReady(this.rt, nowMs));
  }

  /** Subscribes to every change (user and controller); returns the unsubscribe function. */
  onChange(fn: (ev: ChangeEvent) => void): () => void {
    this.listeners.add(fn);
    this.rt.recordEvents = true;
    return () => {
      const removed = this.listeners.delete(fn);
      this.rt.recordEvents = this.listeners.size > 0;
      return removed;
    };
  }

  private run<T>(nowMs: number, op: () => T): T {
    this.rt.nowMs = nowMs;
    const result = op();
    settle(this.rt);
    this.commit();
    return result;
  }

  private commit(): void {
    if (this.rt.txn.dirty) {
      this.snapshot = this.rt.txn.commit(this.snapshot.version + 1);
      const events = this.rt.events;
      this.rt.events = [];
      for (const ev of events) for (const fn of this.listeners) fn(ev);
    }
  }
}

/** The kind a manifest is stored under (Istio's classic Gateway is `Gateway.networking.istio.io`). */
export function kindOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  return storageKind(obj.apiVersion, obj.kind);
}


