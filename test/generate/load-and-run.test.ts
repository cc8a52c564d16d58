// A generated folder is a scenario like any other: it loads with no diagnostics at all, and it
// runs with every expectation holding — through waypoints, L4 and L7 policies, routes and, with
// several clusters, east-west gateways.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerateInput } from '../../src/generate';
import type { RequestSummary, StepResult } from '../../src/result/types';
import { cidrText } from '../../src/cluster/ip';
import { runScenario } from '../../src/run';
import { formatDiagnostic, loadScenarios } from '../../src/scenario';
import { generateInto } from './helpers';

const rows: { id: string; input: GenerateInput; via: string[][] }[] = [
  {
    id: '50 pods, 10 services, waypoints on half the namespaces, policies and routes',
    input: { seed: 3, pods: 50, services: 10, namespaces: 4, fanOut: 1, depth: 1, waypointFraction: 0.5, policiesPerService: 3, routesPerService: 2, rps: 50, durationMs: 2000 },
    via: [['ztunnel', 'ztunnel'], ['ztunnel', 'waypoint', 'ztunnel']],
  },
  {
    id: 'two clusters on two networks',
    input: { seed: 5, clusters: 2, pods: 40, services: 12, namespaces: 4, fanOut: 1, depth: 2, waypointFraction: 0.5, policiesPerService: 2, routesPerService: 1, rps: 40, durationMs: 2000 },
    via: [['ztunnel', 'eastwest-gateway', 'ztunnel'], ['ztunnel', 'waypoint', 'eastwest-gateway', 'ztunnel']],
  },
  {
    id: 'everything inlined into one scenario file',
    input: { seed: 7, pods: 30, services: 10, fanOut: 0, waypointFraction: 1, policiesPerService: 2, routesPerService: 2, singleFile: true, rps: 20, durationMs: 1000 },
    via: [['ztunnel', 'waypoint', 'ztunnel']],
  },
];

function requestSteps(steps: StepResult[]): StepResult[] {
  return steps.flatMap((s) => (s.type === 'request' ? [s] : requestSteps(s.steps ?? [])));
}

describe('a generated scenario loads and runs', () => {
  it.each(rows)('$id', async ({ input, via }) => {
    const dir = generateInto(input);
    const loaded = loadScenarios(dir);
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(loaded.scenarios).toHaveLength(1);
    const result = await runScenario(loaded.scenarios[0]!);
    const requests = requestSteps(result.steps);
    expect(requests.flatMap((s) => s.failures)).toEqual([]);
    expect(result.passed).toBe(true);
    const summaries = requests.map((s) => s.summary as RequestSummary);
    expect(summaries.every((s) => s.count > 0 && s.statuses['200'] === s.count)).toBe(true);
    // The traffic took the paths the topology promises: waypoints, and other networks when there are several.
    const seen = new Set(summaries.flatMap((s) => s.paths.map((p) => p.via.join(' > '))));
    for (const v of via) expect(seen).toContain(v.join(' > '));
  });
});

describe('a generated cluster of more than 256 nodes', () => {
  it('gets a /13 pod subnet of its own and runs with every request answered', async () => {
    const dir = generateInto({ seed: 9, clusters: 2, pods: 40, services: 10, zones: 2, nodesPerZone: 150, fanOut: 1, depth: 1, rps: 20, durationMs: 1000 });
    const loaded = loadScenarios(dir);
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
    const scenario = loaded.scenarios[0]!;
    expect(scenario.clusters.map((c) => [c.nodes.length, c.podSubnet && cidrText(c.podSubnet)])).toEqual([
      [300, '10.128.0.0/13'],
      [300, '10.136.0.0/13'],
    ]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('| pod subnets | cluster-1: 10.128.0.0/13, cluster-2: 10.136.0.0/13 (`podSubnet`: the default /16 holds 256 nodes) |');
    const result = await runScenario(scenario);
    expect(result.passed).toBe(true);
    const summaries = requestSteps(result.steps).map((s) => s.summary as RequestSummary);
    expect(summaries.every((s) => s.count > 0 && s.statuses['200'] === s.count)).toBe(true);
  });
});
