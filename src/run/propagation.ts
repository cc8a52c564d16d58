// Config changes reach the proxies after istiod's push delay. Inside a `parallel` group a change
// made at time t is seen by requests that start at t + delay or later; requests that start before
// keep the view in force before the change. (Outside `parallel`, the next step starts once the
// change has converged, so it sees the new view at once.)
import type { DataplaneContext } from '../dataplane/request';
import type { World } from './world';

interface Stale {
  /** The first time this view is no longer in force. */
  until: number;
  ctx: DataplaneContext;
}

const NO_RANDOM = (): number => 0;

export class PropagatedViews {
  private readonly stale = new Map<string, Stale[]>();

  constructor(private readonly world: World, readonly delayMs: number) {}

  /** Call just before a change is made: what the proxies know now stays in force for `delayMs`. */
  beforeChange(): void {
    if (this.delayMs <= 0) return;
    const until = this.world.now + this.delayMs;
    for (const name of this.world.clusters.keys()) {
      let list = this.stale.get(name);
      if (!list) this.stale.set(name, (list = []));
      list.push({ until, ctx: this.world.dataplane(name, NO_RANDOM) });
    }
  }

  /** The data plane of `cluster` as its proxies know it now. */
  dataplane(cluster: string, rng: () => number): DataplaneContext {
    const now = this.world.now;
    const list = this.stale.get(cluster);
    if (list !== undefined) {
      while (list.length !== 0 && list[0]!.until <= now) list.shift();
      if (list.length !== 0) return { ...list[0]!.ctx, rng };
    }
    return this.world.dataplane(cluster, rng);
  }

  /** Whether some cluster's proxies are still behind its state. */
  get pending(): boolean {
    for (const list of this.stale.values()) if (list.some((s) => s.until > this.world.now)) return true;
    return false;
  }
}
