// Precedence across rules and routes attached to one service port (Istio sortHTTPRoutes + the
// spec's tie-breaks), and a property test against a plain evaluator of those rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HTTPRouteMatch, HTTPRouteRule } from '../../src/k8s/types';
import type { ForwardDecision } from '../../src/routing';
import { httpRoute, meshIndex, outcome, send, svcParent } from './fixtures';

const to = (name: string) => [{ name, port: 8080 }];

describe('precedence (Istio order: Exact > Prefix (longer first) > Regex > none; then method, headers, query; then age, name)', () => {
  const index = meshIndex({
    httpRoutes: [
      httpRoute('old', [svcParent('echo', 80)], [
        { matches: [{ path: { type: 'RegularExpression', value: '/re(gex)?((\\/).*)?' } }], backendRefs: to('echo-v1') },
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: to('echo') },
        { matches: [{ path: { type: 'PathPrefix', value: '/tie' } }], backendRefs: to('echo-v1') },
      ], { created: '2026-01-01T00:00:00Z' }),
      httpRoute('new', [svcParent('echo', 80)], [
        { matches: [{ path: { type: 'PathPrefix', value: '/foo/' } }], backendRefs: to('echo-v2') },
        { matches: [{ path: { type: 'Exact', value: '/foo/bar' } }], backendRefs: to('echo-v1') },
        { matches: [{ path: { type: 'PathPrefix', value: '/h' }, headers: [{ name: 'a', value: '1' }] }], backendRefs: to('echo-v2') },
        { matches: [{ path: { type: 'PathPrefix', value: '/h' }, method: 'POST' }], backendRefs: to('echo-v1') },
        { matches: [{ path: { type: 'PathPrefix', value: '/tie' } }], backendRefs: to('echo-v2') },
      ], { created: '2026-01-02T00:00:00Z' }),
    ],
  });
  it.each<[string, string, Record<string, string>, string]>([
    ['exact beats a longer-or-equal prefix', '/foo/bar', {}, 'echo-v1'],
    ['prefix /foo beats the regex that also matches', '/foo/baz', {}, 'echo-v2'],
    ['regex sorts after PathPrefix /, so it is unreachable', '/regex', {}, 'echo'],
    ['method beats headers at equal path', '/h', { a: '1', ':method': 'POST' }, 'echo-v1'],
    ['headers win when the method does not match', '/h', { a: '1' }, 'echo-v2'],
    ['identical matches: the older route wins', '/tie', {}, 'echo-v1'],
  ])('%s', (_name, path, headers, want) => {
    const method = headers[':method'] ?? 'GET';
    delete headers[':method'];
    expect(outcome(send(index, 'echo', 80, { path, headers, method }))).toBe(want);
  });

  it('same creation time: alphabetical namespace/name decides', () => {
    const ts = '2026-01-01T00:00:00Z';
    const idx = meshIndex({
      httpRoutes: [
        httpRoute('b', [svcParent('echo', 80)], [{ backendRefs: to('echo-v2') }], { created: ts }),
        httpRoute('a', [svcParent('echo', 80)], [{ backendRefs: to('echo-v1') }], { created: ts }),
      ],
    });
    expect(outcome(send(idx, 'echo', 80))).toBe('echo-v1');
  });
});

// ---------------------------------------------------------------- property test

/** A direct evaluator written from the rules above, independent of the engine's index. */
function referenceRoute(rules: { rule: HTTPRouteRule; order: number }[], path: string, headers: Record<string, string>, method: string): string {
  type Cand = { m: HTTPRouteMatch; order: number; backend: string };
  const cands: Cand[] = [];
  for (const { rule, order } of rules) for (const m of rule.matches ?? [{}]) cands.push({ m, order, backend: rule.backendRefs![0]!.name });
  const value = (m: HTTPRouteMatch) => {
    const v = m.path?.value ?? '/';
    return (m.path?.type ?? 'PathPrefix') === 'PathPrefix' && v !== '/' ? v.replace(/\/$/, '') : v;
  };
  const rank = (m: HTTPRouteMatch) => ({ Exact: 3, PathPrefix: 2, RegularExpression: 1 })[m.path?.type ?? 'PathPrefix'];
  const key = (c: Cand) => [rank(c.m), value(c.m).length, c.m.method ? 1 : 0, c.m.headers?.length ?? 0, c.m.queryParams?.length ?? 0];
  const sorted = cands
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const ka = key(a.c);
      const kb = key(b.c);
      for (let k = 0; k < ka.length; k++) if (ka[k] !== kb[k]) return kb[k]! - ka[k]!;
      return a.i - b.i;
    });
  for (const { c } of sorted) {
    const v = value(c.m);
    const type = c.m.path?.type ?? 'PathPrefix';
    const pathOk = type === 'Exact' ? path === v : v === '/' ? true : path === v || path.startsWith(`${v}/`);
    const headersOk = (c.m.headers ?? []).every((h) => headers[h.name.toLowerCase()] === h.value);
    const methodOk = !c.m.method || c.m.method === method;
    if (pathOk && headersOk && methodOk) return c.backend;
  }
  return '404';
}

const segment = fc.constantFrom('a', 'b', 'ab', 'c');
const pathArb = fc.array(segment, { minLength: 0, maxLength: 3 }).map((s) => `/${s.join('/')}`);
const matchArb: fc.Arbitrary<HTTPRouteMatch> = fc.record(
  {
    path: fc.record({ type: fc.constantFrom('Exact' as const, 'PathPrefix' as const), value: fc.oneof(pathArb, pathArb.map((p) => (p === '/' ? p : `${p}/`))) }),
    headers: fc.array(fc.record({ name: fc.constantFrom('X-A', 'x-b'), value: fc.constantFrom('1', '2') }), { maxLength: 2 }).map((hs) => hs.filter((h, i) => hs.findIndex((o) => o.name.toLowerCase() === h.name.toLowerCase()) === i)),
    method: fc.constantFrom('GET', 'POST'),
  },
  { requiredKeys: ['path'] },
);

describe('property: compiled index agrees with the plain precedence evaluator', () => {
  it('on random route sets and requests', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(matchArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.record({ path: pathArb, a: fc.constantFrom('1', '2', undefined), b: fc.constantFrom('1', undefined), method: fc.constantFrom('GET', 'POST') }), { minLength: 1, maxLength: 10 }),
        (ruleMatches, reqs) => {
          const backends = ['echo', 'echo-v1', 'echo-v2'];
          const rules = ruleMatches.map((matches, i) => ({ rule: { matches, backendRefs: to(backends[i % 3]!) } as HTTPRouteRule, order: i }));
          const index = meshIndex({ httpRoutes: [httpRoute('p', [svcParent('echo', 80)], rules.map((r) => r.rule))] });
          for (const r of reqs) {
            const headers: Record<string, string> = {};
            if (r.a) headers['x-a'] = r.a;
            if (r.b) headers['x-b'] = r.b;
            const got = outcome(send(index, 'echo', 80, { path: r.path, headers, method: r.method }));
            expect(got).toBe(referenceRoute(rules, r.path, headers, r.method));
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('explanations', () => {
  it('with explain, earlier routes that did not match are listed before the chosen one', async () => {
    const { routeHttp } = await import('../../src/routing');
    const index = meshIndex({
      httpRoutes: [httpRoute('e', [svcParent('echo', 80)], [
        { matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: to('echo-v1') },
        { backendRefs: to('echo-v2') },
      ])],
    });
    const d = routeHttp(index, { namespace: 'gateway-conformance-mesh', service: 'echo', port: 80 }, { method: 'GET', path: '/y', authority: 'echo', headers: {} }, () => 0, { explain: true, at: 'waypoint ns/wp' }) as ForwardDecision;
    expect(d.decisions.map((x) => [x.result, x.rule, x.at])).toEqual([
      ['no-match', 0, 'waypoint ns/wp'],
      ['forward', 1, 'waypoint ns/wp'],
    ]);
    expect(d.decisions[0]!.reason).toContain('path exact /x');
  });
});
