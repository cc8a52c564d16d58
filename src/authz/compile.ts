// compileAuthz: once per configuration change, classify every policy and index it so a per-hop lookup
// touches only the policies that can apply (by namespace, by selector label, by waypoint target).
import type { AuthorizationPolicy, Labels } from '../k8s/types';
import { chainKeys, targetKey } from './attachment';
import { spiffeId } from '../control/config';
import { compileRequestAuthentication, newTokenCache, type JwtProvider } from './jwt';
import { compilePeerAuthn, peerAuthnFor, type PeerAuthnIndex } from './peer-authn';
import type { AuthorizerProvider, AuthzFeatures, AuthzInput, WaypointContext, WorkloadRef } from './types';
import { WaypointMemo } from './decision-memo';
import { FAST_PATHS } from '../fast-paths';
import { mergeReads } from './waypoint-attrs';
import { compileWaypointPolicy, type WpPolicy } from './waypoint-compile';
import { planFor, type WaypointPolicySet } from './waypoint-eval';
import type { RbacPlan } from './waypoint-plan';
import { targetRefsOf } from './ztunnel-convert';
import { ZtunnelIndex } from './ztunnel-index';
import { makeZtunnelPolicySet, newParseCaches, sharingPolicies, type ParseCaches, type ZtunnelPolicySet } from './ztunnel-eval';
import { makeZtPolicy, type ZtPolicy } from './ztunnel-policy';

export interface AuthzIndex {
  rootNamespace: string;
  trustDomain: string;
  features: AuthzFeatures;
  providers: Map<string, AuthorizerProvider>;
  policies: AuthorizationPolicy[];
  /** Policies without targetRefs that ztunnel receives. */
  ztunnel: ZtunnelIndex;
  /** Waypoint policies and RequestAuthentications by target key (see attachment.ts). */
  waypointPolicies: Map<string, WpPolicy[]>;
  requestAuthn: Map<string, JwtProvider[]>;
  peerAuthn: PeerAuthnIndex;
  caches: ParseCaches;
  ztunnelMemo: Map<string, WeakMap<Labels, ZtunnelPolicySet>>;
  waypointMemo: ChainMemo;
  implicitWaypoint: Map<string, ZtPolicy>;
  /** RBAC plans shared by the sets that enforce the same policies (many services behind one waypoint). */
  plans: Map<string, SharedPlan>;
  /** ztunnel sets by their policies' keys: workloads that get the same policies share one set. */
  ztunnelSets: Map<string, ZtunnelPolicySet>;
}

interface SharedPlan {
  deny: WpPolicy[];
  allow: WpPolicy[];
  plan: RbacPlan;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const keyOfObj = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
const byKey = <T extends { metadata: { namespace?: string; name: string } }>(list: T[]) => [...list].sort((a, b) => (keyOfObj(a) < keyOfObj(b) ? -1 : 1));

export function compileAuthz(input: AuthzInput): AuthzIndex {
  const { rootNamespace, trustDomain } = input;
  const features = input.features ?? {};
  const idx: AuthzIndex = {
    rootNamespace,
    trustDomain,
    features,
    providers: new Map((input.providers ?? []).map((p) => [p.name, p])),
    policies: input.authorizationPolicies,
    ztunnel: new ZtunnelIndex({ rootNamespace, dryRunEnabled: features.ambientDryRun }),
    waypointPolicies: new Map(),
    requestAuthn: new Map(),
    peerAuthn: compilePeerAuthn(input.peerAuthentications, rootNamespace),
    caches: newParseCaches(),
    ztunnelMemo: new Map(),
    waypointMemo: { services: new Map(), waypoints: new Map() },
    implicitWaypoint: new Map(),
    plans: new Map(),
    ztunnelSets: new Map(),
  };
  for (const ap of byKey(input.authorizationPolicies)) {
    const ns = ap.metadata.namespace ?? 'default';
    const refs = targetRefsOf(ap.spec);
    if (refs.length > 0) {
      const wp = compileWaypointPolicy(ap, trustDomain);
      const keys = new Set(refs.map((r) => targetKey(r, ns, rootNamespace)).filter((k): k is string => k !== null));
      for (const k of keys) push(idx.waypointPolicies, k, wp);
      continue;
    }
    idx.ztunnel.add(ap);
  }
  for (const ra of byKey(input.requestAuthentications)) {
    const ns = ra.metadata.namespace ?? 'default';
    // Selector-based RequestAuthentications are ignored by waypoints; ztunnel never evaluates JWT.
    const keys = new Set(targetRefsOf(ra.spec).map((r) => targetKey(r, ns, rootNamespace)).filter((k): k is string => k !== null));
    const providers = compileRequestAuthentication(ra);
    for (const k of keys) for (const p of providers) push(idx.requestAuthn, k, p);
  }
  return idx;
}

/**
 * Waypoint policy sets by chain. Service chains are found by service namespace then name, then among
 * the (usually one) waypoints that serve it; whole-waypoint chains by waypoint namespace then name.
 */
interface ChainMemo {
  services: Map<string, Map<string, ServiceChain>>;
  waypoints: Map<string, Map<string, WaypointPolicySet>>;
}

interface ServiceChain {
  kind: string;
  waypointNamespace: string;
  waypointName: string;
  set: WaypointPolicySet;
  /** Another waypoint (or kind) serving a service of the same namespace and name. */
  next: ServiceChain | null;
}

function inner<V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = new Map()));
  return v;
}

function implicitWaypointPolicy(idx: AuthzIndex, wp: NonNullable<WorkloadRef['waypoint']>): ZtPolicy | null {
  if (!idx.features.autoAllowWaypointPolicy || wp.serviceAccounts.length === 0) return null;
  const name = `istio_allow_waypoint_${wp.namespace}_${wp.name}`;
  const key = `${wp.namespace}/${name}|${wp.serviceAccounts.join(',')}`;
  let pol = idx.implicitWaypoint.get(key);
  if (!pol) {
    const principals = wp.serviceAccounts.map((sa) => ({ type: 'exact' as const, value: spiffeId(idx.trustDomain, wp.namespace, sa).slice('spiffe://'.length) }));
    pol = makeZtPolicy({ name, namespace: wp.namespace, scope: 'WORKLOAD_SELECTOR', action: 'ALLOW', groups: [{ rule: 0, clauses: [[{ principals }]] }], dryRun: false, origin: 'waypoint-allow' });
    idx.implicitWaypoint.set(key, pol);
  }
  return pol;
}

/** Whether two lists hold the very same policies in the same order. */
const samePolicies = <P>(a: readonly P[], b: readonly P[]) => a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * The set of `list`, sharing its policy lists with every workload that gets the very same policies
 * (they are a pure function of the policies), so the data connections walk stays small.
 */
function sharedZtunnelSet(idx: AuthzIndex, list: ZtPolicy[]): ZtunnelPolicySet {
  const set = makeZtunnelPolicySet(list, idx.caches);
  const key = set.policies.map((p) => p.key).join('\n');
  const hit = idx.ztunnelSets.get(key);
  if (hit !== undefined && samePolicies(hit.policies, set.policies)) return sharingPolicies(hit);
  if (hit === undefined) idx.ztunnelSets.set(key, set);
  return set;
}

/** The policies the destination ztunnel applies to this workload (memoised per labels object). */
export function ztunnelPoliciesFor(idx: AuthzIndex, workload: WorkloadRef): ZtunnelPolicySet {
  // The common case keys on the namespace alone: no string is built per lookup.
  const memoKey =
    idx.features.autoAllowWaypointPolicy && workload.waypoint
      ? `${workload.namespace}|${workload.waypoint.namespace}/${workload.waypoint.name}/${workload.waypoint.serviceAccounts.join(',')}`
      : workload.namespace;
  let byLabels = idx.ztunnelMemo.get(memoKey);
  if (!byLabels) idx.ztunnelMemo.set(memoKey, (byLabels = new WeakMap()));
  let set = byLabels.get(workload.labels);
  if (set) return set;
  const list: ZtPolicy[] = [];
  idx.ztunnel.collect(workload.namespace, workload.labels, list);
  list.push(...peerAuthnFor(idx.peerAuthn, workload.namespace, workload.labels).policies);
  if (workload.waypoint) {
    const implicit = implicitWaypointPolicy(idx, workload.waypoint);
    if (implicit) list.push(implicit);
  }
  set = sharedZtunnelSet(idx, list);
  byLabels.set(workload.labels, set);
  return set;
}

function lookupChain(memo: ChainMemo, ctx: WaypointContext): WaypointPolicySet | undefined {
  const { waypoint, service } = ctx;
  if (service === undefined) return memo.waypoints.get(waypoint.namespace)?.get(waypoint.name);
  let c: ServiceChain | null = memo.services.get(service.namespace)?.get(service.name) ?? null;
  for (; c !== null; c = c.next) {
    if (c.kind === service.kind && c.waypointName === waypoint.name && c.waypointNamespace === waypoint.namespace) return c.set;
  }
  return undefined;
}

function rememberChain(memo: ChainMemo, ctx: WaypointContext, set: WaypointPolicySet): void {
  const { waypoint, service } = ctx;
  if (service === undefined) {
    inner(memo.waypoints, waypoint.namespace).set(waypoint.name, set);
    return;
  }
  const byName = inner(memo.services, service.namespace);
  byName.set(service.name, { kind: service.kind, waypointNamespace: waypoint.namespace, waypointName: waypoint.name, set, next: byName.get(service.name) ?? null });
}

/** The policies and JWT providers a waypoint applies to one chain (whole waypoint, or one service through it). */
export function waypointPoliciesFor(idx: AuthzIndex, ctx: WaypointContext): WaypointPolicySet {
  const hit = lookupChain(idx.waypointMemo, ctx);
  if (hit) return hit;
  const seen = new Set<WpPolicy>();
  const providers: JwtProvider[] = [];
  for (const k of chainKeys(ctx)) {
    for (const p of idx.waypointPolicies.get(k) ?? []) seen.add(p);
    for (const p of idx.requestAuthn.get(k) ?? []) if (!providers.includes(p)) providers.push(p);
  }
  const set = envoyPolicySet(idx, [...seen].sort((a, b) => (a.key < b.key ? -1 : 1)), providers);
  rememberChain(idx.waypointMemo, ctx, set);
  return set;
}

/** The plan of `deny` and `allow`, shared with any set of this index that enforces the very same policies. */
function sharedPlan(idx: AuthzIndex, deny: WpPolicy[], allow: WpPolicy[]): RbacPlan {
  const key = [...deny.map((p) => p.key), '|', ...allow.map((p) => p.key)].join('\n');
  const hit = idx.plans.get(key);
  if (hit !== undefined && samePolicies(hit.deny, deny) && samePolicies(hit.allow, allow)) return hit.plan;
  const plan = planFor(deny, allow);
  if (hit === undefined) idx.plans.set(key, { deny, allow, plan });
  return plan;
}

/** An Envoy RBAC policy set (waypoint or sidecar): the policies split by action, dry-run apart. */
export function envoyPolicySet(idx: AuthzIndex, policies: WpPolicy[], providers: JwtProvider[]): WaypointPolicySet {
  const enforced = (action: WpPolicy['action']) => policies.filter((p) => p.action === action && !p.dryRun);
  const custom = enforced('CUSTOM');
  const audit = enforced('AUDIT');
  const dryRun = policies.filter((p) => p.dryRun);
  const reads = mergeReads(policies.map((p) => p.reads));
  // Only a plain DENY/ALLOW outcome is a function of the request facts alone.
  const rbacOnly = custom.length === 0 && audit.length === 0 && dryRun.length === 0 && providers.length === 0;
  const deny = enforced('DENY');
  const allow = enforced('ALLOW');
  return {
    policies,
    custom,
    audit,
    deny,
    allow,
    dryRun,
    jwt: providers,
    tokens: newTokenCache(providers),
    providers: idx.providers,
    caches: idx.caches,
    reads,
    memo: rbacOnly && FAST_PATHS ? new WaypointMemo(reads) : null,
    plan: sharedPlan(idx, deny, allow),
    rbacOnly,
  };
}
