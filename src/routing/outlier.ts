// Envoy outlier detection for one cluster as a pure state machine driven with simulated time:
// consecutive 5xx / gateway errors eject a host for base × times-ejected (capped), subject to
// maxEjectionPercent; hosts return at the next sweep tick after their ejection time.
import type { OutlierSettings } from './types';

interface HostState {
  consecutive5xx: number;
  consecutiveGateway: number;
  /** Time the current ejection ends (before rounding to a sweep tick), or -1. */
  ejectedUntil: number;
  timesEjected: number;
  /** When the host last returned, to decay timesEjected by one per healthy interval. */
  returnedAt: number;
}

export class OutlierDetector {
  private readonly hosts = new Map<string, HostState>();

  /** @param hostCount number of hosts in the cluster (for maxEjectionPercent); defaults to the hosts seen. */
  constructor(
    readonly settings: OutlierSettings,
    private hostCount = 0,
  ) {}

  setHostCount(n: number): void {
    this.hostCount = n;
  }

  /** Records a response (or a connect failure as status 503) from a host. Returns true if this ejected it. */
  onResponse(endpointKey: string, status: number, nowMs: number): boolean {
    const h = this.state(endpointKey);
    if (this.isEjected(endpointKey, nowMs)) return false;
    if (status >= 500) {
      h.consecutive5xx++;
      if (status === 502 || status === 503 || status === 504) h.consecutiveGateway++;
      else h.consecutiveGateway = 0;
    } else {
      h.consecutive5xx = 0;
      h.consecutiveGateway = 0;
      return false;
    }
    const s = this.settings;
    const trip = (s.consecutive5xxErrors > 0 && h.consecutive5xx >= s.consecutive5xxErrors) || (s.consecutiveGatewayErrors > 0 && h.consecutiveGateway >= s.consecutiveGatewayErrors);
    if (!trip || !this.mayEject(nowMs)) return false;
    const healthyIntervals = h.returnedAt >= 0 ? Math.floor((nowMs - h.returnedAt) / s.intervalMs) : 0;
    h.timesEjected = Math.max(0, h.timesEjected - healthyIntervals) + 1;
    h.ejectedUntil = nowMs + Math.min(s.baseEjectionTimeMs * h.timesEjected, Math.max(s.maxEjectionTimeMs, s.baseEjectionTimeMs));
    h.consecutive5xx = 0;
    h.consecutiveGateway = 0;
    return true;
  }

  isEjected(endpointKey: string, nowMs: number): boolean {
    const h = this.hosts.get(endpointKey);
    if (!h || h.ejectedUntil < 0) return false;
    // Hosts come back only when the sweep timer (every `interval`) notices the time has passed.
    const interval = this.settings.intervalMs;
    const returnAt = Math.ceil(h.ejectedUntil / interval) * interval;
    if (nowMs < returnAt) return true;
    h.ejectedUntil = -1;
    h.returnedAt = returnAt;
    return false;
  }

  ejectedCount(nowMs: number): number {
    let n = 0;
    for (const k of this.hosts.keys()) if (this.isEjected(k, nowMs)) n++;
    return n;
  }

  /** Envoy ejects only while the share already ejected is below maxEjectionPercent (so the first host always may go). */
  private mayEject(nowMs: number): boolean {
    const total = Math.max(this.hostCount, this.hosts.size);
    return (100 * this.ejectedCount(nowMs)) / total < this.settings.maxEjectionPercent;
  }

  private state(key: string): HostState {
    let h = this.hosts.get(key);
    if (!h) this.hosts.set(key, (h = { consecutive5xx: 0, consecutiveGateway: 0, ejectedUntil: -1, timesEjected: 0, returnedAt: -1 }));
    return h;
  }
}
