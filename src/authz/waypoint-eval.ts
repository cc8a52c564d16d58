// Waypoint (Envoy) per-request authorization (authz.md §2.2): CUSTOM (ext_authz, only when a CUSTOM
// rule matches) -> JWT (jwt_authn; HTTP only) -> AUDIT (log only) -> DENY -> ALLOW. TCP chains run the
// same order on their TCP-converted rules and close the connection instead of answering 403.
import type { Decision } from '../result/types';
import { consultProvider } from './custom';
import { authenticate, isCorsPreflight, type JwtProvider, type newTokenCache } from './jwt';
import type { AuthorizerProvider, RequestAuth, WaypointDecision, WaypointOutcome, WaypointRequest } from './types';
import { decisionOf, NO_SHADOW, type WaypointMemo, type WaypointVerdict } from './decision-memo';
import type { FactReads } from './waypoint-attrs';
import { RequestFacts } from './waypoint-facts';
import { firstMatch, type WpFacts, type WpPolicy, type WpRule } from './waypoint-compile';
import { allHold, valueHolds } from './waypoint-match';
import { methodSlot, planRbac, type PlannedRule, type RbacPlan } from './waypoint-plan';
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
  /** The request facts any of the policies reads. */
  reads: FactReads;
  /** Verdicts already reached; null when CUSTOM, JWT, AUDIT or dry-run policies take part. */
  memo: WaypointMemo<WaypointDecision> | null;
  /** `deny` and `allow` laid out for the per-request walk (see waypoint-plan.ts). */
  plan: RbacPlan;
  /** No CUSTOM, JWT, AUDIT or dry-run policy: DENY and ALLOW alone decide, and nothing is recorded beside. */
  rbacOnly: boolean;
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

export function planFor(deny: WpPolicy[], allow: WpPolicy[]): RbacPlan {
  return planRbac(deny, allow, PASS, FORBIDDEN, CLOSE);
}

function rulesOf(p: WpPolicy, tcp: boolean): WpRule[] {
  return tcp ? p.tcp : p.http;
}

function result(allowed: boolean, outcome: WaypointOutcome, decision: Decision, shadow: Decision[], authn: Decision | undefined, auth: RequestAuth | null): WaypointDecision {
  const d: WaypointDecision = { allowed, outcome, decision, shadow };
  if (authn) d.authn = authn;
  if (auth) d.auth = auth;
  return d;
}

/** What the waypoint knows about `req`, before RequestAuthentication fills `auth` (see waypoint-facts.ts). */
export function waypointFacts(set: WaypointPolicySet, req: WaypointRequest): WpFacts {
  return new RequestFacts(set.caches, req);
}

const NO_ALLOW_POLICIES: WaypointVerdict = { allowed: true, outcome: PASS, kind: 'authz', result: 'ALLOW', policy: null, rule: null, reason: 'no allow policies' };
const NONE_ALLOWED: WaypointVerdict = { allowed: false, outcome: FORBIDDEN, kind: 'authz', result: 'DENY', policy: null, rule: null, reason: 'allow policies exist, but none allowed' };
const NONE_ALLOWED_TCP: WaypointVerdict = { ...NONE_ALLOWED, outcome: CLOSE };

/** The verdict of the first rule of `rules` that matches, or null. */
function firstPlanned(rules: PlannedRule[], f: WpFacts): WaypointVerdict | null {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if ((r.first === null || valueHolds(r.first, f)) && allHold(r.conds, f)) return r.verdict;
  }
  return null;
}

/** Steps 4 and 5: DENY, then ALLOW (which only constrains when an ALLOW policy is attached). */
function rbacVerdict(set: WaypointPolicySet, f: WpFacts, tcp: boolean): WaypointVerdict {
  const { plan } = set;
  const slot = tcp ? -1 : methodSlot(plan, f.method);
  const denied = firstPlanned(tcp ? plan.denyTcp : plan.denyHttp[slot]!, f);
  if (denied !== null) return denied;
  if (!plan.anyAllow) return NO_ALLOW_POLICIES;
  return firstPlanned(tcp ? plan.allowTcp : plan.allowHttp[slot]!, f) ?? (tcp ? NONE_ALLOWED_TCP : NONE_ALLOWED);
}

const answer = (v: WaypointVerdict, decision: Decision): WaypointDecision => result(v.allowed, v.outcome, decision, NO_SHADOW, undefined, null);

// No closures are created per call: this runs once per simulated request.
export function evaluateWaypoint(set: WaypointPolicySet, req: WaypointRequest, opts: WaypointEvalOptions): WaypointDecision {
  const { memo } = set;
  if (memo !== null) {
    const entry = memo.get(req) ?? memo.remember(req, rbacVerdict(set, waypointFacts(set, req), req.protocol === 'tcp'));
    return entry.answerFor(opts.at, req.srcIdentity, answer);
  }
  const { at } = opts;
  const tcp = req.protocol === 'tcp';
  const sourceIdentity = req.srcIdentity;
  if (set.rbacOnly) {
    const v = rbacVerdict(set, waypointFacts(set, req), tcp);
    return { allowed: v.allowed, outcome: v.outcome, decision: decisionOf(v, at, sourceIdentity), shadow: NO_SHADOW };
  }
  let authn: Decision | undefined;
  let auth: RequestAuth | null = null;
  const f = waypointFacts(set, req);
  const shadow: Decision[] = set.audit.length || set.dryRun.length ? [] : NO_SHADOW;

  // 1. CUSTOM: the provider is consulted only when a CUSTOM rule matches. A provider the mesh does
  // not define turns the policy into a DENY of what its rules match (istiod's bad-CUSTOM deny rules).
  for (const p of set.custom) {
    const provider = p.provider !== undefined ? set.providers.get(p.provider) : undefined;
    const rule = firstMatch(rulesOf(p, tcp), f);
    if (rule < 0) continue;
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

  // 4-5. DENY, ALLOW.
  const v = rbacVerdict(set, f, tcp);
  return result(v.allowed, v.outcome, decisionOf(v, at, sourceIdentity), shadow, authn, auth);
}
