// `meshsim run --latency-profile`: prints the latency model in force for a scenario, defaults
// and `spec.latency` overrides alike (overrides marked with *), with each proxy's capacity.
import { DEFAULT_LATENCY, PROXY_KINDS, resolveLatencyConfig, type LatencyConfig, type ProxyKind, type Quantiles } from '../run/latency-config';
import type { Scenario } from '../scenario';

function ms(x: number): string {
  if (x >= 1000 && x % 1000 === 0) return `${x / 1000}s`;
  if (x < 1) return `${Number((x * 1000).toPrecision(3))}us`;
  return `${Number(x.toPrecision(3))}ms`;
}

function fig(q: Quantiles): string {
  return q.p50 === undefined ? `exponential, mean ${ms(q.mean)}` : `p50 ${ms(q.p50)}  p99 ${ms(q.p99)}`;
}

function meanOf(q: Quantiles): number {
  if (q.p50 === undefined) return q.mean;
  const sigma = Math.log(q.p99 / q.p50) / 2.3263478740408408;
  return q.p50 * Math.exp((sigma * sigma) / 2);
}

const mark = (overridden: boolean): string => (overridden ? '*' : ' ');
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const PROXY_SCOPE: Record<ProxyKind, string> = { ztunnel: 'per node', waypoint: 'per waypoint pod', sidecar: 'per pod', gateway: 'per gateway pod' };

/** The model as text, one figure per line. */
export function formatLatencyProfile(c: LatencyConfig): string {
  const d = DEFAULT_LATENCY;
  const lines: string[] = ['Latency model (defaults from reference/latency.md; * = set in spec.latency)', '', 'network, round trip (a one-way leg samples half):'];
  for (const k of ['sameNode', 'sameZone', 'crossZone', 'crossRegion'] as const) lines.push(`  ${mark(!same(c.network[k], d.network[k]))} ${k.padEnd(12)} ${fig(c.network[k])}`);
  for (const [pair, q] of [...c.regions].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  * ${pair.padEnd(12)} ${fig(q)}`);
  lines.push('', 'proxies, per pass (a request passes each proxy twice):');
  for (const k of PROXY_KINDS) {
    const p = c.proxies[k];
    const capacity = Math.round((p.workers * 1000) / meanOf(p.cpu) / 2);
    lines.push(`  ${mark(!same(p, d.proxies[k]))} ${k.padEnd(9)} ${String(p.workers).padStart(2)} workers  cpu ${fig(p.cpu)}  hand-off ${ms(p.handoffMs)}  ~${capacity} req/s ${PROXY_SCOPE[k]}`);
  }
  lines.push('', `HBONE: ${mark(!same(c.hbone.setup, d.hbone.setup))} setup ${fig(c.hbone.setup)}, pooled per (source, destination) identity; ${mark(c.hbone.idleTimeoutMs !== d.hbone.idleTimeoutMs)} idle release after ${ms(c.hbone.idleTimeoutMs)}`);
  lines.push('', 'apps:', `  ${mark(!same(c.apps.default, d.apps.default))} default      ${fig(c.apps.default)}`);
  for (const [m, q] of [...c.apps.models].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  * ${m.padEnd(12)} ${fig(q)}`);
  lines.push('  (spec.apps[].serviceTime overrides per workload)');
  lines.push('', `config propagation: ${mark(c.propagationMs !== d.propagationMs)} ${ms(c.propagationMs)} (inside parallel groups)`);
  return `${lines.join('\n')}\n`;
}

/** Prints the model in force for `scenario`; throws ScenarioInputError when its spec.latency is invalid. */
export function printLatencyProfile(scenario: Pick<Scenario, 'latency'>, write: (text: string) => void = (t) => process.stdout.write(t)): void {
  write(formatLatencyProfile(resolveLatencyConfig(scenario.latency)));
}
