// Which workloads a controller left converged, so that the repeat passes its own writes trigger
// (a ReplicaSet woken by the pods it just created, a Deployment by its ReplicaSet's new status)
// can be skipped. A mark only stands while nothing the controller reads has been written since:
// every write clears the marks of the objects whose reconcile could see it. Skipping a pass that
// would have changed nothing keeps queues, events and results exactly as they were.
import type { KubeObject, OwnerReference } from '../k8s/types';

/** Finds the object an ownerReference names (the runtime). */
export interface OwnerLookup {
  owner(ref: OwnerReference, namespace: string | undefined): KubeObject | undefined;
}

/** One bit per controller pass that can be skipped. */
export const PASS = {
  /** The ReplicaSet controller: its pods, counted against spec.replicas. */
  replicas: 1,
  /** The Deployment controller: its ReplicaSets and revision annotations. */
  rollout: 2,
  /** The status controller (Deployments and ReplicaSets). */
  status: 4,
} as const;

const ALL = PASS.replicas | PASS.rollout | PASS.status;

export class ConvergenceMarks {
  private readonly marks = new Map<string, number>();

  isConverged(uid: string | undefined, pass: number): boolean {
    return uid !== undefined && ((this.marks.get(uid) ?? 0) & pass) !== 0;
  }

  /**
   * Forgets every mark. Called once the controllers settled: marks only save the repeat passes
   * within one settle, and a pass run instead of skipped changes nothing, so keeping them for the
   * next operation would only hold a map entry per workload.
   */
  reset(): void {
    this.marks.clear();
  }

  mark(uid: string | undefined, pass: number): void {
    if (uid) this.marks.set(uid, (this.marks.get(uid) ?? 0) | pass);
  }

  /**
   * Clears the marks a write invalidates. The object's own status pass reads everything about it;
   * its other passes ignore a status-only change (pods excepted: their phase is counted). Owners
   * read their children; grand-owners' status (a Deployment's) counts its ReplicaSets' pods.
   */
  touch(kind: string, old: KubeObject | undefined, next: KubeObject | undefined, owners: OwnerLookup): void {
    if (this.marks.size === 0) return;
    const statusOnly = kind !== 'Pod' && old !== undefined && next !== undefined && onlyStatusDiffers(old, next);
    this.clear(old?.metadata.uid, statusOnly ? PASS.status : ALL);
    this.clear(next?.metadata.uid, statusOnly ? PASS.status : ALL);
    if (statusOnly) return;
    this.clearOwners(old, owners);
    this.clearOwners(next, owners);
  }

  /**
   * An object's owners must settle again, and their own owners recompute status. Indexed loops:
   * this runs for every write, much of it before the code is optimized, where for-of allocates.
   */
  private clearOwners(obj: KubeObject | undefined, owners: OwnerLookup): void {
    const refs = obj?.metadata.ownerReferences;
    if (refs === undefined) return;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      if (!ref.uid) continue;
      this.clear(ref.uid, ALL);
      const up = owners.owner(ref, obj!.metadata.namespace)?.metadata.ownerReferences;
      if (up !== undefined) for (let j = 0; j < up.length; j++) this.clear(up[j]!.uid, PASS.status);
    }
  }

  private clear(uid: string | undefined, passes: number): void {
    if (!uid) return;
    const m = this.marks.get(uid);
    if (m === undefined) return;
    const left = m & ~passes;
    if (left) this.marks.set(uid, left);
    else this.marks.delete(uid);
  }
}

/** Whether two versions of an object differ at most in status and resourceVersion. */
function onlyStatusDiffers(old: KubeObject, next: KubeObject): boolean {
  return sameKeysExcept(old, next, 'status', 'metadata') && sameKeysExcept(old.metadata, next.metadata, 'resourceVersion', 'resourceVersion');
}

/** Same keys holding the same values (by identity), ignoring two keys. */
function sameKeysExcept(x: object, y: object, skip1: string, skip2: string): boolean {
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  for (const k in b) if (k !== skip1 && k !== skip2 && (b[k] !== a[k] || !(k in a))) return false;
  for (const k in a) if (k !== skip1 && k !== skip2 && !(k in b)) return false;
  return true;
}
