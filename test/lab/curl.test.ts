// curl's exit codes, messages and output options, over a fake request function.
import { describe, expect, it } from 'vitest';
import { runCurl, type CurlRequest } from '../../src/lab/curl';
import type { Outcome, RequestRecord } from '../../src/result/types';

function record(outcome: Outcome, status?: number, body = ''): RequestRecord {
  return {
    id: 1, startMs: 0, latencyMs: 12.5,
    from: { cluster: 'c', namespace: 'default', pod: 'curl-x', node: 'n', identity: null },
    to: { host: 'svc', port: 80 }, method: 'GET', path: '/', outcome,
    ...(outcome === 'response' ? { status, body, responseHeaders: { 'content-type': 'text/plain' } } : {}),
    hops: [], decisions: [],
  };
}

function curl(args: string[], rec: RequestRecord | ((r: CurlRequest) => RequestRecord)) {
  const sent: CurlRequest[] = [];
  const files = new Map<string, string>();
  const res = runCurl(args, {
    send: (r) => {
      sent.push(r);
      return typeof rec === 'function' ? rec(r) : rec;
    },
    writeFile: (p, c) => files.set(p, c),
    resolve: () => '10.96.0.10',
  });
  return { ...res, sent, files };
}

describe('curl exit codes and messages', () => {
  it.each([
    ['dns-error', 6, 'curl: (6) Could not resolve host: svc'],
    ['refused', 7, "curl: (7) Failed to connect to svc port 80 after 13 ms: Couldn't connect to server"],
    ['reset', 56, 'curl: (56) Recv failure: Connection reset by peer'],
    ['timeout', 28, 'curl: (28) Failed to connect to svc port 80 after 13 ms: Timeout was reached'],
  ] as const)('%s → exit %d', (outcome, code, message) => {
    expect(curl(['-sS', 'http://svc'], record(outcome))).toMatchObject({ exitCode: code, stderr: `${message}\n`, stdout: '' });
    // -s alone hides the message, keeps the code
    expect(curl(['-s', 'http://svc'], record(outcome))).toMatchObject({ exitCode: code, stderr: '' });
  });
  it('--max-time reports an operation timeout', () => {
    const r = curl(['-sS', '--max-time', '2', 'http://svc'], record('timeout'));
    expect(r).toMatchObject({ exitCode: 28, stderr: 'curl: (28) Operation timed out after 2000 milliseconds with 0 bytes received\n' });
    expect(r.sent[0]!.timeoutMs).toBe(2000);
  });
  it('-f turns an HTTP error into exit 22 without the body', () => {
    expect(curl(['-sf', 'http://svc'], record('response', 403, 'RBAC: access denied'))).toMatchObject({ exitCode: 22, stdout: '' });
    expect(curl(['-fsS', 'http://svc'], record('response', 503, 'x')).stderr).toBe('curl: (22) The requested URL returned error: 503\n');
  });
  it('an HTTP error without -f is a success that prints the body', () => {
    expect(curl(['-s', 'http://svc'], record('response', 403, 'RBAC: access denied'))).toMatchObject({ exitCode: 0, stdout: 'RBAC: access denied' });
  });
  it('unknown options and missing URLs are usage errors (exit 2)', () => {
    expect(curl(['--bogus', 'http://svc'], record('response', 200))).toMatchObject({ exitCode: 2, stderr: "curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n" });
    expect(curl(['-s'], record('response', 200))).toMatchObject({ exitCode: 2, stderr: "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n" });
  });
});

describe('curl output options', () => {
  it('-o /dev/null -w %{http_code}', () => {
    expect(curl(['-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://svc'], record('response', 200, 'hi')).stdout).toBe('200');
    expect(curl(['-s', '-o', '/dev/null', '-w', '%{http_code}\\n', 'http://svc'], record('reset')).stdout).toBe('000\n');
  });
  it('-w %{time_total} is the simulated latency in seconds', () => {
    expect(curl(['-s', '-o', '/dev/null', '-w', '%{time_total}', 'http://svc'], record('response', 200)).stdout).toBe('0.012500');
  });
  it('-o FILE writes inside the pod', () => {
    const r = curl(['-s', '-o', '/tmp/out', 'http://svc'], record('response', 200, 'body'));
    expect(r.stdout).toBe('');
    expect(r.files.get('/tmp/out')).toBe('body');
  });
  it('-i prints the status line and headers', () => {
    expect(curl(['-si', 'http://svc'], record('response', 200, 'ok')).stdout).toBe('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok');
  });
  it('-I sends HEAD and prints headers only', () => {
    const r = curl(['-sI', 'http://svc'], record('response', 200, 'ok'));
    expect(r.sent[0]!.method).toBe('HEAD');
    expect(r.stdout).toBe('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\n');
  });
  it("a response that crossed Envoy (waypoint, gateway, sidecar) carries its server header, and its router's upstream time when an app answered", () => {
    const via = (kind: 'waypoint' | 'ingress-gateway' | 'ztunnel', backend: boolean): RequestRecord => ({
      ...record('response', 200, 'ok'),
      responseHeaders: { 'content-type': 'text/plain', server: 'gunicorn' },
      hops: [{ kind: 'pod', name: 'curl' }, { kind, name: 'p', atMs: 2 }, { kind: 'pod', name: 'app' }],
      ...(backend ? { backend: { cluster: 'c', namespace: 'default', pod: 'app-x', node: 'n' } } : {}),
    });
    const head = (r: RequestRecord) => curl(['-sI', 'http://svc'], r).stdout;
    expect(head(via('ingress-gateway', true))).toBe('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nserver: istio-envoy\r\ncontent-length: 2\r\nx-envoy-upstream-service-time: 9\r\n\r\n');
    expect(head(via('waypoint', true))).toContain('server: istio-envoy\r\n');
    // Envoy's own reply (an RBAC denial, a redirect) has no upstream time.
    expect(head(via('waypoint', false))).not.toContain('x-envoy-upstream-service-time');
    // Through ztunnel alone, the app's headers reach the client as they were.
    expect(head(via('ztunnel', true))).toBe('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nserver: gunicorn\r\ncontent-length: 2\r\n\r\n');
  });
  it("Envoy's own reply: content-length, text/plain for a body, then the date and server its connection manager adds", () => {
    const denied: RequestRecord = {
      ...record('response', 403, 'RBAC: access denied'),
      startMs: 65_000,
      latencyMs: 1.2,
      responseHeaders: {},
      hops: [{ kind: 'pod', name: 'curl' }, { kind: 'waypoint', name: 'w', atMs: 1 }],
    };
    const res = runCurl(['-si', 'http://svc'], { send: () => denied, writeFile: () => {}, resolve: () => '10.96.0.10', epochMs: Date.UTC(2026, 0, 1) });
    expect(res.stdout).toBe('HTTP/1.1 403 Forbidden\r\ncontent-length: 19\r\ncontent-type: text/plain\r\ndate: Thu, 01 Jan 2026 00:01:05 GMT\r\nserver: istio-envoy\r\n\r\nRBAC: access denied');
    expect(curl(['-s', '-w', '%{content_type}', '-o', '/dev/null', 'http://svc'], { ...denied, responseHeaders: undefined }).stdout).toBe('text/plain');
  });
  it('sends curl default headers; -H overrides, -d posts', () => {
    const r = curl(['-s', '-H', 'x-user: alice', '-d', 'a=1', 'svc:8080/p?q=1'], record('response', 200));
    expect(r.sent[0]).toMatchObject({ url: 'http://svc:8080/p?q=1', method: 'POST', body: 'a=1', headers: { 'user-agent': 'curl/8.11.1', accept: '*/*', 'x-user': 'alice', host: 'svc:8080', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(curl(['-s', '-X', 'DELETE', 'http://svc'], record('response', 200)).sent[0]!.method).toBe('DELETE');
  });
  it('--resolve dials the given address and keeps the Host', () => {
    const r = curl(['-s', '--resolve', 'example.com:80:10.0.0.7', 'http://example.com/'], record('response', 200));
    expect(r.sent[0]).toMatchObject({ url: 'http://10.0.0.7/', headers: { host: 'example.com' } });
  });
  it('-L follows redirects', () => {
    let n = 0;
    const r = curl(['-sL', 'http://svc/a'], () => (n++ === 0 ? { ...record('response', 302), responseHeaders: { location: '/b' } } : record('response', 200, 'final')));
    expect(r.sent.map((s) => s.url)).toEqual(['http://svc/a', 'http://svc/b']);
    expect(r.stdout).toBe('final');
  });
  it('-v traces the request on stderr as curl 8.11 does: the lookup, the connection, the request sent', () => {
    expect(curl(['-sv', 'http://svc'], record('response', 200, 'x')).stderr).toContain(
      '* Host svc:80 was resolved.\n* IPv6: (none)\n* IPv4: 10.96.0.10\n*   Trying 10.96.0.10:80...\n* Connected to svc (10.96.0.10) port 80\n* using HTTP/1.x\n> GET / HTTP/1.1\n> Host: svc\n',
    );
    expect(curl(['-sv', 'http://svc'], record('response', 200, 'x')).stderr).toContain('> Accept: */*\n> \n* Request completely sent off\n< HTTP/1.1 200 OK\n');
    expect(curl(['-v', '--resolve', 'example.com:80:10.0.0.7', 'http://example.com/'], record('response', 200)).stderr).toMatch(
      /^\* Added example\.com:80:10\.0\.0\.7 to DNS cache\n\* Hostname example\.com was found in DNS cache\n\* {3}Trying 10\.0\.0\.7:80/,
    );
    expect(curl(['-v', 'http://10.96.0.99/'], record('response', 200)).stderr).toMatch(/^\* {3}Trying 10\.96\.0\.99:80\.\.\.\n/);
  });
  it('-v: the trace up to the response headers comes before the body, the connection left intact after it', () => {
    const r = curl(['-v', 'http://svc'], record('response', 200, 'body'));
    expect(r.stdout).toBe('body');
    expect(r.stderr.slice(0, r.stderrLead)).toMatch(/^\* Host svc:80 was resolved\.\n[^]*< content-length: 4\n< \n$/);
    expect(r.stderr.slice(r.stderrLead)).toBe('* Connection #0 to host svc left intact\n');
  });
  it('-v of a failed transfer traces as far as it got, then closes the connection', () => {
    const reset = curl(['-v', 'http://svc'], record('reset'));
    expect(reset.stderr).toMatch(/> Accept: \*\/\*\n> \n\* Request completely sent off\n\* Recv failure: Connection reset by peer\n\* closing connection #0\ncurl: \(56\) Recv failure: Connection reset by peer\n$/);
    expect(curl(['-v', 'http://svc'], record('dns-error')).stderr).toBe('* Could not resolve host: svc\n* closing connection #0\ncurl: (6) Could not resolve host: svc\n');
    const refused = curl(['-v', 'http://svc'], record('refused')).stderr;
    expect(refused).toMatch(/\* {3}Trying 10\.96\.0\.10:80\.\.\.\n\* Failed to connect to svc port 80 after 13 ms: Couldn't connect to server\n\* closing connection #0\n/);
    expect(refused).not.toContain('Connected to');
  });
});
