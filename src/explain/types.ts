// The per-hop walkthrough of one request (`meshsim request --explain`, `-o json` → `{ request, explain }`).
import type { PolicyExplanation } from '../authz/explain';
import type { Decision, HopKind } from '../result/types';

/** What a proxy knew about the connection or request when it decided. */
export interface Observed {
  /** Peer identity as this proxy saw it (the waypoint's own, at a ztunnel behind a waypoint). */
  sourceIdentity: string | null;
  sourceIp?: string;
  /** What the client addressed (host or VIP) at outbound hops; the pod IP at the destination. */
  destination?: string;
  /** Service port at the waypoint, target (container) port at the destination ztunnel. */
  port?: number;
  service?: string;
  /** The destination pod, at the destination ztunnel. */
  workload?: string;
}

/** A route the waypoint tried, in precedence order. */
export interface RouteStep {
  route: string;
  matched: boolean;
  why: string;
}

/** One upstream attempt a waypoint made that failed and was retried. */
export interface FailedAttempt {
  endpoint: string;
  decisions: Decision[];
  policies?: PolicyExplanation[];
  observed?: Observed;
  at?: string;
}

export interface ExplainedHop {
  index: number;
  kind: HopKind;
  /** e.g. `ztunnel-c1-node-a (inbound)`, `waypoint accounts/waypoint`, `pod finance/curl-...`. */
  name: string;
  cluster?: string;
  /** The proxy label decisions carry in `at`, when this hop is a proxy. */
  proxy?: string;
  role: 'client' | 'outbound' | 'inbound' | 'waypoint' | 'gateway' | 'sidecar' | 'destination';
  observed?: Observed;
  /** The record's decisions taken at this hop, in order. */
  decisions: Decision[];
  /** Every authorization policy this proxy applied, with its verdict and why. */
  policies?: PolicyExplanation[];
  routes?: RouteStep[];
  attempts?: FailedAttempt[];
  /** One line: what this hop did. */
  verdict: string;
  /** What would change the outcome at this hop. */
  fixes?: string[];
  /** Things worth knowing here that did not decide anything (a policy enforced nowhere...). */
  notes?: string[];
}

export interface ExplainedRequest {
  request: import('../result/types').RequestRecord;
  explain: ExplainedHop[];
}
