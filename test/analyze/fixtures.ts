// Builders for the analyzer's table tests: a small ambient app (`app` namespace, echo Deployment
// behind Service echo 80 → 8080, optional waypoint) and the policies and routes the rows vary.
import { analyzeObjects, type AnalyzeOptions, type Finding } from '../../src/analyze';
import { formatDiagnostic, loadManifestText } from '../../src/scenario';
import { echo, namespace, service, waypoint, yamlDocs } from '../helpers/manifests';

export const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };
export const ENROLLED = { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' };

/** Namespace `app` (labels given), Deployment and Service `echo`. */
export function app(nsLabels: Record<string, string> = AMBIENT, svcLabels?: Record<string, string>): object[] {
  return [namespace('app', nsLabels), echo('app', 'echo', 'hello'), service('app', 'echo', svcLabels ? { labels: svcLabels } : {})];
}

/** The app enrolled in waypoint `app/waypoint`. */
export function appWithWaypoint(): object[] {
  return [...app(ENROLLED), waypoint('app')];
}

export function policy(name: string, spec: object, ns = 'app'): object {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: ns }, spec };
}

export function selectorPolicy(name: string, action: 'ALLOW' | 'DENY', rules: object[]): object {
  return policy(name, { selector: { matchLabels: { app: 'echo' } }, action, rules });
}

export const svcParent = (name = 'echo', extra: object = {}) => ({ group: '', kind: 'Service', name, ...extra });

export function httpRoute(name: string, spec: { parentRefs?: object[]; rules?: object[] }, ns = 'app'): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: ns },
    spec: { parentRefs: spec.parentRefs ?? [svcParent()], rules: spec.rules ?? [{ backendRefs: [{ name: 'echo', port: 80 }] }] },
  };
}

export const FILE = 'manifests.yaml';

/** Loads the objects as one YAML file (so findings carry positions) and analyzes them. */
export function analyze(objects: object[], opts: AnalyzeOptions = {}): { findings: Finding[]; text: string } {
  const text = yamlDocs(objects);
  const loaded = loadManifestText(text, FILE);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`fixture did not load:\n${errors.map(formatDiagnostic).join('\n')}`);
  return { findings: analyzeObjects(loaded.resources, opts), text };
}

/** The 1-based line of the first line of `text` containing `needle` at or after line `from`. */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`${needle} not found`);
}
