// Images meshsim does not know: they answer 200 with a short body naming the pod, on their declared
// container ports (or any port when none are declared). Client-only images (curl, sleep) listen nowhere.
import type { App, AppHost } from './types';

export function genericApp(ports: number[], host: AppHost): App {
  const listening = new Set(ports);
  return {
    model: 'generic',
    listens: (p) => listening.size === 0 || listening.has(p),
    handle: () => ({ status: 200, body: `${host.podName}\n`, headers: { 'content-type': 'text/plain' } }),
  };
}

export function clientOnly(model: string): App {
  return {
    model,
    callsOnly: true,
    listens: () => false,
    handle: () => ({ status: 503, body: '', headers: {} }),
  };
}
