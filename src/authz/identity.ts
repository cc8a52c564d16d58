// SPIFFE identities as both engines take them apart (authz.md §3.3).
import { flat, intern } from './strings';

export interface PeerIdentity {
  /** The identity as presented, `spiffe://td/ns/x/sa/y`. */
  uri: string;
  /** Without `spiffe://` — what policy principals are compared to. Empty when the URI lacks the prefix. */
  principal: string;
  trustDomain: string;
  namespace: string;
  serviceAccount: string;
}

const SPIFFE = 'spiffe://';

export function parseIdentity(uri: string): PeerIdentity {
  const principal = uri.startsWith(SPIFFE) ? uri.slice(SPIFFE.length) : '';
  const parts = principal.split('/');
  const wellFormed = parts.length === 5 && parts[1] === 'ns' && parts[3] === 'sa';
  return {
    uri,
    principal,
    trustDomain: wellFormed ? parts[0]! : '',
    namespace: wellFormed ? parts[2]! : '',
    serviceAccount: wellFormed ? parts[4]! : '',
  };
}

/**
 * `parseIdentity` with every part interned: the form kept in per-index memos and compared per request,
 * where an exact policy value (interned too) is then equal or not by pointer.
 */
export function parseIdentityFlat(uri: string): PeerIdentity {
  const id = parseIdentity(uri);
  return { uri: flat(uri), principal: intern(id.principal), trustDomain: intern(id.trustDomain), namespace: intern(id.namespace), serviceAccount: intern(id.serviceAccount) };
}

/** `ns/sa`, or a bare `sa` meaning the policy's own namespace (authz.md §3.3). */
export function serviceAccountRef(value: string, policyNamespace: string): { namespace: string; serviceAccount: string } {
  const slash = value.indexOf('/');
  return slash < 0
    ? { namespace: policyNamespace, serviceAccount: value }
    : { namespace: value.slice(0, slash), serviceAccount: value.slice(slash + 1) };
}
