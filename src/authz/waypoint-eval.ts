// Waypoint (Envoy) per-request authorization (authz.md §2.2): CUSTOM (ext_authz, only when a CUSTOM
// rule matches) -> JWT (jwt_authn; HTTP only) -> AUDIT (log only) -> DENY -> ALLOW. TCP chains run the
// same order on their TCP-converted rules and close the connection instead of answering 403.
import type { Decision } from '../result/types';
import { consultProvider } from './custom';
import { authenticate, isCorsPreflight, type JwtProvider, type newTokenCache } from './jwt';
import { urlPath } from './strings';
import type { AuthorizerProvider, RequestAuth, WaypointDecision, WaypointOutcome, WaypointRequest } from './types';
import { firstMatch, type WpFacts, type WpPolicy, type WpRule } from './waypoint-compile';
import type { ParseCaches } from './ztunnel-eval';

export const RBAC_DENIED_BODY = 'RBAC: access denied';

export interface WaypointPolicySet {
  policies: WpPolicy[];
  custom: WpPolicy[];
  audit: WpPolicy[];
  deny: WpPolicy[];
  allow: WpPolicy[];
  dryRun: WpPolicy[];
  jwt: JwtProvider[];
  tokens: ReturnType<typeof newTokenCache>;
  providers: Map<string, AuthorizerProvider>;
  caches: ParseCaches;
}

export interface WaypointEvalOptions {
  /** e.g. `waypoint accounts/waypoint`. */
  at: string;
  /** Simulated wall clock (epoch ms) for JWT exp/nbf. */
  nowMs: number;
}

const PASS: WaypointOutcome = { kind: 'pass' };
const CLOSE: WaypointOutcome = { kind: 'close' };
const FORBIDDEN: WaypointOutcome = { kind: 'http', status: 403, body: RBAC_DENIED_BODY };
const NO_SHADOW: Decision[] = [];

function rulesOf(p: WpPolicy, tcp: boolean): WpRule[] {
  return tcp ? p.tcp : p.http;
}

function result(allowed: boolean, outcome: WaypointOutcome, decision: Decision, shadow: Decision[], authn: Decision | undefined, auth: RequestAuth | null): WaypointDecision {
  const d: WaypointDecision = { allowed, outcome, decision, shadow };
  if (authn) d.authn = authn;
  if (auth) d.auth = auth;
  return d;
}

/** What the waypoint knows about `req`, before RequestAuthentication fills `auth`. */
export function waypointFacts(set: WaypointPolicySet, req: WaypointRequest): WpFacts {
  const f: WpFacts = {
    id: req.srcIdentity === null ? null : set.caches.identities.get(req.srcIdentity),
    src: set.caches.ips.get(req.srcIp),
    remote: req.remoteIp === undefined || req.remoteIp === req.srcIp ? null : set.caches.ips.get(req.remoteIp),
    dst: set.caches.ips.get(req.dstIp),
    port: req.dstPort,
    host: req.host.toLowerCase(),
    method: req.method,
    path: urlPath(req.path),
    headers: req.headers,
    sni: req.sni ?? '',
    auth: null,
  };
  if (f.remote === null) f.remote = f.src;
  return f;
}

// No closures are created per call: this runs once per simulated request.
export function evaluateWaypoint(set: WaypointPolicySet, req: WaypointRequest, opts: WaypointEvalOptions): WaypointDecision {
  const { at } = opts;
  const tcp = req.protocol === 'tcp';
  const sourceIdentity = req.srcIdentity;
  const denied = tcp ? CLOSE : FORBIDDEN;
  let authn: Decision | undefined;
  let auth: RequestAuth | null = null;
  const f = waypointFacts(set, req);
  const shadow: Decision[] = set.audit.length || set.dryRun.length ? [] : NO_SHADOW;

  // 1. CUSTOM: the provider is consulted only when a CUSTOM rule matches (or the provider is unknown: deny-all).
  for (const p of set.custom) {
    const provider = p.provider !== undefined ? set.providers.get(p.provider) : undefined;
    const rule = firstMatch(rulesOf(p, tcp), f);
    if (rule < 0 && provider) continue;
    const verdict = consultProvider(provider, p.provider ?? '', tcp ? {} : req.headers);
    if (!verdict.allowed) {
      const outcome: WaypointOutcome = tcp ? CLOSE : { kind: 'http', status: verdict.status, body: verdict.body };
      return result(false, outcome, { at, kind: 'authz', result: 'DENY', policy: p.key, rule: rule < 0 ? null : rule, reason: verdict.reason, sourceIdentity }, shadow, authn, auth);
    }
  }

  // 2. RequestAuthentication (HTTP only; CORS preflight bypasses).
  if (!tcp && set.jwt.length > 0 && !isCorsPreflight(req.method, req.headers)) {
    const r = authenticate(set.jwt, set.tokens, req.headers, req.path, opts.nowMs);
    if (r.status === 'fail') {
      authn = { at, kind: 'authn', result: 'DENY', policy: r.provider?.policy ?? null, rule: null, reason: r.message, sourceIdentity };
      return result(false, { kind: 'http', status: 401, body: r.message }, authn, shadow, authn, auth);
    }
    if (r.status === 'ok') {
      auth = r.auth;
      f.auth = auth;
      authn = { at, kind: 'authn', result: 'ALLOW', policy: r.provider.policy, rule: null, reason: `jwt ${r.auth.principal}`, sourceIdentity, detail: { requestPrincipal: r.auth.principal } };
    }
  }

  // 3. AUDIT and dry-run policies: recorded, never enforced.
  for (const p of set.audit) {
    const rule = firstMatch(rulesOf(p, tcp), f);
    if (rule >= 0) shadow.push({ at, kind: 'authz', result: 'AUDIT', policy: p.key, rule, reason: `audited by: ${p.key}`, sourceIdentity });
  }
  for (const p of set.dryRun) {
    const rule = firstMatch(rulesOf(p, tcp), f);
    if (rule >= 0) {
      shadow.push({ at, kind: 'authz', result: p.action, policy: p.key, rule, reason: `dry-run: would ${p.action === 'DENY' ? 'deny' : 'allow'}`, sourceIdentity, detail: { dryRun: true } });
    }
  }

  // 4. DENY.
  for (const p of set.deny) {
    const rule = firstMatch(rulesOf(p, tcp), f);
    if (rule >= 0) return result(false, denied, { at, kind: 'authz', result: 'DENY', policy: p.key, rule, reason: p.reason, sourceIdentity }, shadow, authn, auth);
  }

  // 5. ALLOW: only constrains when an ALLOW policy is attached.
  if (set.allow.length === 0) return result(true, PASS, { at, kind: 'authz', result: 'ALLOW', policy: null, rule: null, reason: 'no allow policies', sourceIdentity }, shadow, authn, auth);
  for (const p of set.allow) {
    const rule = firstMatch(rulesOf(p, tcp), f);
    if (rule >= 0) return result(true, PASS, { at, kind: 'authz', result: 'ALLOW', policy: p.key, rule, reason: p.reason, sourceIdentity }, shadow, authn, auth);
  }
  return result(false, denied, { at, kind: 'authz', result: 'DENY', policy: null, rule: null, reason: 'allow policies exist, but none allowed', sourceIdentity }, shadow, authn, auth);
}
