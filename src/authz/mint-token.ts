// Test and `meshsim token` helper: a signed JWT plus the JWKS a RequestAuthentication needs to accept it.
import { SignJWT, exportJWK, generateKeyPair, generateSecret, type JWK } from 'jose';

export interface MintOptions {
  iss: string;
  sub: string;
  aud?: string | string[];
  claims?: Record<string, unknown>;
  /** Lifetime from nowMs (default 3600 s). */
  expSeconds?: number;
  alg?: 'RS256' | 'ES256' | 'HS256';
  kid?: string;
}

export interface MintedToken {
  token: string;
  /** `{"keys":[...]}` for `jwtRules[].jwks`. */
  jwks: string;
  privateJwk: JWK;
}

export async function mintToken(opts: MintOptions, nowMs: number): Promise<MintedToken> {
  const alg = opts.alg ?? 'RS256';
  const kid = opts.kid ?? 'meshsim';
  let signingKey: CryptoKey | Uint8Array;
  let privateJwk: JWK;
  let publicJwk: JWK;
  if (alg === 'HS256') {
    const secret = await generateSecret('HS256', { extractable: true });
    signingKey = secret as CryptoKey;
    privateJwk = await exportJWK(secret);
    publicJwk = privateJwk;
  } else {
    const pair = await generateKeyPair(alg, { extractable: true });
    signingKey = pair.privateKey;
    privateJwk = await exportJWK(pair.privateKey);
    publicJwk = await exportJWK(pair.publicKey);
  }
  const iat = Math.floor(nowMs / 1000);
  const jwt = new SignJWT({ ...opts.claims })
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(opts.iss)
    .setSubject(opts.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.expSeconds ?? 3600));
  if (opts.aud !== undefined) jwt.setAudience(opts.aud);
  const token = await jwt.sign(signingKey);
  return { token, jwks: JSON.stringify({ keys: [{ ...publicJwk, kid, alg, use: 'sig' }] }), privateJwk: { ...privateJwk, kid, alg } };
}
