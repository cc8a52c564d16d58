// authz.md §6.2: RequestAuthentication at the waypoint, then request.auth.* in AuthorizationPolicy.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileAuthz, evaluateWaypoint, JWT_ERRORS, mintToken, waypointPoliciesFor } from '../../src/authz';
import type { MintedToken } from '../../src/authz';
import type { AuthorizationPolicy, JWTRule } from '../../src/k8s/types';
import { ap, ra, req, ROOT, TD } from './fixtures';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ISS = 'https://issuer.example';
const GW = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' };
const CTX = { waypoint: { namespace: 'ns', name: 'waypoint' } };

let rs: MintedToken;
let es: MintedToken;
let hs: MintedToken;
let other: MintedToken;
let expired: MintedToken;
let nested: MintedToken;
let typed: MintedToken;

beforeAll(async () => {
  rs = await mintToken({ iss: ISS, sub: 'alice', aud: 'api', claims: { group: 'admin', azp: 'web' } }, NOW);
  es = await mintToken({ iss: ISS, sub: 'bob', alg: 'ES256', kid: 'ec' }, NOW);
  hs = await mintToken({ iss: ISS, sub: 'carol', alg: 'HS256', kid: 'hmac' }, NOW);
  other = await mintToken({ iss: 'https://other.example', sub: 'mallory' }, NOW);
  expired = await mintToken({ iss: ISS, sub: 'dave', expSeconds: 10 }, NOW - 3_600_000);
  nested = await mintToken({ iss: ISS, sub: 'erin', claims: { org: { team: ['blue', 'red'] } } }, NOW);
  typed = await mintToken({ iss: ISS, sub: 'frank', claims: { admin: true, level: 5, roles: ['ops', 7] } }, NOW);
});

function jwks(...tokens: MintedToken[]): string {
  return JSON.stringify({ keys: tokens.flatMap((t) => (JSON.parse(t.jwks) as { keys: unknown[] }).keys) });
}

function run(rule: Partial<JWTRule>, headers: Record<string, string>, policies: AuthorizationPolicy[] = [], extra: { path?: string; nowMs?: number; method?: string } = {}) {
  const idx = compileAuthz({
    authorizationPolicies: policies,
    peerAuthentications: [],
    requestAuthentications: [ra('ns/jwt', { targetRefs: [GW], jwtRules: [{ issuer: ISS, jwks: jwks(rs, es, hs, expired, nested, typed), ...rule }] })],
    rootNamespace: ROOT,
    trustDomain: TD,
  });
  return evaluateWaypoint(waypointPoliciesFor(idx, CTX), req({ headers, path: extra.path ?? '/', method: extra.method ?? 'GET' }), { at: 'waypoint ns/waypoint', nowMs: extra.nowMs ?? NOW });
}

const bearer = (t: MintedToken) => ({ authorization: `Bearer ${t.token}` });
const requirePrincipal = (v: string[]) => ap('ns/need', { targetRefs: [GW], rules: [{ from: [{ source: { requestPrincipals: v } }] }] });

describe('§6.2 JWT authentication at the waypoint', () => {
  it.each<[string, () => Record<string, string>, Partial<JWTRule>, { status?: number; body?: string; principal?: string }]>([
    ['RS256 token verifies', () => bearer(rs), {}, { principal: `${ISS}/alice` }],
    ['ES256 token verifies', () => bearer(es), {}, { principal: `${ISS}/bob` }],
    ['HS256 token verifies', () => bearer(hs), {}, { principal: `${ISS}/carol` }],
    ['no token passes authn with no principal', () => ({}), {}, {}],
    ['unknown issuer -> 401', () => bearer(other), {}, { status: 401, body: JWT_ERRORS.unknownIssuer }],
    ['tampered signature -> 401 Jwt verification fails', () => ({ authorization: `Bearer ${rs.token.slice(0, -4)}AAAA` }), {}, { status: 401, body: JWT_ERRORS.verification }],
    ['malformed token -> 401', () => ({ authorization: 'Bearer abc.def' }), {}, { status: 401, body: JWT_ERRORS.badFormat }],
    ['expired token -> 401', () => bearer(expired), {}, { status: 401, body: JWT_ERRORS.expired }],
    ['audience not allowed -> 401', () => bearer(rs), { audiences: ['other'] }, { status: 401, body: JWT_ERRORS.audience }],
    ['audience allowed', () => bearer(rs), { audiences: ['api'] }, { principal: `${ISS}/alice` }],
    ['fromHeaders with prefix', () => ({ 'x-jwt': `Token ${rs.token}` }), { fromHeaders: [{ name: 'X-Jwt', prefix: 'Token ' }] }, { principal: `${ISS}/alice` }],
    ['fromHeaders replaces the default Authorization header', () => bearer(rs), { fromHeaders: [{ name: 'x-jwt' }] }, {}],
    ['non-Bearer Authorization is not a token', () => ({ authorization: `Basic ${rs.token}` }), {}, {}],
  ])('%s', (_n, headers, rule, want) => {
    const d = run(rule, headers());
    if (want.status) {
      expect(d.outcome).toEqual({ kind: 'http', status: want.status, body: want.body });
      // Without a provider for the token's issuer no RequestAuthentication can be named.
      const policy = want.body === JWT_ERRORS.unknownIssuer || want.body === JWT_ERRORS.badFormat ? null : 'ns/jwt';
      expect(d.decision).toMatchObject({ kind: 'authn', result: 'DENY', policy, reason: want.body });
    } else {
      expect(d.allowed).toBe(true);
      expect(d.auth?.principal).toBe(want.principal);
    }
  });

  it('the default access_token query parameter', () => {
    expect(run({}, {}, [], { path: `/x?access_token=${rs.token}` }).auth?.principal).toBe(`${ISS}/alice`);
  });

  it('fromParams', () => {
    expect(run({ fromParams: ['t'] }, {}, [], { path: `/x?t=${rs.token}` }).auth?.principal).toBe(`${ISS}/alice`);
  });

  it.each<[string, number, boolean]>([
    ['exp within the 60 s clock skew still passes', 3600_000 + 30_000, true],
    ['exp beyond the clock skew fails', 3600_000 + 61_000, false],
  ])('%s', (_n, offset, ok) => {
    expect(run({}, bearer(rs), [], { nowMs: NOW + offset }).allowed).toBe(ok);
  });

  it('CORS preflight bypasses JWT', () => {
    const d = run({}, { ...bearer(other), origin: 'https://x', 'access-control-request-method': 'GET' }, [], { method: 'OPTIONS' });
    expect(d.allowed).toBe(true);
  });

  it('selector-based RequestAuthentication is ignored by waypoints', () => {
    const idx = compileAuthz({ authorizationPolicies: [], peerAuthentications: [], requestAuthentications: [ra('ns/sel', { selector: { matchLabels: { app: 'svc' } }, jwtRules: [{ issuer: ISS }] })], rootNamespace: ROOT, trustDomain: TD });
    expect(evaluateWaypoint(waypointPoliciesFor(idx, CTX), req({ headers: bearer(other) }), { at: 'w', nowMs: NOW }).allowed).toBe(true);
  });
});

describe('§6.2 request.auth.* in authorization', () => {
  it.each<[string, () => Record<string, string>, AuthorizationPolicy, { allowed: boolean; status?: number }]>([
    ['ALLOW requestPrincipals, no token -> 403', () => ({}), requirePrincipal(['*']), { allowed: false, status: 403 }],
    ['ALLOW requestPrincipals, valid token -> allow', () => bearer(rs), requirePrincipal([`${ISS}/alice`]), { allowed: true }],
    ['requestPrincipals iss/* prefix', () => bearer(es), requirePrincipal([`${ISS}/*`]), { allowed: true }],
    ['requestPrincipals other subject -> 403', () => bearer(es), requirePrincipal([`${ISS}/alice`]), { allowed: false, status: 403 }],
    ['DENY notRequestPrincipals ["*"] denies tokenless -> 403', () => ({}), ap('ns/d', { targetRefs: [GW], action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] }), { allowed: false, status: 403 }],
    ['claims', () => bearer(rs), ap('ns/c', { targetRefs: [GW], rules: [{ when: [{ key: 'request.auth.claims[group]', values: ['admin'] }] }] }), { allowed: true }],
    ['nested claims, list element', () => bearer(nested), ap('ns/c', { targetRefs: [GW], rules: [{ when: [{ key: 'request.auth.claims[org][team]', values: ['red'] }] }] }), { allowed: true }],
    ['audiences', () => bearer(rs), ap('ns/c', { targetRefs: [GW], rules: [{ when: [{ key: 'request.auth.audiences', values: ['api'] }] }] }), { allowed: true }],
    ['presenter (azp)', () => bearer(rs), ap('ns/c', { targetRefs: [GW], rules: [{ when: [{ key: 'request.auth.presenter', values: ['web'] }] }] }), { allowed: true }],
    ['principal when key', () => bearer(rs), ap('ns/c', { targetRefs: [GW], rules: [{ when: [{ key: 'request.auth.principal', values: [`${ISS}/bob`] }] }] }), { allowed: false, status: 403 }],
  ])('%s', (_n, headers, policy, want) => {
    const d = run({}, headers(), [policy]);
    expect(d.allowed).toBe(want.allowed);
    if (want.status) expect(d.outcome).toEqual({ kind: 'http', status: want.status, body: 'RBAC: access denied' });
  });
});

// istiod's authz model (generator.go, requestPrincipalGenerator): a value is split at its LAST `/`
// into issuer and subject, each matched against its own claim; `*` at either end is a suffix or
// prefix match of the part it touches, a lone `*` part any non-empty claim.
describe('requestPrincipals match issuer and subject separately, split at the last /', () => {
  it.each<[string, 'alice' | 'bob', boolean]>([
    [`${ISS}/*`, 'alice', true],
    [`${ISS}/al*`, 'alice', true],
    [`${ISS}/al*`, 'bob', false],
    ['*/alice', 'alice', true],
    ['*.example/alice', 'alice', true],
    ['*.example/bob', 'alice', false],
    ['*alice', 'alice', true],
    // "https://issuer*" splits into issuer "https:/" and subject "issuer*": it matches no token.
    ['https://issuer*', 'alice', false],
    // No `/` and no `*`: the whole value is the issuer, compared with an empty subject.
    [ISS.replace('https://', ''), 'alice', false],
  ])('%s, token of %s', (value, subject, allowed) => {
    const token = subject === 'alice' ? rs : es;
    expect(run({}, bearer(token), [requirePrincipal([value])]).allowed).toBe(allowed);
    const when = ap('ns/w', { targetRefs: [GW], rules: [{ when: [{ key: 'request.auth.principal', values: [value] }] }] });
    expect(run({}, bearer(token), [when]).allowed).toBe(allowed);
  });
});

// Envoy's string matchers match only string metadata values: a JWT claim that is a number or a
// boolean (or such an element of a list) never matches request.auth.claims.
describe('request.auth.claims match string claims and string list elements only', () => {
  it.each<[string, string, boolean]>([
    ['admin', 'true', false],
    ['level', '5', false],
    ['roles', 'ops', true],
    ['roles', '7', false],
  ])('claims[%s] = %s', (claim, value, allowed) => {
    const p = ap('ns/c', { targetRefs: [GW], rules: [{ when: [{ key: `request.auth.claims[${claim}]`, values: [value] }] }] });
    expect(run({}, bearer(typed), [p]).allowed).toBe(allowed);
  });
});
