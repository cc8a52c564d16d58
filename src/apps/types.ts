// What a destination application sees and answers. Models are chosen by container image so that
// real manifests behave as the real images do.

export interface AppRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  /** Request headers with lowercase names, as received by the app. */
  headers: Record<string, string>;
  /** The authority (Host) the request carried. */
  authority: string;
  /** The port the app accepted the connection on (the target port). */
  port: number;
  /** Source IP the app sees (the client, or the waypoint when one is in the path). */
  sourceIp: string;
  body?: string;
}

export interface AppResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** Extra delay the app itself adds before answering (httpbin /delay/N), in ms. */
  delayMs?: number;
}

/** Identity of the pod an app runs in, for bodies that name it. */
export interface AppHost {
  podName: string;
  namespace: string;
  podIp: string;
  labels: Record<string, string>;
}

/** What an app's outgoing call got back (through the mesh, from the app's own pod). */
export interface AppCallResult {
  /** Undefined when the call got no HTTP response (reset, timeout, DNS failure). */
  status?: number;
  body: string;
  headers: Record<string, string>;
}

/** Lets an app call other services while it handles a request (productpage → reviews → ratings). */
export interface AppContext {
  call(url: string, init?: { method?: string; headers?: Record<string, string> }): AppCallResult;
}

export interface App {
  /** Model name for reports (`http-echo`, `httpbin`, `generic`, ...). */
  readonly model: string;
  /** Client-only images (curl, sleep) that never accept connections. */
  readonly callsOnly?: boolean;
  /** Whether a TCP connection to this port would be accepted. */
  listens(port: number): boolean;
  handle(req: AppRequest, ctx: AppContext): AppResponse;
}
