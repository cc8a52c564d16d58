// Explaining a request step: its first failing request (or its first), in the world it just ran in.
import type { RequestRecord, StepResult } from '../result/types';
import type { World } from '../run/world';
import { explainRequest } from './explain';
import { meshStateOf } from './flows';
import type { ExplainedRequest } from './types';

const failed = (r: RequestRecord) => r.outcome !== 'response' || (r.status ?? 0) >= 400;

/** The request a step's explanation is about: the first that failed, else the first. */
export function firstToExplain(result: StepResult): RequestRecord | undefined {
  const list = result.requests ?? [];
  return list.find(failed) ?? list[0];
}

/**
 * The walkthrough of a request step's first failing (or first) request. Call it right after the
 * step ran, before any later step changes the world. `headers` are the step's request headers.
 */
export function explainStep(world: World, result: StepResult, headers: Record<string, string> = {}): ExplainedRequest | undefined {
  const request = firstToExplain(result);
  if (!request) return undefined;
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return { request, explain: explainRequest(request, meshStateOf(world), { headers: lower }) };
}
