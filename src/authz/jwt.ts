// RequestAuthentication at the waypoint (authz.md §6.2): Envoy's jwt_authn with every issuer as
// "provider OR allow_missing". No token passes with no request principal; a presented token must
// verify against a configured issuer or the request gets 401 before authorization runs.
// Verification is synchronous (node:crypto) so a decision stays a plain function call.
import { createHmac, createPublicKey, createSecretKey, constants, verify, type KeyObject } from 'node:crypto';
import type { JWTRule, RequestAuthentication } from '../k8s/types';
import { Memo } from './memo';
import type { RequestAuth } from './types';

/** Envoy's default: clock_skew_seconds = 60. */
export const JWT_CLOCK_SKEW_MS = 60_000;

/** Envoy jwt_verify_lib status texts, used as the 401 body. */
export const JWT_ERRORS = {
  badFormat: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
  badHeader: 'Jwt header is an invalid JSON',
  badPayload: 'Jwt payload is an invalid JSON',
  unknownIssuer: 'Jwt issuer is not configured',
  expired: 'Jwt is expired',
  notYetValid: 'Jwt not yet valid',
  audience: 'Audiences in Jwt are not allowed',
  verification: 'Jwt verification fails',
  noKey: "Jwks doesn't have key to match kid or alg from Jwt",
} as const;

interface JwkKey {
  kid?: string;
  alg?: string;
  kty: string;
  key: KeyObject;
}

export interface JwtProvider {
  /** `ns/name` of the RequestAuthentication. */
  policy: string;
  issuer: string;
  audiences: string[];
  keys: JwkKey[];
  fromHeaders: { name: string; prefix: string }[];
  fromParams: string[];
}

const DEFAULT_HEADERS = [{ name: 'authorization', prefix: 'Bearer ' }];
const DEFAULT_PARAMS = ['access_token'];

function parseJwks(jwks: string | undefined): JwkKey[] {
  if (!jwks) return [];
  let parsed: { keys?: Record<string, unknown>[] };
  try {
    parsed = JSON.parse(jwks) as { keys?: Record<string, unknown>[] };
  } catch {
    return [];
  }
  const out: JwkKey[] = [];
  for (const jwk of parsed.keys ?? []) {
    try {
      const kty = String(jwk.kty);
      const key = kty === 'oct' ? createSecretKey(Buffer.from(String(jwk.k), 'base64url')) : createPublicKey({ key: jwk as never, format: 'jwk' });
      out.push({ kty, key, kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, alg: typeof jwk.alg === 'string' ? jwk.alg : undefined });
    } catch {
      // Envoy skips keys it cannot load.
    }
  }
  return out;
}

export function compileJwtRule(ra: RequestAuthentication, rule: JWTRule): JwtProvider {
  return {
    policy: `${ra.metadata.namespace ?? 'default'}/${ra.metadata.name}`,
    // An issuer-less rule can never match a token's iss.
    issuer: rule.issuer ?? '',
    audiences: rule.audiences ?? [],
    keys: parseJwks(rule.jwks),
    fromHeaders: rule.fromHeaders?.length || rule.fromParams?.length ? (rule.fromHeaders ?? []).map((h) => ({ name: h.name.toLowerCase(), prefix: h.prefix ?? '' })) : DEFAULT_HEADERS,
    fromParams: rule.fromHeaders?.length || rule.fromParams?.length ? (rule.fromParams ?? []) : DEFAULT_PARAMS,
  };
}

export function compileRequestAuthentication(ra: RequestAuthentication): JwtProvider[] {
  return (ra.spec?.jwtRules ?? []).map((r) => compileJwtRule(ra, r));
}

/** The first token found at any configured location. */
export function extractToken(providers: JwtProvider[], headers: Record<string, string>, path: string): string | null {
  for (const p of providers) {
    for (const h of p.fromHeaders) {
      const v = headers[h.name];
      if (v !== undefined && v.startsWith(h.prefix)) return v.slice(h.prefix.length).trim();
    }
  }
  const q = path.indexOf('?');
  if (q < 0) return null;
  const params = new URLSearchParams(path.slice(q + 1));
  for (const p of providers) {
    for (const name of p.fromParams) {
      const v = params.get(name);
      if (v) return v;
    }
  }
  return null;
}

type Verified = { ok: true; provider: JwtProvider; payload: Record<string, unknown> } | { ok: false; provider?: JwtProvider; message: string };

function decodePart(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

function keyFits(k: JwkKey, alg: string, kid: unknown): boolean {
  if (typeof kid === 'string' && k.kid !== undefined && k.kid !== kid) return false;
  if (k.alg !== undefined && k.alg !== alg) return false;
  const family = alg.slice(0, 2);
  return (family === 'HS' && k.kty === 'oct') || ((family === 'RS' || family === 'PS') && k.kty === 'RSA') || (family === 'ES' && k.kty === 'EC') || (alg === 'EdDSA' && k.kty === 'OKP');
}

function checkSignature(k: JwkKey, alg: string, data: Buffer, sig: Buffer): boolean {
  const hash = HASH[alg.slice(2)];
  try {
    if (alg.startsWith('HS') && hash) return createHmac(hash, k.key).update(data).digest().equals(sig);
    if (alg.startsWith('RS') && hash) return verify(hash, data, k.key, sig);
    if (alg.startsWith('PS') && hash) return verify(hash, data, { key: k.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }, sig);
    if (alg.startsWith('ES') && hash) return verify(hash, data, { key: k.key, dsaEncoding: 'ieee-p1363' }, sig);
    if (alg === 'EdDSA') return verify(null, data, k.key, sig);
  } catch {
    return false;
  }
  return false;
}

/** Signature and issuer check: independent of time, so it is memoised per token. */
export function verifyToken(providers: JwtProvider[], token: string): Verified {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, message: JWT_ERRORS.badFormat };
  const header = decodePart(parts[0]!);
  if (!header) return { ok: false, message: JWT_ERRORS.badHeader };
  const payload = decodePart(parts[1]!);
  if (!payload) return { ok: false, message: JWT_ERRORS.badPayload };
  const provider = providers.find((p) => p.issuer !== '' && p.issuer === payload.iss);
  if (!provider) return { ok: false, message: JWT_ERRORS.unknownIssuer };
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const keys = provider.keys.filter((k) => keyFits(k, alg, header.kid));
  if (keys.length === 0) return { ok: false, provider, message: JWT_ERRORS.noKey };
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const sig = Buffer.from(parts[2]!, 'base64url');
  if (!keys.some((k) => checkSignature(k, alg, data, sig))) return { ok: false, provider, message: JWT_ERRORS.verification };
  return { ok: true, provider, payload };
}

export type JwtResult =
  | { status: 'none' }
  | { status: 'ok'; provider: JwtProvider; auth: RequestAuth }
  | { status: 'fail'; provider?: JwtProvider; message: string };

function audiencesOf(payload: Record<string, unknown>): string[] {
  const aud = payload.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

export function newTokenCache(providers: JwtProvider[]): Memo<Verified> {
  return new Memo((token) => verifyToken(providers, token), 10_000);
}

/** Authenticate one request against the attached providers at wall-clock `nowMs`. */
export function authenticate(providers: JwtProvider[], cache: Memo<Verified>, headers: Record<string, string>, path: string, nowMs: number): JwtResult {
  if (providers.length === 0) return { status: 'none' };
  const token = extractToken(providers, headers, path);
  if (token === null) return { status: 'none' };
  const v = cache.get(token);
  if (!v.ok) return { status: 'fail', provider: v.provider, message: v.message };
  const { payload, provider } = v;
  if (typeof payload.exp === 'number' && nowMs > payload.exp * 1000 + JWT_CLOCK_SKEW_MS) return { status: 'fail', provider, message: JWT_ERRORS.expired };
  if (typeof payload.nbf === 'number' && nowMs + JWT_CLOCK_SKEW_MS < payload.nbf * 1000) return { status: 'fail', provider, message: JWT_ERRORS.notYetValid };
  const audiences = audiencesOf(payload);
  if (provider.audiences.length > 0 && !audiences.some((a) => provider.audiences.includes(a))) return { status: 'fail', provider, message: JWT_ERRORS.audience };
  const iss = String(payload.iss);
  const sub = typeof payload.sub === 'string' ? payload.sub : '';
  return {
    status: 'ok',
    provider,
    auth: { principal: `${iss}/${sub}`, issuer: iss, subject: sub, audiences, presenter: typeof payload.azp === 'string' ? payload.azp : '', claims: payload },
  };
}

/** CORS preflight requests bypass JWT authentication. */
export function isCorsPreflight(method: string, headers: Record<string, string>): boolean {
  return method === 'OPTIONS' && headers['origin'] !== undefined && headers['access-control-request-method'] !== undefined;
}
