// httpbin (Istio's sample uses go-httpbin on 8080; the classic image listens on 80).
import { canonicalHeaderName } from './header-names';
import type { App, AppHost, AppRequest, AppResponse } from './types';

const JSON_HEADERS = { 'content-type': 'application/json; encoding=utf-8' };

function headersObject(req: AppRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of Object.keys(req.headers).sort()) out[canonicalHeaderName(k)] = [req.headers[k]!];
  if (!out.Host) out.Host = [req.authority];
  return out;
}

function splitQuery(path: string): { pathname: string; args: Record<string, string[]> } {
  const q = path.indexOf('?');
  const pathname = q < 0 ? path : path.slice(0, q);
  const args: Record<string, string[]> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(path.slice(q + 1))) (args[k] ??= []).push(v);
  }
  return { pathname, args };
}

function json(status: number, value: unknown, delayMs?: number): AppResponse {
  return { status, body: `${JSON.stringify(value, null, 2)}\n`, headers: { ...JSON_HEADERS }, delayMs };
}

export function httpbin(ports: number[], host: AppHost): App {
  const listening = new Set(ports);
  return {
    model: 'httpbin',
    listens: (p) => listening.has(p),
    handle(req) {
      const { pathname, args } = splitQuery(req.path);
      const url = `http://${req.authority}${req.path}`;
      const echo = { args, headers: headersObject(req), origin: req.sourceIp, url };
      const status = /^\/status\/(\d{3})/.exec(pathname);
      if (status) return { status: Number(status[1]), body: '', headers: { 'content-type': 'text/plain; charset=utf-8' } };
      const delay = /^\/delay\/(\d+(?:\.\d+)?)/.exec(pathname);
      if (delay) return json(200, echo, Math.min(Number(delay[1]), 10) * 1000);
      switch (pathname) {
        case '/get':
          return req.method === 'GET' || req.method === 'HEAD' ? json(200, echo) : json(405, { error: 'method not allowed' });
        case '/headers':
          return json(200, { headers: echo.headers });
        case '/ip':
          return json(200, { origin: req.sourceIp });
        case '/user-agent':
          return json(200, { 'user-agent': req.headers['user-agent'] ?? '' });
        case '/hostname':
          return json(200, { hostname: host.podName });
        case '/':
          return { status: 200, body: '<!DOCTYPE html>\n<html><head><title>go-httpbin</title></head><body>httpbin</body></html>\n', headers: { 'content-type': 'text/html; charset=utf-8' } };
        default:
          if (pathname === '/anything' || pathname.startsWith('/anything/')) return json(200, { ...echo, method: req.method, data: req.body ?? '' });
          for (const m of ['post', 'put', 'patch', 'delete']) {
            if (pathname === `/${m}`) return req.method === m.toUpperCase() ? json(200, { ...echo, data: req.body ?? '' }) : json(405, { error: 'method not allowed' });
          }
          return { status: 404, body: '404 page not found\n', headers: { 'content-type': 'text/plain; charset=utf-8' } };
      }
    },
  };
}
