// Public API of the L7 routing engine used at waypoints.
export { compileRoutes, routeStatuses, type RouteIndex } from './compile';
export { routeHttp } from './route-http';
export { routeTcp } from './route-tcp';
export { compileIngress, routeIngress, type IngressDecision, type IngressIndex } from './ingress';
export { ConnectionPool, type AcquireResult } from './connection-pool';
export { OutlierDetector } from './outlier';
export { applyResponseHeaderOps } from './headers';
export { MESH_DEFAULT_RETRY } from './retry';
export { resolveShortHost } from './registry';
export { DEFAULT_CONNECTION_POOL, DEFAULT_FAILOVER } from './traffic-policy';
export { CONTROLLER_NAME, WAYPOINT_MISSING_LABEL } from './status';
export type * from './types';
