// Trace and span ids derived from what identifies a request in a run, so that the same run always
// exports the same ids. SHA-256 spreads them evenly; an all-zero id (invalid in OTLP) is nudged.
import { createHash } from 'node:crypto';

function hexId(parts: readonly (string | number)[], hexChars: number): string {
  const id = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, hexChars);
  return /^0+$/.test(id) ? `${id.slice(0, -1)}1` : id;
}

/** 32 hex characters (16 bytes). */
export function traceIdOf(scenario: string, seed: number, stepPath: string, requestId: number): string {
  return hexId(['trace', scenario, seed, stepPath, requestId], 32);
}

/** 16 hex characters (8 bytes), unique within the trace by `spanPath`. */
export function spanIdOf(traceId: string, spanPath: string): string {
  return hexId(['span', traceId, spanPath], 16);
}
