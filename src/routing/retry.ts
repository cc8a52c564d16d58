// Retry policies as Istio emits them (pilot route/retry/retry.go and the Gateway API conversion).
import type { HTTPRouteRule, VSHTTPRoute } from '../k8s/types';
import { parseDurationMs } from './duration';
import type { RetryPolicy } from './types';

const DEFAULT_CONDITIONS = Object.freeze(['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes']);
const DEFAULT_BACKOFF_MS = 25;

/** Applied when a route has no retry stanza: 2 retries on connection-level failures, no status codes. */
export const MESH_DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 2,
  retryOn: DEFAULT_CONDITIONS as string[],
  statusCodes: [],
  backoffBaseMs: DEFAULT_BACKOFF_MS,
  backoffMaxMs: DEFAULT_BACKOFF_MS * 10,
});

function withBackoff(p: Omit<RetryPolicy, 'backoffMaxMs'>): RetryPolicy {
  return { ...p, backoffMaxMs: p.backoffBaseMs * 10 };
}

/** HTTPRoute `retry`: connection errors plus the listed codes; attempts default 2; 0 disables. */
export function gatewayRetry(r: HTTPRouteRule['retry']): RetryPolicy | null {
  if (!r) return MESH_DEFAULT_RETRY;
  const attempts = r.attempts ?? 2;
  if (attempts <= 0) return null;
  return withBackoff({
    attempts,
    retryOn: [...DEFAULT_CONDITIONS],
    statusCodes: [...(r.codes ?? [])],
    backoffBaseMs: parseDurationMs(r.backoff) || DEFAULT_BACKOFF_MS,
  });
}

/** VirtualService `retries`: absent ⇒ mesh default; attempts ≤ 0 (or unset) disables. */
export function virtualServiceRetry(r: (VSHTTPRoute['retries'] & { backoff?: string }) | undefined): RetryPolicy | null {
  if (!r) return MESH_DEFAULT_RETRY;
  const attempts = r.attempts ?? 0;
  if (attempts <= 0) return null;
  let retryOn: string[] = [...DEFAULT_CONDITIONS];
  let statusCodes: number[] = [];
  if (r.retryOn) {
    retryOn = [];
    for (const part of r.retryOn.split(',').map((s) => s.trim()).filter(Boolean)) {
      const code = /^\d+$/.test(part) ? Number(part) : NaN;
      if (code >= 100 && code <= 599) statusCodes.push(code);
      else retryOn.push(part);
    }
    if (statusCodes.length > 0 && !retryOn.includes('retriable-status-codes')) retryOn.push('retriable-status-codes');
  }
  const perTry = parseDurationMs(r.perTryTimeout);
  return withBackoff({
    attempts,
    retryOn,
    statusCodes,
    ...(perTry ? { perTryTimeoutMs: perTry } : {}),
    backoffBaseMs: parseDurationMs(r.backoff) || DEFAULT_BACKOFF_MS,
  });
}
