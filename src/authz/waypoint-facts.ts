// What a waypoint knows about one request, each parsed fact prepared when a rule first reads it: a
// request is usually decided by its cheap facts (method, port, a header), so most never need their
// identity split or their path cut from the query. Preparation is pure and memoised per index, so when
// it happens is not observable.
import type { PeerIdentity } from './identity';
import type { RequestAuth, WaypointRequest } from './types';
import type { WpFacts } from './waypoint-match';
import type { ParseCaches } from './ztunnel-eval';

export class RequestFacts implements WpFacts {
  readonly port: number;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly sni: string;
  auth: RequestAuth | null = null;
  // `undefined` until read.
  private idSeen: PeerIdentity | null | undefined = undefined;
  private srcSeen: number[] | null | undefined = undefined;
  private remoteSeen: number[] | null | undefined = undefined;
  private dstSeen: number[] | null | undefined = undefined;
  private hostSeen: string | undefined = undefined;
  private pathSeen: string | undefined = undefined;

  constructor(
    private readonly caches: ParseCaches,
    private readonly req: WaypointRequest,
  ) {
    this.port = req.dstPort;
    this.method = req.method;
    this.headers = req.headers;
    this.sni = req.sni ?? '';
  }

  get id(): PeerIdentity | null {
    if (this.idSeen === undefined) this.idSeen = this.req.srcIdentity === null ? null : this.caches.identities.get(this.req.srcIdentity);
    return this.idSeen;
  }

  get src(): number[] | null {
    if (this.srcSeen === undefined) this.srcSeen = this.caches.ips.get(this.req.srcIp);
    return this.srcSeen;
  }

  /** The original client address; the peer's when absent, the same or unparseable. */
  get remote(): number[] | null {
    if (this.remoteSeen === undefined) {
      const { remoteIp, srcIp } = this.req;
      this.remoteSeen = (remoteIp === undefined || remoteIp === srcIp ? null : this.caches.ips.get(remoteIp)) ?? this.src;
    }
    return this.remoteSeen;
  }

  get dst(): number[] | null {
    if (this.dstSeen === undefined) this.dstSeen = this.caches.ips.get(this.req.dstIp);
    return this.dstSeen;
  }

  get host(): string {
    if (this.hostSeen === undefined) this.hostSeen = this.caches.hosts.get(this.req.host);
    return this.hostSeen;
  }

  get path(): string {
    if (this.pathSeen === undefined) this.pathSeen = this.caches.paths.get(this.req.path);
    return this.pathSeen;
  }
}
