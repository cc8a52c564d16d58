// The extension points where authorization and routing plug into the data path. The data path
// calls them at each hop; `compileEngines` (policy-engines.ts) builds them once per change.
import type { ServiceInfo, WorkloadInfo } from '../control/model';
import type { WaypointInfo } from '../control/waypoints';
import type { IngressDecision, RouteDecision } from '../routing';
import type { Decision } from '../result/types';

/** What the destination ztunnel knows about an inbound connection. */
export interface L4Connection {
  /** Peer SPIFFE identity (null for plaintext arrivals). */
  srcIdentity: string | null;
  srcIp: string;
  dstIp: string;
  /** The destination target port (after service-port translation). */
  dstPort: number;
}

/** What a waypoint (or sidecar) knows about one HTTP request or TCP connection. */
export interface L7Request extends L4Connection {
  protocol: 'http' | 'tcp';
  method: string;
  path: string;
  authority: string;
  /** Lowercase header names. */
  headers: Record<string, string>;
}

export interface AuthzVerdict {
  allowed: boolean;
  decisions: Decision[];
  /** How a denying waypoint answers: an HTTP status and body, or closing the connection. */
  deny?: { status: number; body: string } | 'close';
}

export interface PolicyEngines {
  /** Destination ztunnel inbound (HBONE or plaintext) for a captured pod. */
  ztunnelInbound(dst: WorkloadInfo, conn: L4Connection, at: string): AuthzVerdict;
  /** A sidecar destination: its PeerAuthentication mode for plaintext, then its own workload's policies with full L7. */
  sidecarInbound(dst: WorkloadInfo, req: L7Request, plaintext: boolean, at: string, clock: () => number): AuthzVerdict;
  /** Waypoint authorization (CUSTOM, JWT, AUDIT, DENY, ALLOW) for a request to `service` (undefined for workload-addressed traffic). */
  waypoint(wp: WaypointInfo, service: ServiceInfo | undefined, req: L7Request, at: string, clock: () => number): AuthzVerdict;
  /** L7 routing at the waypoint for service-addressed HTTP traffic. */
  route(service: ServiceInfo, port: number, req: L7Request, rng: () => number, at: string): RouteDecision;
  /** North-south routing at an ingress Gateway (`ns/name`) for a request arriving on `port`. */
  ingress(gateway: string, port: number, req: L7Request, rng: () => number, at: string): IngressDecision;
}
