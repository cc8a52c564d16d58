// The attributes of an AuthorizationPolicy rule as the waypoint sees them, and which request facts
// they read: evaluation prepares only those facts, and a memoised decision is keyed by exactly them.
import type { AuthorizationPolicy, AuthzRule } from '../k8s/types';
import { intern } from './strings';
import type { Source } from './types';

export type Attr = [key: string, values: string[] | undefined, notValues: string[] | undefined];

export function sourceAttrs(s: Source): Attr[] {
  return [
    ['source.ip', s.ipBlocks, s.notIpBlocks],
    ['remote.ip', s.remoteIpBlocks, s.notRemoteIpBlocks],
    ['source.namespace', s.namespaces, s.notNamespaces],
    ['source.serviceAccount', s.serviceAccounts, s.notServiceAccounts],
    ['source.trustDomain', s.trustDomains, s.notTrustDomains],
    ['request.auth.principal', s.requestPrincipals, s.notRequestPrincipals],
    ['source.principal', s.principals, s.notPrincipals],
  ];
}

export function operationAttrs(o: NonNullable<NonNullable<AuthzRule['to']>[number]['operation']>): Attr[] {
  return [
    ['destination.port', o.ports, o.notPorts],
    ['path', o.paths, o.notPaths],
    [':method', o.methods, o.notMethods],
    [':authority', o.hosts, o.notHosts],
  ];
}

/** `request.headers[X-Name]` -> `x-name`, interned like an object's own keys so a per-request lookup compares pointers. */
export function headerName(key: string): string | null {
  const m = /^request\.headers\[([^\]]+)\]$/.exec(key);
  return m ? intern(m[1]!.toLowerCase()) : null;
}

/** Request facts, as bits. */
export const FACT_ID = 1;
export const FACT_SRC = 2;
export const FACT_REMOTE = 4;
export const FACT_DST = 8;
export const FACT_HOST = 16;
export const FACT_PATH = 32;
export const FACT_METHOD = 64;
export const FACT_PORT = 128;
export const FACT_SNI = 256;
/** request.auth.*: only ever set by RequestAuthentication. */
export const FACT_AUTH = 512;

export interface FactReads {
  bits: number;
  /** Header names read (lower-case). */
  headers: string[];
}

function factOf(key: string): number {
  switch (key) {
    case 'source.ip':
      return FACT_SRC;
    case 'remote.ip':
      // The original client address falls back to the peer's.
      return FACT_REMOTE | FACT_SRC;
    case 'destination.ip':
      return FACT_DST;
    case 'destination.port':
      return FACT_PORT;
    case 'source.principal':
    case 'source.namespace':
    case 'source.serviceAccount':
    case 'source.trustDomain':
      return FACT_ID;
    case 'connection.sni':
      return FACT_SNI;
    case ':authority':
      return FACT_HOST;
    case ':method':
      return FACT_METHOD;
    case 'path':
      return FACT_PATH;
  }
  return key.startsWith('request.auth.') ? FACT_AUTH : 0;
}

/** Every attribute the rules set, whether or not it survives compilation (a superset is safe). */
export function factsRead(ap: AuthorizationPolicy): FactReads {
  let bits = 0;
  const headers = new Set<string>();
  const add = (key: string) => {
    bits |= factOf(key);
    const h = headerName(key);
    if (h !== null) headers.add(h);
  };
  for (const rule of ap.spec?.rules ?? []) {
    for (const { source = {} } of rule.from ?? []) for (const [k, v, nv] of sourceAttrs(source as Source)) if (v?.length || nv?.length) add(k);
    for (const { operation = {} } of rule.to ?? []) for (const [k, v, nv] of operationAttrs(operation)) if (v?.length || nv?.length) add(k);
    for (const c of rule.when ?? []) add(c.key);
  }
  return { bits, headers: [...headers].sort() };
}

export function mergeReads(list: readonly FactReads[]): FactReads {
  let bits = 0;
  const headers = new Set<string>();
  for (const r of list) {
    bits |= r.bits;
    for (const h of r.headers) headers.add(h);
  }
  return { bits, headers: [...headers].sort() };
}
