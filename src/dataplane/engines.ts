// The extension points where authorization and routing plug into the data path. The data path
// calls them at each hop; the compiled engines live in src/authz and src/routing.
import type { MeshView } from '../control/mesh-view';
import type { ServiceInfo, WorkloadInfo } from '../control/model';
import type { WaypointInfo } from '../control/waypoints';
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
  /** HTTP answer of a denying waypoint (403 `RBAC: access denied`, 401 `Jwt is missing`, ...). */
  status?: number;
  body?: string;
}

export type RouteVerdict =
  | {
      type: 'forward';
      service: ServiceInfo;
      port: number;
      /** Endpoint label filter from a DestinationRule subset. */
      subsetLabels?: Record<string, string>;
      /** Request as forwarded (after header modifiers and rewrites). */
      request: L7Request;
      responseHeaders?: { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] };
      decisions: Decision[];
    }
  | { type: 'respond'; status: number; body: string; headers: Record<string, string>; decisions: Decision[] };

export interface PolicyEngines {
  /** Destination ztunnel inbound (HBONE or plaintext) for a captured pod. */
  ztunnelInbound(view: MeshView, dst: WorkloadInfo, conn: L4Connection, at: string): AuthzVerdict;
  /** Waypoint authorization (CUSTOM, JWT, AUDIT, DENY, ALLOW) for a request to `service` (undefined for workload-addressed traffic). */
  waypoint(view: MeshView, wp: WaypointInfo, service: ServiceInfo | undefined, req: L7Request, at: string): AuthzVerdict;
  /** L7 routing at the waypoint for service-addressed traffic. */
  route(view: MeshView, wp: WaypointInfo, service: ServiceInfo, port: number, req: L7Request, rng: () => number, at: string): RouteVerdict;
}

/** No policies and no routes: every connection allowed, every request forwarded to its service. */
export const OPEN_ENGINES: PolicyEngines = {
  ztunnelInbound: () => ({ allowed: true, decisions: [] }),
  waypoint: () => ({ allowed: true, decisions: [] }),
  route: (_view, _wp, service, port, req) => ({ type: 'forward', service, port, request: req, decisions: [] }),
};
