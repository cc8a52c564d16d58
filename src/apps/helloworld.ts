// Istio's helloworld sample: GET /hello on 5000 answers with its version (SERVICE_VERSION or the image tag) and pod name.
import type { App, AppHost } from './types';

export function helloworld(version: string, ports: number[], host: AppHost): App {
  const listening = new Set(ports);
  return {
    model: 'helloworld',
    listens: (p) => listening.has(p),
    handle(req) {
      if (req.path === '/hello' || req.path.startsWith('/hello?')) {
        return { status: 200, body: `Hello version: ${version}, instance: ${host.podName}\n`, headers: { 'content-type': 'text/html; charset=utf-8' } };
      }
      return { status: 404, body: '<!doctype html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n', headers: { 'content-type': 'text/html; charset=utf-8' } };
    },
  };
}
