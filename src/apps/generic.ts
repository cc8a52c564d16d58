// Images meshsim does not know: they answer 200 with a short body naming the pod, on their declared
// container ports (or any port when none are declared). Client-only images (curl, sleep) listen nowhere.
import type { App, AppHost, AppResponse } from './types';

export function genericApp(ports: number[], host: AppHost): App {
  return new GenericApp(ports, host);
}

/**
 * A class, not an object of closures: every pod of a mesh gets one, and the data plane's calls to
 * `listens` and `handle` then reach one method rather than thousands of closures.
 */
class GenericApp implements App {
  readonly model = 'generic';
  private readonly listening: Set<number>;
  /** The body naming the pod, made on the first request (strings are immutable: every answer shares it). */
  private body: string | undefined = undefined;

  constructor(
    ports: number[],
    private readonly host: AppHost,
  ) {
    this.listening = new Set(ports);
  }

  listens(p: number): boolean {
    return this.listening.size === 0 || this.listening.has(p);
  }

  handle(): AppResponse {
    return { status: 200, body: (this.body ??= `${this.host.podName}\n`), headers: { 'content-type': 'text/plain' } };
  }
}

export function clientOnly(model: string): App {
  return {
    model,
    callsOnly: true,
    listens: () => false,
    handle: () => ({ status: 503, body: '', headers: {} }),
  };
}
