/**
 * Route decision cost at a waypoint: ns per routeHttp call on a compiled index, with 1,000 routes
 * on one service and with 10 routes on each of 1,000 services, beside a linear scan over the
 * same compiled matches in precedence order (what a table without an index would do).
 * Budget (DESIGN.md): ≤ 500 ns per route decision.
 */
import seedrandom from 'seedrandom';
import type { HTTPRoute, HTTPRouteRule, Service } from '../../src/k8s/types';
import { compileRoutes, routeHttp, type HttpRequest, type RouteIndex, type RouteTarget } from '../../src/routing';
import { matchAll, type MatchContext } from '../../src/routing/match';
import type { RouteEntry } from '../../src/routing/model';
import { splitPath } from '../../src/routing/query';
import { throughput, type BenchRow, type BenchSuite } from './suite';

const BATCH = 1000;

function svc(ns: string, name: string): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports: [{ port: 80 }] } };
}

/** Rules mixing segment prefixes, exact paths, a header and a method match, as real tables do. */
function rules(n: number, tag: string): HTTPRouteRule[] {
  return Array.from({ length: n }, (_, i) => {
    const value = `/${tag}/r${i}`;
    const path = i % 4 === 3 ? { type: 'Exact' as const, value } : { type: 'PathPrefix' as const, value };
    return {
      matches: [{ path, ...(i % 5 === 0 ? { headers: [{ name: 'x-variant', value: 'b' }] } : {}), ...(i % 7 === 0 ? { method: 'GET' } : {}) }],
      backendRefs: [{ name: 'backend', port: 80, weight: 1 }],
    };
  });
}

function route(ns: string, name: string, parent: string, rs: HTTPRouteRule[]): HTTPRoute {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: ns, creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { parentRefs: [{ group: '', kind: 'Service', name: parent, port: 80 }], rules: rs } };
}

function compile(services: Service[], routes: HTTPRoute[]): RouteIndex {
  return compileRoutes({
    httpRoutes: routes,
    grpcRoutes: [],
    tcpRoutes: [],
    tlsRoutes: [],
    virtualServices: [],
    destinationRules: [],
    services,
    hasWaypoint: () => true,
    rootNamespace: 'istio-system',
    domain: 'cluster.local',
  });
}

interface Workload {
  index: RouteIndex;
  calls: { target: RouteTarget; req: HttpRequest }[];
}

function requests(rng: () => number, pick: () => { target: RouteTarget; tag: string; n: number }): Workload['calls'] {
  return Array.from({ length: BATCH }, () => {
    const { target, tag, n } = pick();
    const i = Math.floor(rng() * n);
    // Mostly hits (with a deeper path under prefixes), some misses.
    const path = rng() < 0.1 ? `/${tag}/missing` : i % 4 === 3 ? `/${tag}/r${i}` : `/${tag}/r${i}/item/42?q=1`;
    const headers: Record<string, string> = rng() < 0.5 ? { 'x-variant': 'b', 'user-agent': 'curl' } : { 'user-agent': 'curl' };
    return { target, req: { method: 'GET', path, authority: target.service, headers } };
  });
}

function oneServiceThousandRoutes(): Workload {
  const rng = seedrandom('routing-bench-1');
  const index = compile([svc('default', 'big'), svc('default', 'backend')], [route('default', 'big', 'big', rules(1000, 'api'))]);
  const target = { namespace: 'default', service: 'big', port: 80 };
  return { index, calls: requests(rng, () => ({ target, tag: 'api', n: 1000 })) };
}

function thousandServicesTenRoutes(): Workload {
  const rng = seedrandom('routing-bench-2');
  const services = [svc('default', 'backend')];
  const routes: HTTPRoute[] = [];
  for (let s = 0; s < 1000; s++) {
    services.push(svc(`ns${s % 50}`, `svc${s}`));
    routes.push(route(`ns${s % 50}`, `r${s}`, `svc${s}`, rules(10, `s${s}`)));
  }
  // Backends live in `default`; cross-namespace references are allowed for mesh routes.
  for (const r of routes) for (const rule of r.spec!.rules!) for (const b of rule.backendRefs!) b.namespace = 'default';
  const index = compile(services, routes);
  return {
    index,
    calls: requests(rng, () => {
      const s = Math.floor(rng() * 1000);
      return { target: { namespace: `ns${s % 50}`, service: `svc${s}`, port: 80 }, tag: `s${s}`, n: 10 };
    }),
  };
}

/** The same compiled entries as one flat list in precedence order, scanned from the top. */
function linearScan(w: Workload): () => number {
  const flat: { key: string; entry: RouteEntry }[] = [];
  for (const [ns, byName] of w.index.http) for (const [name, byPort] of byName) for (const [port, table] of byPort) for (const entry of table.entries) flat.push({ key: `${ns}/${name}:${port}`, entry });
  return () => {
    let hits = 0;
    for (const { target, req } of w.calls) {
      const key = `${target.namespace}/${target.service}:${target.port}`;
      const { path, query } = splitPath(req.path);
      const ctx: MatchContext = { method: req.method, path, query, authority: req.authority, scheme: 'http', headers: req.headers };
      for (const f of flat) {
        if (f.key === key && (f.entry.match === null || matchAll(f.entry.match, ctx))) {
          hits++;
          break;
        }
      }
    }
    return w.calls.length + hits * 0;
  };
}

function indexed(w: Workload): () => number {
  const rng = seedrandom('lb');
  return () => {
    for (const { target, req } of w.calls) routeHttp(w.index, target, req, rng);
    return w.calls.length;
  };
}

const suite: BenchSuite = {
  name: 'routing',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const [label, w] of [
      ['1,000 routes on 1 service', oneServiceThousandRoutes()],
      ['10 routes × 1,000 services', thousandServicesTenRoutes()],
    ] as const) {
      const ops = await throughput([
        { name: 'indexed', fn: indexed(w) },
        { name: 'linear', fn: linearScan(w) },
      ]);
      const ns = 1e9 / ops.get('indexed')!;
      const linearNs = 1e9 / ops.get('linear')!;
      rows.push({
        name: `route decision, ${label}`,
        value: ns,
        unit: 'ns/decision',
        baseline: { name: 'linear scan (matching only)', value: linearNs },
        target: '≤ 500 ns',
        met: ns <= 500,
        note: 'full routeHttp decision (match, weighted pick, headers, explanation) vs first-match linear scan',
      });
    }
    return rows;
  },
};

export default suite;
