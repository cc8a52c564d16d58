// Istio's test echo app (pkg/test/echo): answers with key=value lines describing the request.
import type { App, AppHost } from './types';

export function istioEcho(version: string, ports: number[], host: AppHost): App {
  const listening = new Set(ports);
  return {
    model: 'echo',
    listens: (p) => listening.size === 0 || listening.has(p),
    handle(req) {
      const lines = [
        `ServiceVersion=${version}`,
        `ServicePort=${req.port}`,
        `Host=${req.authority}`,
        `URL=${req.path}`,
        `Cluster=`,
        `IstioVersion=`,
        `Method=${req.method}`,
        `Proto=HTTP/1.1`,
        `IP=${req.sourceIp}`,
        ...Object.keys(req.headers)
          .sort()
          .map((k) => `RequestHeader=${k}:${req.headers[k]}`),
        `Hostname=${host.podName}`,
      ];
      return { status: 200, body: `${lines.join('\n')}\n`, headers: { 'content-type': 'text/plain' } };
    },
  };
}
