// Match semantics (§2.2–2.3 and VirtualService §5.2) as request → outcome tables.
import { describe, expect, it } from 'vitest';
import type { HTTPRouteMatch, VSMatch } from '../../src/k8s/types';
import { httpRoute, meshIndex, outcome, send, svcParent, virtualService, type Req } from './fixtures';

function gatewayTable(match: HTTPRouteMatch, cases: [Req, boolean][]) {
  const index = meshIndex({ httpRoutes: [httpRoute('m', [svcParent('echo', 80)], [{ matches: [match], backendRefs: [{ name: 'echo-v1', port: 8080 }] }])] });
  it.each(cases)('%j matches: %s', (req, want) => expect(outcome(send(index, 'echo', 80, req))).toBe(want ? 'echo-v1' : '404'));
}

describe('HTTPRoute path Exact: whole path, case-sensitive, query excluded', () => {
  gatewayTable({ path: { type: 'Exact', value: '/abc' } }, [
    [{ path: '/abc' }, true],
    [{ path: '/abc?x=1' }, true],
    [{ path: '/abc/' }, false],
    [{ path: '/Abc' }, false],
    [{ path: '/abcd' }, false],
  ]);
});

describe('HTTPRoute PathPrefix: segment-wise, trailing slash in the value ignored', () => {
  gatewayTable({ path: { type: 'PathPrefix', value: '/abc/' } }, [
    [{ path: '/abc' }, true],
    [{ path: '/abc/' }, true],
    [{ path: '/abc/def' }, true],
    [{ path: '/abc?q' }, true],
    [{ path: '/abcd' }, false],
    [{ path: '/ab' }, false],
    [{ path: '/ABC' }, false],
  ]);
});

describe('HTTPRoute RegularExpression: RE2, full match of the path without query', () => {
  gatewayTable({ path: { type: 'RegularExpression', value: '/foo((\\/).*)?' } }, [
    [{ path: '/foo' }, true],
    [{ path: '/foo/bar?x' }, true],
    [{ path: '/foobar' }, false],
    [{ path: '/x/foo' }, false],
  ]);
});

describe('HTTPRoute headers: names case-insensitive, values case-sensitive; regex is RE2 full match; `*` means present', () => {
  gatewayTable(
    {
      headers: [
        { name: 'X-Env', value: 'prod' },
        { name: 'x-env', value: 'ignored: only the first entry for a name counts' },
        { name: 'x-ver', type: 'RegularExpression', value: 'v[0-9]+' },
        { name: 'x-any', type: 'RegularExpression', value: '*' },
      ],
    },
    [
      [{ headers: { 'x-env': 'prod', 'x-ver': 'v12', 'x-any': '' } }, true],
      [{ headers: { 'X-ENV': 'prod', 'x-ver': 'v1', 'x-any': 'z' } }, true],
      [{ headers: { 'x-env': 'Prod', 'x-ver': 'v1', 'x-any': 'z' } }, false],
      [{ headers: { 'x-env': 'prod', 'x-ver': 'v1x', 'x-any': 'z' } }, false],
      [{ headers: { 'x-env': 'prod', 'x-ver': 'v1' } }, false],
    ],
  );
});

describe('HTTPRoute query params: exact name, first value, no substring match', () => {
  gatewayTable({ queryParams: [{ name: 'animal', value: 'whale' }, { name: 'n', type: 'RegularExpression', value: '[0-9]+' }] }, [
    [{ path: '/?animal=whale&n=42' }, true],
    [{ path: '/?n=1&animal=whale' }, true],
    [{ path: '/?animal=whale&animal=dolphin&n=1' }, true],
    [{ path: '/?animal=dolphin&animal=whale&n=1' }, false],
    [{ path: '/?Animal=whale&n=1' }, false],
    [{ path: '/?animal=whale&n=4x' }, false],
  ]);
});

describe('HTTPRoute method: exact', () => {
  gatewayTable({ method: 'POST' }, [
    [{ method: 'POST' }, true],
    [{ method: 'GET' }, false],
  ]);
});

function vsTable(match: VSMatch, cases: [Req, boolean][]) {
  const index = meshIndex({
    virtualServices: [virtualService('vs', { hosts: ['echo'], http: [{ match: [match], route: [{ destination: { host: 'echo-v1' } }] }] })],
  });
  it.each(cases)('%j matches: %s', (req, want) => expect(outcome(send(index, 'echo', 80, req))).toBe(want ? 'echo-v1' : '404'));
}

describe('VirtualService uri.prefix is a plain string prefix', () => {
  vsTable({ uri: { prefix: '/foo' } }, [
    [{ path: '/foo' }, true],
    [{ path: '/foobar' }, true],
    [{ path: '/fo' }, false],
  ]);
});

describe('VirtualService ignoreUriCase, method / authority / pseudo-header matches', () => {
  vsTable({ uri: { exact: '/Foo' }, ignoreUriCase: true, method: { exact: 'GET' }, authority: { prefix: 'echo' }, headers: { ':scheme': { exact: 'http' } } }, [
    [{ path: '/foo' }, true],
    [{ path: '/FOO', host: 'echo.gateway-conformance-mesh' }, true],
    [{ path: '/foo', method: 'POST' }, false],
    [{ path: '/foo', host: 'other' }, false],
  ]);
});

describe('VirtualService withoutHeaders: negation; a missing header counts as empty, presence checks hold when absent', () => {
  vsTable({ withoutHeaders: { 'end-user': { exact: 'jason' }, debug: {} } }, [
    [{}, true],
    [{ headers: { 'end-user': 'alice' } }, true],
    [{ headers: { 'end-user': 'jason' } }, false],
    [{ headers: { debug: '' } }, false],
  ]);
});

describe('VirtualService header `{}` means present; regex is full-string', () => {
  vsTable({ headers: { 'x-a': {}, 'x-b': { regex: 'b+' } }, queryParams: { q: { prefix: 'ab' } } }, [
    [{ path: '/?q=abc', headers: { 'x-a': '', 'x-b': 'bbb' } }, true],
    [{ path: '/?q=abc', headers: { 'x-b': 'bbb' } }, false],
    [{ path: '/?q=abc', headers: { 'x-a': '1', 'x-b': 'bbbc' } }, false],
    [{ path: '/?q=b', headers: { 'x-a': '1', 'x-b': 'b' } }, false],
  ]);
});
