// analyzeObjects: builds the converged state from the objects, runs every check, then sorts,
// de-duplicates, filters and suppresses the findings the way istioctl analyze does.
import { checkAuthz } from './checks/authz';
import { checkConditions } from './checks/conditions';
import { checkDestinationRules } from './checks/destination-rules';
import { checkNamespaces } from './checks/namespaces';
import { checkPeerAuthentication } from './checks/peer-authn';
import { checkRoutes } from './checks/routes';
import { checkWaypoints } from './checks/waypoints';
import { buildContext, friendlyName, namespaceOf } from './context';
import type { AnalyzeOptions, AnalyzedResource, Finding, Suppression } from './types';

const LEVEL_ORDER = { Error: 0, Warning: 1, Info: 2 } as const;

/** istioctl's Comparator: `Kind/name/namespace`. */
function comparator(resource: string): string {
  const [kind, ref = ''] = resource.split(' ');
  const slash = ref.indexOf('/');
  return slash < 0 ? `${kind}/${ref}/` : `${kind}/${ref.slice(slash + 1)}/${ref.slice(0, slash)}`;
}

function findingString(f: Finding): string {
  return `${f.level} [${f.code}] (${f.resource}) ${f.message}`;
}

/** Istio's Messages.Sort: level, code, resource, then the printed text; duplicates dropped. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const sorted = [...findings].sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      cmp(a.code, b.code) ||
      cmp(comparator(a.resource), comparator(b.resource)) ||
      cmp(a.pos?.line ?? 0, b.pos?.line ?? 0) ||
      cmp(findingString(a), findingString(b)),
  );
  return sorted.filter((f, i) => i === 0 || findingString(f) !== findingString(sorted[i - 1]!) || f.pos?.line !== sorted[i - 1]!.pos?.line);
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Glob with `*` (any run of characters), as istioctl's suppression matching. */
function glob(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(text);
}

/** The suppression matches `Kind ns/name`; the form istioctl's help shows, `Kind name.ns`, is accepted too. */
export function isSuppressed(f: Finding, suppressions: readonly Suppression[]): boolean {
  const [kind, ref = ''] = f.resource.split(' ');
  const slash = ref.indexOf('/');
  const dotted = slash < 0 ? f.resource : `${kind} ${ref.slice(slash + 1)}.${ref.slice(0, slash)}`;
  return suppressions.some((s) => s.code === f.code && (glob(s.resource, f.resource) || glob(s.resource, dotted)));
}

function inNamespace(f: Finding, r: AnalyzedResource | undefined, ns: string): boolean {
  if (!r) return false;
  return r.obj.kind === 'Namespace' ? r.obj.metadata.name === ns : namespaceOf(r.obj) === ns;
}

/**
 * Namespaces istioctl analyze never reads (the injector's ignored namespaces): objects in them, and
 * the Namespace objects themselves, are filtered out of every source, files and cluster alike.
 */
const IGNORED_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

function ignored(r: AnalyzedResource): boolean {
  return IGNORED_NAMESPACES.has(r.obj.kind === 'Namespace' ? r.obj.metadata.name : (r.obj.metadata.namespace ?? ''));
}

/** Analyzes the objects (from files, or a cluster's objects in lab mode) and returns the findings, sorted. */
export function analyzeObjects(resources: readonly AnalyzedResource[], opts: AnalyzeOptions = {}): Finding[] {
  const ctx = buildContext(
    resources.filter((r) => !ignored(r)),
    opts,
  );
  checkNamespaces(ctx);
  checkWaypoints(ctx);
  checkAuthz(ctx);
  checkRoutes(ctx);
  checkPeerAuthentication(ctx);
  checkDestinationRules(ctx);
  checkConditions(ctx, { explained: !opts.istioOnly });
  let out = ctx.findings;
  if (opts.istioOnly) out = out.filter((f) => f.code.startsWith('IST'));
  if (opts.namespace !== undefined) {
    const byName = new Map(ctx.resources.map((r) => [friendlyName(r.obj), r]));
    const ns = opts.namespace;
    out = out.filter((f) => inNamespace(f, byName.get(f.resource), ns));
  }
  if (opts.suppress?.length) {
    const s = opts.suppress;
    out = out.filter((f) => !isSuppressed(f, s));
  }
  return sortFindings(out);
}

/** Parses `CODE=Kind ns/name` (istioctl's --suppress); null when malformed. */
export function parseSuppression(text: string): Suppression | null {
  const parts = text.split('=');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return { code: parts[0], resource: parts[1] };
}
