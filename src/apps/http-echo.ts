// hashicorp/http-echo: answers every path with its -text (plus a newline) on -listen (default :5678).
import { flagValue, portOfListen } from './args';
import type { App, AppResponse } from './types';

export function httpEcho(args: readonly string[]): App {
  const text = flagValue(args, 'text') ?? '';
  const port = portOfListen(flagValue(args, 'listen')) ?? 5678;
  const status = Number(flagValue(args, 'status-code') ?? 200) || 200;
  const response: AppResponse = {
    status,
    body: `${text}\n`,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-app-name': 'http-echo', 'x-app-version': '1.0.0' },
  };
  return {
    model: 'http-echo',
    listens: (p) => p === port,
    handle: () => ({ ...response, headers: { ...response.headers } }),
  };
}
