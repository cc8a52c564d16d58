// The route table's index and the shared parts of decisions must be invisible: the first match is
// the one a scan in table order finds, whatever the keys' lengths and hashes, and a decision made
// from an entry's precomputed parts is the one the full evaluation makes, drawing the same numbers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HTTPRouteMatch, HTTPRouteRule } from '../../src/k8s/types';
import { routeHttp, type HttpRequest, type RouteIndex, type RouteTarget } from '../../src/routing';
import { httpTable } from '../../src/routing/compile';
import { matchAll, type MatchContext } from '../../src/routing/match';
import { splitPath } from '../../src/routing/query';
import { act } from '../../src/routing/route-http';
import { pathKeySlot, RouteTable, type PathKeys } from '../../src/routing/table';
import { destinationRule, httpRoute, meshIndex, MESH, CONSUMER, service, svcParent } from './fixtures';

function context(req: HttpRequest): MatchContext {
  const { path, query } = splitPath(req.path);
  return { method: req.method, path, query, authority: req.authority, scheme: 'http', headers: req.headers };
}

/** What a table without an index does: the first entry, in order, whose match holds. */
function scanFirst(table: RouteTable, ctx: MatchContext): number {
  return table.entries.findIndex((e) => e.match === null || matchAll(e.match, ctx));
}

function tableOf(index: RouteIndex, ns: string, name: string, port: number): RouteTable {
  const t = index.http.get(ns)?.get(name)?.get(port);
  if (!t) throw new Error(`no table for ${ns}/${name}:${port}`);
  return t;
}

function req(path: string, headers: Record<string, string> = {}, method = 'GET'): HttpRequest {
  return { method, path, authority: 'echo', headers };
}

/** A uniform source that counts its draws. */
function counting(): { rng: () => number; draws: () => number } {
  let n = 0;
  let x = 0.137;
  return {
    rng: () => {
      n++;
      x = (x * 9301 + 0.49297) % 1;
      return x;
    },
    draws: () => n,
  };
}

// ---------------------------------------------------------------- the index against a scan

const LONG = 'a-segment-long-enough-to-pass-thirty-one-characters';
const segment = fc.constantFrom('a', 'b', 'ab', LONG);
const pathArb = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`);
const matchArb: fc.Arbitrary<HTTPRouteMatch> = fc.record(
  {
    path: fc.oneof(
      fc.record({ type: fc.constantFrom('Exact' as const, 'PathPrefix' as const), value: pathArb }),
      fc.record({ type: fc.constant('RegularExpression' as const), value: pathArb.map((p) => `${p}.*`) }),
    ),
    headers: fc.array(fc.record({ name: fc.constantFrom('x-a'), value: fc.constantFrom('1', '2') }), { maxLength: 1 }),
    method: fc.constantFrom('GET', 'POST'),
  },
  { requiredKeys: ['path'] },
);
const rulesArb = fc.array(fc.record({ matches: fc.array(matchArb, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 12 });
const requestArb = fc.record({
  path: fc.tuple(pathArb, fc.constantFrom('', '/', '/x', '?q=1', '/x?q=1')).map(([p, tail]) => p + tail),
  headers: fc.constantFrom<Record<string, string>>({}, { 'x-a': '1' }, { 'x-a': '2' }),
  method: fc.constantFrom('GET', 'POST'),
});

describe('route table index', () => {
  it('finds the first match a scan in table order finds (short and long keys, duplicates, regex, conditions, queries)', () => {
    fc.assert(
      fc.property(rulesArb, rulesArb, fc.array(requestArb, { minLength: 1, maxLength: 8 }), (rulesA, rulesB, requests) => {
        const to = (rules: { matches: HTTPRouteMatch[] }[]): HTTPRouteRule[] => rules.map((r) => ({ ...r, backendRefs: [{ name: 'echo-v1', port: 8080 }] }));
        // Two services with overlapping keys: their tables share one key map.
        const index = meshIndex({ httpRoutes: [httpRoute('a', [svcParent('echo', 80)], to(rulesA)), httpRoute('b', [svcParent('echo-v2', 80)], to(rulesB))] });
        for (const name of ['echo', 'echo-v2']) {
          const table = tableOf(index, MESH, name, 80);
          for (const r of requests) {
            const ctx = context(req(r.path, r.headers, r.method));
            expect(table.firstMatch(ctx)).toBe(scanFirst(table, ctx));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tells apart keys filed under the same hash', () => {
    // Two paths of equal length whose hashes collide under the table's seed.
    const seed = new RouteTable([], MESH, 'x', 80).seed;
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const key = `/k${i.toString(36).padStart(5, '0')}`;
      const other = seen.get(pathKeySlot(seed, key));
      if (other !== undefined) pair = [other, key];
      else seen.set(pathKeySlot(seed, key), key);
    }
    const [k1, k2] = pair;
    expect(pathKeySlot(seed, k1)).toBe(pathKeySlot(seed, k2));
    const index = meshIndex({
      httpRoutes: [
        httpRoute('r', [svcParent('echo', 80)], [
          { matches: [{ path: { type: 'PathPrefix', value: k1 } }], backendRefs: [{ name: 'echo-v1', port: 8080 }] },
          { matches: [{ path: { type: 'Exact', value: k2 } }], backendRefs: [{ name: 'echo-v2', port: 8080 }] },
        ]),
      ],
    });
    const compiled = tableOf(index, MESH, 'echo', 80);
    // The same entries in a table with seed 0, the one the collision was found for.
    const table = new RouteTable(compiled.entries, MESH, 'echo', 80, new Map() as PathKeys, 0);
    const backendOf = (path: string): string => {
      const i = table.firstMatch(context(req(path)));
      const a = i < 0 ? null : table.entries[i]!.route.action;
      return a?.kind === 'forward' ? a.backends[0]!.target!.name : '404';
    };
    expect([backendOf(k1), backendOf(`${k1}/more`), backendOf(k2), backendOf(`${k2}/more`)]).toEqual(['echo-v1', 'echo-v1', 'echo-v2', '404']);
  });

  it.each<[string, string, string, number, string]>([
    ['same name, other namespace', CONSUMER, 'echo-v1', 8080, 'echo-v2'],
    ['same name, other port', MESH, 'echo-v1', 9090, 'echo'],
    ['same name and port, first namespace', MESH, 'echo-v1', 8080, 'echo'],
    ['no route on that port: the default route', MESH, 'echo-v1', 80, 'echo-v1'],
  ])('finds the service port by name, namespace and port: %s', (_, ns, name, port, want) => {
    const index = meshIndex({
      httpRoutes: [
        httpRoute('to-echo', [svcParent('echo-v1', 8080), svcParent('echo-v1', 9090)], [{ backendRefs: [{ name: 'echo', port: 8080 }] }]),
        httpRoute('consumer', [svcParent('echo-v1', 8080, CONSUMER)], [{ backendRefs: [{ name: 'echo-v2', port: 8080, namespace: MESH }] }], { ns: CONSUMER }),
      ],
    });
    expect(httpTable(index, ns, name, port)).toBe(index.http.get(ns)?.get(name)?.get(port));
    const d = routeHttp(index, { namespace: ns, service: name, port }, req('/'), () => 0);
    expect(d.type === 'forward' ? d.backend.name : d.type).toBe(want);
  });
});

// ---------------------------------------------------------------- shared parts of decisions

const rules: HTTPRouteRule[] = [
  { matches: [{ path: { type: 'PathPrefix', value: '/plain' } }], backendRefs: [{ name: 'echo-v1', port: 8080 }] },
  { matches: [{ path: { type: 'PathPrefix', value: '/hashed' } }], backendRefs: [{ name: 'echo', port: 8080 }] },
  { matches: [{ path: { type: 'PathPrefix', value: '/split' } }], backendRefs: [{ name: 'echo-v1', port: 8080, weight: 1 }, { name: 'echo-v2', port: 8080, weight: 3 }] },
  {
    matches: [{ path: { type: 'PathPrefix', value: '/headers' } }],
    filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-set', value: '1' }] } }],
    backendRefs: [{ name: 'echo-v1', port: 8080 }],
  },
  { matches: [{ path: { type: 'PathPrefix', value: '/rewrite' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }], backendRefs: [{ name: 'echo-v1', port: 8080 }] },
  { matches: [{ path: { type: 'PathPrefix', value: '/missing' } }], backendRefs: [{ name: 'nowhere', port: 8080 }] },
];

describe('decisions of plain forwards', () => {
  const index = meshIndex({
    services: [service(MESH, 'echo', [80, 8080]), service(MESH, 'echo-v1', [8080]), service(MESH, 'echo-v2', [8080])],
    httpRoutes: [httpRoute('mix', [svcParent('echo', 80)], rules)],
    destinationRules: [destinationRule('hash', { host: `echo.${MESH}.svc.cluster.local`, trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } } })],
  });
  const target: RouteTarget = { namespace: MESH, service: 'echo', port: 80 };
  const table = tableOf(index, MESH, 'echo', 80);

  it.each<[string, string, number]>([
    ['/plain/a?x=1', 'forward', 0],
    ['/hashed', 'forward alice', 0],
    ['/split/x', 'forward', 1],
    ['/headers', 'forward', 0],
    ['/rewrite/deep?q=2', 'forward', 0],
    ['/missing', 'invalid-backend', 0],
    ['/none', 'no-route', 0],
  ])('%s: same result and draws as the full evaluation', (path, kind, draws) => {
    const r = req(path, { 'x-user': 'alice' });
    const fast = counting();
    const full = counting();
    const d = routeHttp(index, target, r, fast.rng, { at: 'waypoint mesh/wp' });
    const i = table.firstMatch(context(r));
    const want = i < 0 ? null : act(index, table.entries[i]!, target, context(r), r, full.rng, 'waypoint mesh/wp');
    if (want) expect(JSON.stringify(d)).toBe(JSON.stringify(want));
    expect(`${d.type}${d.type === 'forward' && d.hashKey ? ` ${d.hashKey}` : ''}`).toBe(kind);
    expect([fast.draws(), full.draws()]).toEqual([draws, want ? draws : 0]);
  });

  it('shares the frozen matched decision between results, per deciding proxy', () => {
    const r = req('/plain');
    const a = routeHttp(index, target, r, () => 0, { at: 'waypoint a' });
    const b = routeHttp(index, target, req('/plain/b'), () => 0, { at: 'waypoint a' });
    const c = routeHttp(index, target, r, () => 0, { at: 'waypoint c' });
    expect(a).not.toBe(b);
    expect(a.decisions).not.toBe(b.decisions);
    expect(a.decisions[0]).toBe(b.decisions[0]);
    expect(Object.isFrozen(a.decisions[0])).toBe(true);
    expect(c.decisions[0]!.at).toBe('waypoint c');
    expect(a.type === 'forward' && a.requestHeaders).toBe(r.headers);
    expect(a.type === 'forward' && a.path).toBe('/plain');
  });

  it('explains with the same decision it forwards with', () => {
    const r = req('/plain/x');
    const plain = routeHttp(index, target, r, () => 0);
    const explained = routeHttp(index, target, r, () => 0, { explain: true });
    expect(explained.decisions.at(-1)).toEqual(plain.decisions[0]);
    expect({ ...explained, decisions: [] }).toEqual({ ...plain, decisions: [] });
  });
});
