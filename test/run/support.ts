// Scenario text with the parts these tests need beyond test/helpers (a `spec.latency` section).
import { parse, stringify } from 'yaml';
import type { RunResult } from '../../src/result/types';
import { runText, scenarioText, type ScenarioParts } from '../helpers/run-scenario';

export interface LatencyParts extends ScenarioParts {
  latency?: Record<string, unknown>;
}

export function latencyScenarioText(p: LatencyParts): string {
  const doc = parse(scenarioText(p)) as { spec: Record<string, unknown> };
  if (p.latency) doc.spec.latency = p.latency;
  return stringify(doc, { lineWidth: 0 });
}

export function runWithLatency(p: LatencyParts, file?: string): Promise<RunResult> {
  return runText(latencyScenarioText(p), file);
}

/** Two nodes in one zone: a waypoint pod then always shares a node with one end of the call. */
export const TWO_NODES = [{ name: 'cluster-1', nodes: [{ name: 'node-1' }, { name: 'node-2' }] }];
