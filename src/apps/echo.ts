// Istio's test echo app (pkg/test/echo/server/endpoint/http.go): answers with key=value lines
// describing the request, in that handler's order. Cluster and IstioVersion are written only when
// set (neither is here); the headers are Go's: canonical names, sorted, and no Host (Go's server
// moves it to the request's Host, which the Host= line shows).
import { canonicalHeaderName } from './header-names';
import type { App, AppHost } from './types';

export function istioEcho(version: string, ports: number[], host: AppHost): App {
  const listening = new Set(ports);
  return {
    model: 'echo',
    listens: (p) => listening.size === 0 || listening.has(p),
    handle(req) {
      const headers = Object.keys(req.headers)
        .filter((k) => k.toLowerCase() !== 'host')
        .map((k) => [canonicalHeaderName(k.toLowerCase()), req.headers[k]!] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const lines = [
        `ServiceVersion=${version}`,
        `ServicePort=${req.port}`,
        `Host=${req.authority}`,
        `URL=${req.path}`,
        `Method=${req.method}`,
        `Proto=HTTP/1.1`,
        `IP=${req.sourceIp}`,
        ...headers.map(([k, v]) => `RequestHeader=${k}:${v}`),
        `Hostname=${host.podName}`,
      ];
      return { status: 200, body: `${lines.join('\n')}\n`, headers: { 'content-type': 'text/plain' } };
    },
  };
}
