// `spec.latency`: overrides laid over the defaults, and every mistake reported at its position.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LATENCY, resolveLatencyConfig } from '../../src/run/latency-config';
import { ScenarioInputError } from '../../src/run/errors';
import { formatDiagnostic, loadScenarioText } from '../../src/scenario';
import { curl, namespace, yamlDocs } from '../helpers/manifests';
import { runText } from '../helpers/run-scenario';
import { latencyScenarioText } from './support';

const at = () => ({ file: 'x.yaml', line: 1, col: 1 });

describe('resolveLatencyConfig', () => {
  const rows: { id: string; value: Record<string, unknown>; check: (c: ReturnType<typeof resolveLatencyConfig>) => void }[] = [
    { id: 'no overrides: the defaults', value: {}, check: (c) => expect(c).toEqual(DEFAULT_LATENCY) },
    { id: 'a bare duration is the p50; p99 follows the category spread', value: { network: { sameZone: '1ms' } }, check: (c) => expect(c.network.sameZone).toEqual({ p50: 1, p99: 3 }) },
    { id: 'p50 and p99 as written', value: { network: { crossZone: { p50: '2ms', p99: '9ms' } } }, check: (c) => expect(c.network.crossZone).toEqual({ p50: 2, p99: 9 }) },
    { id: 'a region pair in either order, p99 = 1.3 × p50', value: { regions: { 'us-west1/us-east1': { p50: '70ms' } } }, check: (c) => expect(c.regions.get('us-east1/us-west1')).toEqual({ p50: 70, p99: 91 }) },
    { id: 'proxy workers only: the CPU default stays', value: { proxies: { waypoint: { workers: 4 } } }, check: (c) => expect(c.proxies.waypoint).toEqual({ ...DEFAULT_LATENCY.proxies.waypoint, workers: 4 }) },
    { id: 'exponential CPU by its mean', value: { proxies: { ztunnel: { cpu: { mean: '50us' } } } }, check: (c) => expect(c.proxies.ztunnel.cpu).toEqual({ mean: 0.05 }) },
    { id: 'propagation and HBONE idle timeout', value: { propagation: '2s', hbone: { idleTimeout: '30s' } }, check: (c) => expect([c.propagationMs, c.hbone.idleTimeoutMs]).toEqual([2000, 30_000]) },
    { id: 'an app model', value: { apps: { models: { httpbin: '1ms' } } }, check: (c) => expect(c.apps.models.get('httpbin')).toEqual({ p50: 1, p99: 2.5 }) },
  ];
  it.each(rows)('$id', ({ value, check }) => check(resolveLatencyConfig({ value, at })));
});

describe('spec.latency mistakes are input errors at FILE:LINE:COL, all at once', () => {
  it('reports an unknown proxy, a bad duration and p99 below p50', async () => {
    const text = latencyScenarioText({
      manifests: yamlDocs([namespace('client'), curl('client')]),
      steps: [],
      latency: { proxies: { ztunel: {} }, network: { sameZone: { p50: '1ms', p99: '0.5ms' } }, propagation: 'soon' },
    });
    const loaded = loadScenarioText(text, 'lat.yaml');
    expect(loaded.scenario).toBeDefined();
    const err = await runText(text, 'lat.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioInputError);
    const lines = (err as ScenarioInputError).diagnostics.map(formatDiagnostic);
    expect(lines).toHaveLength(2); // schema errors first; p99 < p50 is checked once the schema holds
    for (const l of lines) expect(l).toMatch(/^lat\.yaml:\d+:\d+: /);
    expect(lines.join('\n')).toMatch(/unknown field "ztunel"/);
    expect(lines.join('\n')).toMatch(/invalid duration "soon"/);
    const fixed = latencyScenarioText({ manifests: yamlDocs([namespace('client'), curl('client')]), steps: [], latency: { network: { sameZone: { p50: '1ms', p99: '0.5ms' } } } });
    const err2 = (await runText(fixed, 'lat.yaml').catch((e: unknown) => e)) as ScenarioInputError;
    expect(err2.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^lat\.yaml:\d+:\d+: sameZone: p99 \(0\.5ms\) must not be below p50 \(1ms\)$/)]);
  });
});
