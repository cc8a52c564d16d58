// A waypoint with one replica is a station with c = 2 workers: driven harder, its queue grows as
// M/M/c predicts, and past capacity throughput caps at c·μ (per pass; two passes per request).
import { describe, expect, it } from 'vitest';
import { curl, echo, namespace, service, waypoint, yamlDocs } from '../helpers/manifests';
import { runWithLatency } from './support';

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };
const WORKERS = 2;
const SERVICE_MS = 1; // exponential CPU per waypoint pass
const TINY = '1us';

/** Everything but the waypoint costs ~nothing, so the request's time is the waypoint's two passes. */
const LATENCY = {
  network: { sameNode: TINY, sameZone: TINY, crossZone: TINY },
  proxies: { ztunnel: { cpu: TINY, handoff: 0 }, waypoint: { workers: WORKERS, cpu: { mean: `${SERVICE_MS}ms` }, handoff: 0 } },
  hbone: { setup: TINY },
  apps: { default: TINY },
};

const MANIFESTS = yamlDocs([
  namespace('client', AMBIENT),
  namespace('server', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }),
  curl('client', 'curl', { node: 'node-1' }),
  echo('server', 'echo', 'ok', { node: 'node-2' }),
  service('server', 'echo'),
  waypoint('server'),
]);

async function drive(rps: number, count: number) {
  const result = await runWithLatency({
    manifests: MANIFESTS,
    latency: LATENCY,
    steps: [{ name: 'load', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count, rate: `${rps}/s` }, expect: { via: ['ztunnel', 'waypoint', 'ztunnel'] } }],
  });
  expect(result.steps[0]!.failures).toEqual([]);
  return result.steps[0]!.summary!;
}

/** Erlang C: the probability that an arrival waits, M/M/c with offered load a = λ/μ. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

/** Mean time in an M/M/c station (wait + service), ms. */
function mmcSojournMs(passesPerSecond: number): number {
  const mu = 1000 / SERVICE_MS;
  const a = passesPerSecond / mu;
  return (erlangC(WORKERS, a) / (WORKERS * mu - passesPerSecond)) * 1000 + SERVICE_MS;
}

describe('queueing at a waypoint replica', () => {
  const rows = [300, 600, 800];
  it.each(rows)('at %i rps the mean latency is within a tenth of two M/M/2 passes', async (rps) => {
    const s = await drive(rps, 20_000);
    const predicted = 2 * mmcSojournMs(2 * rps);
    expect(Math.abs(s.latencyMs.mean! - predicted) / predicted).toBeLessThan(0.1);
  });

  it('latency grows with load, and past capacity throughput caps at c·μ / 2 passes = 1000 rps', async () => {
    const means: number[] = [];
    for (const rps of [300, 600, 800, 900]) means.push((await drive(rps, 5000)).latencyMs.mean!);
    for (let i = 1; i < means.length; i++) expect(means[i]!).toBeGreaterThan(means[i - 1]!);
    const over = await drive(1500, 15_000);
    const capacity = (WORKERS * (1000 / SERVICE_MS)) / 2;
    expect(Math.abs(over.throughputRps! - capacity) / capacity).toBeLessThan(0.1);
    expect(over.latencyMs.max).toBeGreaterThan(1000); // the backlog: 15,000 arrivals in 10 s, served at 1,000/s
  });
});
