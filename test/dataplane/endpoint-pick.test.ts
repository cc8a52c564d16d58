// pickEndpoint counts the best-ranked endpoints and walks to the chosen one instead of listing
// them: for any endpoints, health, ports, subsets, locality modes, exclusions and capacities it
// must pick what choosing from the list of the best would, with the same random draws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickIndex, pickWeighted } from '../../sim/choice';
import type { LoadBalancingMode, Locality, LocalityLevel, ServiceEndpoint, ServiceInfo, WorkloadInfo } from '../../src/control/model';
import { pickEndpoint, type LbClient } from '../../src/dataplane/load-balance';

const LEVELS: LocalityLevel[] = ['network', 'region', 'zone', 'subzone', 'node'];

function locality(region: string, zone: string): Locality {
  return { region, zone, subzone: '' };
}

const endpointArb = fc.record({
  healthy: fc.boolean(),
  port: fc.constantFrom(80, 8080),
  network: fc.constantFrom('n1', 'n2'),
  region: fc.constantFrom('r1', 'r2', 'r3'),
  zone: fc.constantFrom('z1', 'z2'),
  node: fc.constantFrom('a', 'b', 'c'),
  version: fc.constantFrom('v1', 'v2'),
  capacity: fc.option(fc.constantFrom(1, 2, 5), { nil: undefined }),
  excluded: fc.boolean(),
});

const modeArb: fc.Arbitrary<LoadBalancingMode> = fc.oneof(
  fc.constant<LoadBalancingMode>({ mode: 'any' }),
  fc.record({
    mode: fc.constantFrom<'failover' | 'strict'>('failover', 'strict'),
    preferences: fc.subarray(LEVELS, { minLength: 1 }),
    regionFailover: fc.option(fc.constant([{ from: 'r1', to: 'r2' }]), { nil: undefined }),
  }),
);

/** The choice made from an explicit list of the best-ranked endpoints, as pickEndpoint once did. */
function fromList(svc: ServiceInfo, port: number, client: LbClient, rng: () => number, subset: Record<string, string> | undefined, mode: LoadBalancingMode, exclude: ReadonlySet<WorkloadInfo>): ServiceEndpoint | undefined {
  const rankOf = (ep: ServiceEndpoint): number | undefined => {
    const w = ep.workload;
    if (!(w.healthy || svc.includeUnhealthy) || !ep.targetPorts.has(port)) return undefined;
    if (subset) for (const k in subset) if (w.labels[k] !== subset[k]) return undefined;
    if (exclude.has(w)) return undefined;
    if (mode.mode === 'any') return 0;
    const match = (p: LocalityLevel): boolean =>
      p === 'network' ? w.network === client.network : p === 'node' ? w.node === client.node : w.locality[p] === client.locality[p];
    if (mode.mode === 'strict' && !mode.preferences.every(match)) return undefined;
    const rule = mode.regionFailover?.find((f) => f.from === client.locality.region);
    if (rule && w.locality.region !== client.locality.region && w.locality.region !== rule.to) return -1;
    let r = 0;
    for (let i = 0; i < mode.preferences.length; i++) {
      const p = mode.preferences[i]!;
      if (p === 'network' && i === 0) {
        if (match(p)) r += mode.preferences.length;
        continue;
      }
      if (!match(p)) break;
      r++;
    }
    return r;
  };
  let best: ServiceEndpoint[] = [];
  let bestRank = -1;
  for (const ep of svc.endpoints) {
    const r = rankOf(ep);
    if (r === undefined) continue;
    if (r > bestRank) {
      bestRank = r;
      best = [ep];
    } else if (r === bestRank) best.push(ep);
  }
  if (best.length === 0) return undefined;
  if (best.some((e) => (e.capacity ?? 1) !== 1)) {
    let total = 0;
    for (const e of best) total += e.capacity ?? 1;
    return best[pickWeighted(rng, best.length, total, (i) => best[i]!.capacity ?? 1)];
  }
  return best[pickIndex(rng, best.length)];
}

/** The same sequence of uniform draws, each time it is asked for. */
function draws(values: number[]): () => () => number {
  return () => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };
}

describe('pickEndpoint', () => {
  it('picks what choosing from the list of the best-ranked endpoints picks, with the same draws', () => {
    fc.assert(
      fc.property(
        fc.array(endpointArb, { maxLength: 12 }),
        modeArb,
        fc.boolean(),
        fc.option(fc.constant({ version: 'v1' }), { nil: undefined }),
        fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (specs, mode, includeUnhealthy, subset, values) => {
          const endpoints: ServiceEndpoint[] = specs.map((e, i) => ({
            workload: { name: `p${i}`, healthy: e.healthy, network: e.network, node: e.node, locality: locality(e.region, e.zone), labels: { version: e.version } } as unknown as WorkloadInfo,
            targetPorts: new Map([[e.port, e.port]]),
            ...(e.capacity === undefined ? {} : { capacity: e.capacity }),
          }));
          const exclude = new Set(endpoints.filter((_, i) => specs[i]!.excluded).map((ep) => ep.workload));
          const svc = { endpoints, includeUnhealthy, loadBalancing: mode } as unknown as ServiceInfo;
          const client: LbClient = { network: 'n1', node: 'a', locality: locality('r1', 'z1') };
          const rng = draws(values);
          const a = rng();
          const b = rng();
          const picked = pickEndpoint(svc, 80, client, a, subset, mode, undefined, exclude);
          const expected = fromList(svc, 80, client, b, subset, mode, exclude);
          expect(picked?.endpoint).toBe(expected);
          // The same number of draws taken: the next one is the same on both sides.
          expect(a()).toBe(b());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
