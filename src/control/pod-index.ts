// `ns/podName` → workload without a key string or a hash-table entry per pod: at 10,000 pods those
// cost more than the workload's own fields, and the lookup serves steps, lab commands and explain
// output, never a request. Each namespace's pods are kept sorted by name and found by binary search.
import type { WorkloadInfo } from './model';

/** Workloads in pod-name order. */
export const byName = (a: WorkloadInfo, b: WorkloadInfo): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function sortedByName(list: readonly WorkloadInfo[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]!.name > list[i]!.name) return false;
  return true;
}

export class PodIndex {
  private readonly byNamespace = new Map<string, readonly WorkloadInfo[]>();

  /** `podsByNs` lists already in name order (the API server lists them so) are kept as they are, others copied. */
  constructor(podsByNs: ReadonlyMap<string, readonly WorkloadInfo[]>) {
    for (const [ns, list] of podsByNs) this.byNamespace.set(ns, sortedByName(list) ? list : [...list].sort(byName));
  }

  /** The pod named by `<namespace>/<name>`; of pods sharing a name, the last listed (as a Map keeps the last set). */
  get(key: string): WorkloadInfo | undefined {
    const slash = key.indexOf('/');
    if (slash < 0) return undefined;
    const list = this.byNamespace.get(key.slice(0, slash));
    if (!list) return undefined;
    const name = key.slice(slash + 1);
    // First index whose name sorts after `name`; its predecessor is the last match, if any.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.name <= name) lo = mid + 1;
      else hi = mid;
    }
    const w = list[lo - 1];
    return w !== undefined && w.name === name ? w : undefined;
  }
}
