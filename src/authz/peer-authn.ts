// PeerAuthentication in ambient (authz.md §6.1, ambient.md §4): istiod resolves the effective mode per
// workload and attaches L4 DENY policies to it — the static `<root>/istio_converted_static_strict` and/or a
// per-workload `converted_peer_authentication_<name>` for port-level modes.
import type { Labels, MtlsMode, PeerAuthentication } from '../k8s/types';
import { makeZtPolicy, type ZtGroup, type ZtMatch, type ZtPolicy } from './ztunnel-policy';

export const STATIC_STRICT_NAME = 'istio_converted_static_strict';
export const CONVERTED_PA_PREFIX = 'converted_peer_authentication_';

const NO_PRINCIPAL: ZtMatch = { notPrincipals: [{ type: 'presence' }] };

const modeOf = (m: { mode?: MtlsMode } | undefined): MtlsMode => m?.mode ?? 'UNSET';
const isStrict = (m: { mode?: MtlsMode } | undefined) => modeOf(m) === 'STRICT';
const isUnset = (m: { mode?: MtlsMode } | undefined) => modeOf(m) === 'UNSET';
const isLax = (m: { mode?: MtlsMode } | undefined) => modeOf(m) === 'PERMISSIVE' || modeOf(m) === 'DISABLE';

const hasSelector = (pa: PeerAuthentication) => Object.keys(pa.spec?.selector?.matchLabels ?? {}).length > 0;

/** Go's zero time is before every timestamp, so a missing creationTimestamp is the oldest. */
function created(pa: PeerAuthentication): number {
  const t = pa.metadata.creationTimestamp;
  return t ? Date.parse(t) : -Infinity;
}

/** Oldest wins; equal timestamps fall back to the name so the choice is deterministic. */
function older(a: PeerAuthentication, b: PeerAuthentication): boolean {
  const ta = created(a);
  const tb = created(b);
  return ta !== tb ? ta < tb : a.metadata.name < b.metadata.name;
}

function oldest(list: PeerAuthentication[]): PeerAuthentication | undefined {
  let best: PeerAuthentication | undefined;
  for (const pa of list) if (!best || older(pa, best)) best = pa;
  return best;
}

function sortedPorts(pa: PeerAuthentication): [number, { mode?: MtlsMode }][] {
  return Object.entries(pa.spec?.portLevelMtls ?? {})
    .map(([p, m]) => [Number(p), m] as [number, { mode?: MtlsMode }])
    .filter(([p]) => Number.isInteger(p))
    .sort((a, b) => a[0] - b[0]);
}

export interface PeerAuthnIndex {
  rootNamespace: string;
  any: boolean;
  mesh?: PeerAuthentication;
  namespaceLevel: Map<string, PeerAuthentication>;
  /** Selector PAs per namespace (root namespace excluded: ignored). */
  selectorLevel: Map<string, PeerAuthentication[]>;
  staticStrict: ZtPolicy;
  /** Converted port-level policy per PA key (`ns/name`); absent when istiod sends none. */
  converted: Map<string, ZtPolicy>;
}

export function compilePeerAuthn(pas: PeerAuthentication[], rootNamespace: string): PeerAuthnIndex {
  const nsLists = new Map<string, PeerAuthentication[]>();
  const selectorLevel = new Map<string, PeerAuthentication[]>();
  for (const pa of pas) {
    const ns = pa.metadata.namespace ?? 'default';
    if (!hasSelector(pa)) nsLists.set(ns, [...(nsLists.get(ns) ?? []), pa]);
    else if (ns !== rootNamespace) selectorLevel.set(ns, [...(selectorLevel.get(ns) ?? []), pa]);
  }
  const namespaceLevel = new Map<string, PeerAuthentication>();
  for (const [ns, list] of nsLists) namespaceLevel.set(ns, oldest(list)!);
  const mesh = namespaceLevel.get(rootNamespace);
  namespaceLevel.delete(rootNamespace);
  const converted = new Map<string, ZtPolicy>();
  for (const [ns, list] of selectorLevel) {
    for (const pa of list) {
      const pol = convertPeerAuthentication(pa, namespaceLevel.get(ns), mesh);
      if (pol) converted.set(`${ns}/${pa.metadata.name}`, pol);
    }
  }
  const staticStrict = makeZtPolicy({
    name: STATIC_STRICT_NAME,
    namespace: rootNamespace,
    scope: 'WORKLOAD_SELECTOR',
    action: 'DENY',
    groups: [{ rule: 0, clauses: [[NO_PRINCIPAL]] }],
    dryRun: false,
    origin: 'peer-authn',
  });
  return { rootNamespace, any: pas.length > 0, mesh, namespaceLevel, selectorLevel, staticStrict, converted };
}

/** An inherited mesh-wide STRICT: the namespace has no policy or sets no mode, and the root one is STRICT. */
function meshStrictFor(nsCfg: PeerAuthentication | undefined, rootCfg: PeerAuthentication | undefined): boolean {
  return (nsCfg === undefined || isUnset(nsCfg.spec?.mtls)) && rootCfg !== undefined && isStrict(rootCfg.spec?.mtls);
}

/**
 * The STRICT ports of a PERMISSIVE or DISABLE workload policy that nothing enforces: under an
 * inherited mesh-wide STRICT, convertPeerAuthentication skips them as enforced by the mesh, and the
 * workload's own lax mode keeps the mesh's static policy off it.
 */
export function unenforcedStrictPorts(pa: PeerAuthentication, nsCfg: PeerAuthentication | undefined, rootCfg: PeerAuthentication | undefined): number[] {
  if (!hasSelector(pa) || !isLax(pa.spec?.mtls) || !meshStrictFor(nsCfg, rootCfg)) return [];
  return sortedPorts(pa)
    .filter(([, m]) => isStrict(m))
    .map(([port]) => port);
}

/** istiod `convertPeerAuthentication`: the DENY policy for a selector PA with port-level modes, or null. */
export function convertPeerAuthentication(pa: PeerAuthentication, nsCfg: PeerAuthentication | undefined, rootCfg: PeerAuthentication | undefined): ZtPolicy | null {
  const ns = pa.metadata.namespace ?? 'default';
  const own = pa.spec?.mtls;
  const mode = modeOf(own);
  if (!hasSelector(pa) || sortedPorts(pa).length === 0) return null;
  const rules: ZtMatch[][] = [];
  const groups: ZtMatch[][][] = [];
  if (mode === 'STRICT') rules.push([NO_PRINCIPAL]);
  let foundNonStrictPort = false;
  const nsStrict = nsCfg !== undefined && isStrict(nsCfg.spec?.mtls);
  const meshStrict = meshStrictFor(nsCfg, rootCfg);
  const parentStrict = nsStrict || meshStrict;
  for (const [port, m] of sortedPorts(pa)) {
    if (isStrict(m)) {
      // Skipped as "already enforced by the parent". istiod's condition reads `own STRICT || own
      // UNSET && namespace STRICT || mesh STRICT`: Go's && binds tighter than ||, so an inherited
      // mesh-wide STRICT skips the port whatever the workload's own mode, and a PERMISSIVE or
      // DISABLE workload under it does not enforce its STRICT ports (as Istio 1.28 does).
      if (isStrict(own) || (isUnset(own) && nsStrict) || meshStrict) continue;
      groups.push([[{ notPrincipals: [{ type: 'presence' }], destinationPorts: [port] }]]);
    } else if (isLax(m)) {
      if (mode === 'PERMISSIVE' || mode === 'DISABLE') continue;
      if (mode === 'UNSET' && !parentStrict) continue;
      foundNonStrictPort = true;
      rules.push([{ notDestinationPorts: [port] }]);
    }
  }
  if (mode === 'STRICT' && !foundNonStrictPort) return null;
  if (rules.length === 0 && groups.length === 0) return null;
  const shouldMergeStrict =
    (rootCfg !== undefined && isStrict(rootCfg.spec?.mtls) && (nsCfg === undefined || isUnset(nsCfg.spec?.mtls) || isStrict(nsCfg.spec?.mtls))) ||
    (nsCfg !== undefined && isStrict(nsCfg.spec?.mtls));
  if (shouldMergeStrict && foundNonStrictPort) rules.push([NO_PRINCIPAL]);
  if (rules.length > 0) groups.push(rules);
  const zgroups: ZtGroup[] = groups.map((clauses, i) => ({ rule: i, clauses }));
  return makeZtPolicy({ name: CONVERTED_PA_PREFIX + pa.metadata.name, namespace: ns, scope: 'WORKLOAD_SELECTOR', action: 'DENY', groups: zgroups, dryRun: false, origin: 'peer-authn' });
}

export interface EffectivePeerAuthn {
  /** What plaintext sees on ports without an override. */
  mode: 'STRICT' | 'PERMISSIVE';
  /** The PeerAuthentications that decided: mesh, namespace and workload level (absent levels omitted). */
  from: string[];
  /** Keys of the policies istiod attaches (`ns/name`). */
  policies: ZtPolicy[];
}

/** istiod `convertedSelectorPeerAuthentications` for one workload. */
export function peerAuthnFor(idx: PeerAuthnIndex, namespace: string, labels: Labels): EffectivePeerAuthn {
  const nsCfg = namespace === idx.rootNamespace ? undefined : idx.namespaceLevel.get(namespace);
  const candidates = (idx.selectorLevel.get(namespace) ?? []).filter((pa) => {
    const sel = pa.spec!.selector!.matchLabels!;
    for (const k in sel) if (labels[k] !== sel[k]) return false;
    return true;
  });
  const workloadCfg = oldest(candidates);
  const from = [idx.mesh, nsCfg, workloadCfg].filter((p): p is PeerAuthentication => p !== undefined).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  // Mesh, then namespace (UNSET inherits), then workload.
  let base = idx.mesh ? isStrict(idx.mesh.spec?.mtls) : false;
  if (nsCfg && !isUnset(nsCfg.spec?.mtls)) base = isStrict(nsCfg.spec?.mtls);
  let attachStatic = base;
  let portPolicy = false;
  if (workloadCfg) {
    const own = workloadCfg.spec?.mtls;
    if (isStrict(own)) base = true;
    if (isLax(own)) base = false;
    attachStatic = base;
    const portModes = sortedPorts(workloadCfg).map(([, m]) => m);
    if (portModes.length > 0) {
      if (isStrict(own)) portPolicy = portModes.some(isLax);
      else if (isLax(own)) portPolicy = portModes.some(isStrict);
      // UNSET under a STRICT parent: only PERMISSIVE ports (not DISABLE) exempt, exactly as istiod checks.
      else if (base) portPolicy = portModes.some((m) => modeOf(m) === 'PERMISSIVE');
      else portPolicy = portModes.some(isStrict);
      // The converted policy carries the strictness itself; the static policy would override its exemptions.
      if (portPolicy && base) attachStatic = false;
    }
  }
  const policies: ZtPolicy[] = [];
  if (attachStatic && idx.any) policies.push(idx.staticStrict);
  if (portPolicy && workloadCfg) {
    const pol = idx.converted.get(`${namespace}/${workloadCfg.metadata.name}`);
    if (pol) policies.push(pol);
  }
  const mode = base ? 'STRICT' : 'PERMISSIVE';
  return { mode, from, policies };
}
