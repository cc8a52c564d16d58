// authz.md §3.2: the string convention shared by every matched field, and where the engines differ.
import { describe, expect, it } from 'vitest';
import { namespaceRegexTest, pathTest, patternTest, urlPath } from '../../src/authz/strings';
import { cidrContains, parseCidr, parseIp } from '../../src/authz/ip';

describe('§3.2 string value matching (ztunnel StringMatch)', () => {
  it.each([
    ['*', 'x', true],
    ['*', '', false], // presence requires non-empty
    ['abc*', 'abcdef', true],
    ['abc*', 'xabc', false],
    ['*abc', 'xxabc', true],
    ['*abc', 'abcx', false],
    ['abc', 'abc', true],
    ['abc', 'ABC', false], // case-sensitive
    ['a*c', 'abc', false], // a middle * is literal (exact)
    ['a*c', 'a*c', true],
    ['foo*', '', false],
  ])('%j vs %j -> %s', (pattern, value, want) => {
    expect(patternTest(pattern)(value)).toBe(want);
  });

  it.each([
    ['*.Example.com', 'api.example.COM', true],
    ['API.example.com', 'api.example.com', true],
    ['api.example.com', 'api.example.com:8080', false], // the port is part of :authority
    ['api.example.com:*', 'api.example.com:8080', true],
  ])('hosts are case-insensitive at the waypoint: %j vs %j -> %s', (pattern, value, want) => {
    expect(patternTest(pattern, true)(value)).toBe(want);
  });

  it.each([
    ['foo', 'foo', true],
    ['fo*o', 'fooooo', true], // Envoy's namespace regex honours a middle *
    ['*', 'anything', true],
    ['prod-*', 'prod-eu', true],
    ['prod-*', 'dev-eu', false],
    ['a.b', 'axb', false], // regex metacharacters are literal
  ])('namespaces at the waypoint: %j vs %j -> %s', (pattern, ns, want) => {
    expect(namespaceRegexTest(pattern)(ns)).toBe(want);
  });

  it.each([
    ['/api/{*}/info', '/api/v1/info', true],
    ['/api/{*}/info', '/api/v1/x/info', false], // {*} is one segment
    ['/api/{*}/info', '/api//info', false],
    ['/api/{**}', '/api/a/b/c', true],
    ['/api/{**}', '/api/', true],
    ['/api/*', '/api/x/y', true], // trailing * is a prefix
    ['*.html', '/a/b.html', true],
    ['/exact', '/exact', true],
    ['/exact', '/exact/', false],
  ])('paths and templates: %j vs %j -> %s', (pattern, path, want) => {
    expect(pathTest(pattern)(path)).toBe(want);
  });

  it.each([
    ['/a?b=1', '/a'],
    ['/a#frag', '/a'],
    ['/a/b', '/a/b'],
  ])('the path matcher sees %j as %j (no query string)', (path, want) => {
    expect(urlPath(path)).toBe(want);
  });

  it.each([
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['10.1.2.3', '10.1.2.3', true], // bare IP = /32
    ['10.1.2.3', '10.1.2.4', false],
    ['0.0.0.0/0', '192.168.1.1', true],
    ['2001:db8::/32', '2001:db8::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::1', '::1', true],
    ['10.0.0.0/8', '::1', false], // families never mix
  ])('ipBlocks %j contains %j -> %s', (cidr, ip, want) => {
    expect(cidrContains(parseCidr(cidr)!, parseIp(ip))).toBe(want);
  });

  it.each(['10.0.0.0/33', 'not-an-ip', '300.1.1.1', '10.0.0.0/x'])('unparseable block %j is dropped (null)', (v) => {
    expect(parseCidr(v)).toBeNull();
  });
});
