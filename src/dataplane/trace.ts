// Accumulates what one request did, hop by hop, and how it ended.
import type { ServiceInfo, WorkloadInfo } from '../control/model';
import type { Decision, Hop, Outcome } from '../result/types';

export interface TraceResult {
  outcome: Outcome;
  status?: number;
  body?: string;
  responseHeaders?: Record<string, string>;
  /** Why the client saw what it saw (`NoHealthyUpstream`, `RBAC: access denied`, ...). */
  error?: string;
  hops: Hop[];
  decisions: Decision[];
  /** The Service the client addressed, if any. */
  service?: ServiceInfo;
  /** The pod whose app answered. */
  backend?: WorkloadInfo;
  /** Headers as the app received them. */
  requestHeaders?: Record<string, string>;
  /** Extra time the app took (httpbin /delay). */
  appDelayMs?: number;
}

export class Trace {
  readonly hops: Hop[] = [];
  readonly decisions: Decision[] = [];
  service?: ServiceInfo;

  hop(h: Hop): void {
    this.hops.push(h);
  }

  decide(d: Decision | Decision[]): void {
    if (Array.isArray(d)) for (const x of d) this.decisions.push(x);
    else this.decisions.push(d);
  }

  end(outcome: Outcome, fields: Partial<Omit<TraceResult, 'outcome' | 'hops' | 'decisions'>> = {}): TraceResult {
    return { outcome, hops: this.hops, decisions: this.decisions, service: this.service, ...fields };
  }

  reset(error: string): TraceResult {
    return this.end('reset', { error });
  }

  respond(status: number, body: string, error?: string, headers: Record<string, string> = {}): TraceResult {
    return this.end('response', { status, body, error, responseHeaders: headers });
  }
}

export function podHop(w: WorkloadInfo): Hop {
  return { kind: 'pod', name: w.name, namespace: w.namespace, node: w.node, cluster: w.cluster };
}

export function ztunnelName(node: string): string {
  return `ztunnel-${node}`;
}

export function ztunnelHop(w: WorkloadInfo, protocol: Hop['protocol']): Hop {
  return { kind: 'ztunnel', name: ztunnelName(w.node), node: w.node, cluster: w.cluster, protocol };
}
