// reference/authz.md §4.6 and §5 on the data path: where each policy is enforced, what identity
// it sees, and exactly what the client observes.
import { describe, expect, it } from 'vitest';
import { mintToken } from '../../src/authz';
import { waypoint } from '../helpers/manifests';
import { failuresOf, runParts } from '../helpers/run-scenario';
import { AMBIENT, type RequestRow, SVC_URL, base, requestTable } from './topology';

const WP_NS = { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' };
const CLIENT = 'cluster.local/ns/client/sa/default';
const WAYPOINT_SA = 'cluster.local/ns/server/sa/waypoint';

function policy(name: string, spec: object, ns = 'server'): object {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: ns }, spec };
}

const allowFrom = (name: string, principals: string[]) => policy(name, { action: 'ALLOW', rules: [{ from: [{ source: { principals } }] }] });
const getOnly = policy('allow-get-only', { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });

const rows: RequestRow[] = [
  {
    id: 'an ALLOW policy with no rules denies everything at the destination ztunnel: reset',
    manifests: base({ extra: [policy('deny-all', {})] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { outcome: 'reset', via: ['ztunnel', 'ztunnel'], decision: [{ kind: 'authz', result: 'DENY', at: 'ztunnel-node-2', reason: 'allow policies exist, but none allowed' }] },
  },
  {
    id: 'an L4 ALLOW for the client principal lets it through and names the policy',
    manifests: base({ extra: [allowFrom('allow-client', [CLIENT])] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, decision: [{ kind: 'authz', result: 'ALLOW', policy: 'server/allow-client', at: 'ztunnel-node-2' }] },
  },
  {
    id: 'a DENY on the client namespace: explicitly denied by the policy',
    manifests: base({ extra: [policy('deny-client', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['client'] } }] }] })] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { outcome: 'reset', decision: [{ kind: 'authz', result: 'DENY', policy: 'server/deny-client', reason: 'explicitly denied by: server/deny-client' }] },
  },
  {
    id: '§5 the waypoint-identity trap: an L4 ALLOW for the client rejects the waypoint, which answers 503',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), allowFrom('allow-client', [CLIENT])] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: {
      status: 503,
      via: ['ztunnel', 'waypoint', 'ztunnel'],
      decision: [{ kind: 'authz', result: 'DENY', at: 'ztunnel-node-2', reason: 'allow policies exist, but none allowed' }],
    },
  },
  {
    id: '§5 the fix: allowing the waypoint principal at the destination',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), allowFrom('allow-client-and-waypoint', [CLIENT, WAYPOINT_SA])] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, via: ['ztunnel', 'waypoint', 'ztunnel'], decision: [{ kind: 'authz', result: 'ALLOW', policy: 'server/allow-client-and-waypoint' }] },
  },
  {
    id: 'an L7 policy on the Service at its waypoint: GET allowed',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), getOnly] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200, decision: [{ kind: 'authz', result: 'ALLOW', policy: 'server/allow-get-only', at: 'waypoint server/waypoint' }] },
  },
  {
    id: 'an L7 policy on the Service at its waypoint: POST gets 403 RBAC: access denied',
    manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), getOnly] }),
    request: { from: 'client/curl', url: SVC_URL, method: 'POST' },
    expect: { status: 403, body: 'RBAC: access denied', via: ['ztunnel', 'waypoint'], decision: [{ kind: 'authz', result: 'DENY', at: 'waypoint server/waypoint' }] },
  },
  {
    id: '§1.3 a targetRef policy whose Service has no waypoint is enforced nowhere',
    manifests: base({ extra: [getOnly] }),
    request: { from: 'client/curl', url: SVC_URL, method: 'POST' },
    expect: { status: 200, via: ['ztunnel', 'ztunnel'] },
  },
  {
    id: '§3.5 waypoint policies do not apply to uncaptured clients, which bypass the waypoint',
    manifests: base({ clientNs: {}, serverNs: WP_NS, extra: [waypoint('server'), getOnly] }),
    request: { from: 'client/curl', url: SVC_URL, method: 'POST' },
    expect: { status: 200, via: ['ztunnel'] },
  },
  {
    id: 'PeerAuthentication STRICT: a plaintext client is reset at the destination ztunnel',
    manifests: base({ clientNs: {}, extra: [{ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'strict', namespace: 'server' }, spec: { mtls: { mode: 'STRICT' } } }] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { outcome: 'reset', via: ['ztunnel'], decision: [{ kind: 'peer-authn', result: 'DENY' }] },
  },
  {
    id: 'PeerAuthentication STRICT does not affect mesh clients (HBONE is always mTLS)',
    manifests: base({ extra: [{ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'strict', namespace: 'server' }, spec: { mtls: { mode: 'STRICT' } } }] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { status: 200 },
  },
  {
    id: 'an ALLOW naming principals cannot match a plaintext (identity-less) client',
    manifests: base({ clientNs: {}, extra: [allowFrom('allow-client', [CLIENT])] }),
    request: { from: 'client/curl', url: SVC_URL },
    expect: { outcome: 'reset', via: ['ztunnel'] },
  },
];

describe('reference/authz.md §4.6 what the client observes, on the data path', () => {
  requestTable(rows);

  it('§6.2 RequestAuthentication at the waypoint: no token 403, bad token 401, valid token 200', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const minted = await mintToken({ iss: 'https://issuer.example', sub: 'alice' }, now);
    const ra = { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt', namespace: 'server' }, spec: { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], jwtRules: [{ issuer: 'https://issuer.example', jwks: minted.jwks }] } };
    const needsToken = policy('require-jwt', { targetRefs: [{ kind: 'Service', group: '', name: 'echo' }], action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: ['https://issuer.example/alice'] } }] }] });
    const result = await runParts({
      manifests: base({ serverNs: WP_NS, extra: [waypoint('server'), ra, needsToken] }),
      steps: [
        { name: 'no token', request: { from: 'client/curl', url: SVC_URL }, expect: { status: 403, body: 'RBAC: access denied' } },
        { name: 'bad token', request: { from: 'client/curl', url: SVC_URL, headers: { Authorization: 'Bearer not.a.jwt' } }, expect: { status: 401 } },
        { name: 'valid token', request: { from: 'client/curl', url: SVC_URL, headers: { Authorization: `Bearer ${minted.token}` } }, expect: { status: 200 } },
      ],
    });
    expect(failuresOf(result)).toEqual([]);
  });
});

