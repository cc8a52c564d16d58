// curl as run inside a pod: its options, what it prints (body, -i/-I headers, -v trace, -w
// variables) and its exit codes and messages, over one simulated request per attempt.
import { isIP } from 'node:net';
import { canonicalHeaderName } from '../apps/header-names';
import type { RequestRecord } from '../result/types';
import { FlagError, boolFlag, parseFlags, type FlagSpec } from './flags';
import type { CommandResult } from './invocation';

export const CURL_VERSION = '8.11.1';

/** One HTTP request curl makes (a redirect makes another). */
export interface CurlRequest {
  /** The URL as the request step takes it: the host is where curl dials. */
  url: string;
  method: string;
  /** Lowercase names; `host` is the authority. */
  headers: Record<string, string>;
  body?: string;
  /** --max-time (or --connect-timeout), in ms. */
  timeoutMs?: number;
}

export interface CurlIo {
  send(req: CurlRequest): RequestRecord;
  /** `-o FILE` inside the pod. */
  writeFile(path: string, content: string): void;
  /** The address a name resolves to from the pod (for -v), undefined when it does not resolve. */
  resolve(host: string): string | undefined;
  /** The wall clock (epoch ms) at simulated time 0, for the `date` of Envoy's own replies; none without it. */
  epochMs?: number;
}

const SPECS: FlagSpec[] = [
  { name: 'silent', short: 's' },
  { name: 'show-error', short: 'S' },
  { name: 'verbose', short: 'v' },
  { name: 'include', short: 'i' },
  { name: 'head', short: 'I' },
  { name: 'output', short: 'o', value: true },
  { name: 'write-out', short: 'w', value: true },
  { name: 'request', short: 'X', value: true },
  { name: 'header', short: 'H', value: true, repeat: true },
  { name: 'data', short: 'd', value: true, repeat: true },
  { name: 'data-raw', value: true, repeat: true },
  { name: 'data-binary', value: true, repeat: true },
  { name: 'max-time', short: 'm', value: true },
  { name: 'connect-timeout', value: true },
  { name: 'fail', short: 'f' },
  { name: 'location', short: 'L' },
  { name: 'resolve', value: true, repeat: true },
  { name: 'user-agent', short: 'A', value: true },
  { name: 'insecure', short: 'k' },
  { name: 'http1.1' },
  { name: 'http2' },
  { name: 'no-progress-meter' },
  { name: 'retry', value: true },
  { name: 'url', value: true },
];

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other',
  304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 418: "I'm a teapot", 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

const USAGE_HINT = "curl: try 'curl --help' or 'curl --manual' for more information";

interface Outcome {
  code: number;
  message?: string;
}

/** curl's exit code and message for a request that got no HTTP response. */
export function curlError(r: RequestRecord, host: string, port: number, opts: { maxTimeMs?: number; connectTimeoutMs?: number }): Outcome {
  const ms = Math.round(r.latencyMs);
  switch (r.outcome) {
    case 'dns-error':
      return { code: 6, message: `Could not resolve host: ${host}` };
    case 'refused':
      return { code: 7, message: `Failed to connect to ${host} port ${port} after ${ms} ms: Couldn't connect to server` };
    case 'reset':
      return { code: 56, message: 'Recv failure: Connection reset by peer' };
    case 'timeout':
      if (opts.maxTimeMs !== undefined) return { code: 28, message: `Operation timed out after ${Math.round(opts.maxTimeMs)} milliseconds with 0 bytes received` };
      return { code: 28, message: `Failed to connect to ${host} port ${port} after ${ms} ms: Timeout was reached` };
    default:
      return { code: 0 };
  }
}

function seconds(v: string | undefined, flag: string): number | undefined | Error {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) return new Error(`curl: option --${flag}: expected a proper numerical parameter\n${USAGE_HINT}`);
  return Number(v) * 1000;
}

function unescapeWriteOut(s: string): string {
  return s.replace(/\\([ntr\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\'));
}

function headerBlock(r: RequestRecord, status: number, epochMs: number | undefined): string {
  const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? ''}`.trimEnd()];
  for (const [k, v] of Object.entries(responseHeaders(r, epochMs))) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Hops where Envoy terminates HTTP, so its connection manager and router shape the response. */
const ENVOY_L7 = new Set<string>(['waypoint', 'ingress-gateway', 'egress-gateway', 'sidecar']);

/** An HTTP date (IMF-fixdate), as Envoy writes it. */
function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function responseHeaders(r: RequestRecord, epochMs: number | undefined): Record<string, string> {
  const envoy = r.hops.find((x) => ENVOY_L7.has(x.kind));
  if (envoy && !r.backend) return localReplyHeaders(r, epochMs);
  const h: Record<string, string> = { ...(r.responseHeaders ?? {}) };
  h['content-length'] ??= String(Buffer.byteLength(r.body ?? ''));
  if (envoy) {
    // Envoy overwrites `server` on every response it sends; its router adds the time the upstream
    // took (the outermost Envoy's, as seen by the client) when an upstream answered, not on its own
    // replies (RBAC denials, no healthy upstream, redirects).
    h.server = 'istio-envoy';
    h['x-envoy-upstream-service-time'] = String(Math.max(0, Math.round(r.latencyMs - 2 * (envoy.atMs ?? 0))));
  }
  return h;
}

/**
 * The headers of a reply Envoy made itself (an RBAC denial, no healthy upstream, a redirect or a
 * route's direct response): what the route set, then content-length, `content-type: text/plain`
 * for a body, and the `date` and `server` its connection manager adds, in the order Envoy writes them.
 */
function localReplyHeaders(r: RequestRecord, epochMs: number | undefined): Record<string, string> {
  const { 'content-length': _length, 'content-type': type, date: _date, server: _server, ...own } = r.responseHeaders ?? {};
  const body = r.body ?? '';
  const h: Record<string, string> = { ...own, 'content-length': String(Buffer.byteLength(body)) };
  if (body !== '') h['content-type'] = type ?? 'text/plain';
  if (epochMs !== undefined) h.date = httpDate(epochMs + r.startMs + r.latencyMs);
  h.server = 'istio-envoy';
  return h;
}

interface Target {
  url: URL;
  dial: string;
}

function parseUrl(raw: string): URL | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    return new URL(withScheme);
  } catch {
    return undefined;
  }
}

function defaultPort(u: URL): number {
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}

/** Runs curl's argv; `io.send` carries each request through the mesh. */
export function runCurl(argv: readonly string[], io: CurlIo): CommandResult {
  let p;
  try {
    p = parseFlags(argv, SPECS);
  } catch (e) {
    const m = e instanceof FlagError ? /unknown (?:shorthand )?flag: (?:'(.)'|(\S+))/.exec(e.message) : null;
    const opt = m ? (m[1] ? `-${m[1]}` : m[2]) : undefined;
    return { stdout: '', stderr: `curl: option ${opt ?? argv.join(' ')}: ${opt ? 'is unknown' : 'requires parameter'}\n${USAGE_HINT}\n`, exitCode: 2 };
  }
  const urls = [...p.args, ...(p.rest ?? []), ...(p.flags.get('url') ? [p.flags.get('url')!] : [])];
  if (urls.length === 0) return { stdout: '', stderr: `curl: no URL specified\n${USAGE_HINT}\n`, exitCode: 2 };
  const silent = boolFlag(p, 'silent');
  const showError = !silent || boolFlag(p, 'show-error');
  const maxTime = seconds(p.flags.get('max-time'), 'max-time');
  const connectTimeout = seconds(p.flags.get('connect-timeout'), 'connect-timeout');
  if (maxTime instanceof Error) return { stdout: '', stderr: `${maxTime.message}\n`, exitCode: 2 };
  if (connectTimeout instanceof Error) return { stdout: '', stderr: `${connectTimeout.message}\n`, exitCode: 2 };
  const head = boolFlag(p, 'head');
  const data = [...(p.multi.get('data') ?? []), ...(p.multi.get('data-raw') ?? []), ...(p.multi.get('data-binary') ?? [])];
  const body = data.length ? data.join('&') : undefined;
  const method = p.flags.get('request') ?? (head ? 'HEAD' : body !== undefined ? 'POST' : 'GET');
  const headers: Record<string, string> = { 'user-agent': p.flags.get('user-agent') ?? `curl/${CURL_VERSION}`, accept: '*/*' };
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  for (const h of p.multi.get('header') ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) continue;
    const name = h.slice(0, i).trim().toLowerCase();
    const value = h.slice(i + 1).trim();
    if (value === '' && !h.trimEnd().endsWith(';')) delete headers[name];
    else headers[name] = value;
  }
  const resolves = new Map<string, string>();
  for (const r of p.multi.get('resolve') ?? []) {
    const [host, port, addr] = r.split(':');
    if (host && port && addr) resolves.set(`${host}:${port}`, addr.replace(/^\[|\]$/g, ''));
  }

  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  // What went to stderr before the first output (the -v trace above the body).
  let lead: number | undefined;
  const write = (text: string) => {
    if (text && !stdout) lead ??= stderr.length;
    stdout += text;
  };
  const verbose = boolFlag(p, 'verbose');
  const writeOut = p.flags.get('write-out');
  const output = p.flags.get('output');
  for (const rawUrl of urls) {
    let target: Target | undefined;
    let url = parseUrl(rawUrl);
    let record: RequestRecord | undefined;
    let redirects = 0;
    let err: Outcome = { code: 0 };
    let sent = method;
    for (;;) {
      if (!url) {
        err = { code: 3, message: 'URL rejected: Malformed input to a URL function' };
        break;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        err = { code: 1, message: `Protocol "${url.protocol.replace(':', '')}" not supported` };
        break;
      }
      const port = defaultPort(url);
      const hostname = url.hostname.replace(/^\[|\]$/g, '');
      target = { url, dial: resolves.get(`${hostname}:${port}`) ?? hostname };
      const reqHeaders = { ...headers };
      reqHeaders.host ??= port === defaultPort(new URL(`${url.protocol}//x`)) ? hostname : `${hostname}:${port}`;
      const dialUrl = new URL(url.href);
      dialUrl.hostname = target.dial.includes(':') ? `[${target.dial}]` : target.dial;
      record = io.send({ url: dialUrl.href, method: sent, headers: reqHeaders, body, timeoutMs: maxTime ?? connectTimeout });
      const to = verbose ? resolution(target, hostname, port, io.resolve(target.dial)) : undefined;
      const requestTrace = to && verboseRequest(to, port, sent, url, reqHeaders, body);
      if (record.outcome !== 'response') {
        err = curlError(record, hostname, port, { maxTimeMs: maxTime, connectTimeoutMs: connectTimeout });
        if (to) stderr += verboseFailure(record, err, to, port, requestTrace!, maxTime !== undefined);
        break;
      }
      if (to) stderr += requestTrace! + verboseResponse(record, record.status ?? 0, io.epochMs);
      const location = record.responseHeaders?.location;
      if (boolFlag(p, 'location') && location && [301, 302, 303, 307, 308].includes(record.status ?? 0) && redirects < 50) {
        redirects++;
        if (boolFlag(p, 'include')) write(headerBlock(record, record.status!, io.epochMs));
        if (record.status === 303 || ((record.status === 301 || record.status === 302) && sent === 'POST')) sent = 'GET';
        url = parseUrl(new URL(location, url).href);
        continue;
      }
      break;
    }
    const status = record?.outcome === 'response' ? (record.status ?? 0) : 0;
    if (err.code === 0 && boolFlag(p, 'fail') && status >= 400) err = { code: 22, message: `The requested URL returned error: ${status}` };
    if (err.code === 0 || err.code === 22) {
      let out = '';
      if (boolFlag(p, 'include') || head) out += headerBlock(record!, status, io.epochMs);
      if (!head && err.code === 0) out += record!.body ?? '';
      if (output !== undefined && output !== '-') {
        if (output !== '/dev/null') io.writeFile(output, out);
      } else write(out);
      if (verbose && err.code === 0) stderr += `* Connection #0 to host ${target!.url.hostname} left intact\n`;
    }
    if (writeOut !== undefined) write(writeOutText(writeOut, record, target, sent, err, redirects));
    if (err.code !== 0) {
      if (showError) stderr += `curl: (${err.code}) ${err.message}\n`;
      exitCode = err.code;
    }
  }
  return { stdout, stderr, exitCode, ...(lead ? { stderrLead: lead } : {}) };
}

interface Resolution {
  ip: string;
  /** What curl 8.11 says of the name lookup before it connects. */
  lines: string[];
}

/** The address curl dials, and its trace of how it got it: --resolve's cache entry, DNS, or an IP literal. */
function resolution(target: Target, hostname: string, port: number, resolved: string | undefined): Resolution {
  const ip = isIP(target.dial) ? target.dial : (resolved ?? target.dial);
  if (target.dial !== hostname) return { ip, lines: [`* Added ${hostname}:${port}:${target.dial} to DNS cache`, `* Hostname ${hostname} was found in DNS cache`] };
  if (isIP(hostname)) return { ip, lines: [] };
  return { ip, lines: [`* Host ${hostname}:${port} was resolved.`, '* IPv6: (none)', `* IPv4: ${ip}`] };
}

/**
 * curl's -v trace of a transfer that failed: as far as it got (no address, no connection, or the
 * request sent, `requestTrace`, and then reset or unanswered), the reason, and the connection closed.
 */
function verboseFailure(r: RequestRecord, err: Outcome, to: Resolution, port: number, requestTrace: string, maxTime: boolean): string {
  const connected = r.outcome === 'reset' || (r.outcome === 'timeout' && maxTime);
  let trace = '';
  if (r.outcome !== 'dns-error') trace = connected ? requestTrace : `${dialing(to, port).join('\n')}\n`;
  return `${trace}* ${err.message}\n* closing connection #0\n`;
}

/** The lookup's lines and the connection attempt: all of the trace a connection that never opened gets. */
function dialing(to: Resolution, port: number): string[] {
  return [...to.lines, `*   Trying ${to.ip}:${port}...`];
}

function verboseRequest(to: Resolution, port: number, method: string, url: URL, headers: Record<string, string>, body: string | undefined): string {
  const lines = [...dialing(to, port), `* Connected to ${url.hostname} (${to.ip}) port ${port}`, '* using HTTP/1.x', `> ${method} ${url.pathname}${url.search} HTTP/1.1`];
  lines.push(`> Host: ${headers.host}`);
  for (const [k, v] of Object.entries(headers)) if (k !== 'host') lines.push(`> ${canonicalHeaderName(k)}: ${v}`);
  if (body !== undefined) lines.push(`> Content-Length: ${Buffer.byteLength(body)}`);
  lines.push('> ', '* Request completely sent off');
  return `${lines.join('\n')}\n`;
}

function verboseResponse(r: RequestRecord, status: number, epochMs: number | undefined): string {
  const lines = [`< HTTP/1.1 ${status} ${REASONS[status] ?? ''}`.trimEnd()];
  for (const [k, v] of Object.entries(responseHeaders(r, epochMs))) lines.push(`< ${k}: ${v}`);
  lines.push('< ');
  return `${lines.join('\n')}\n`;
}

function writeOutText(fmt: string, r: RequestRecord | undefined, t: Target | undefined, method: string, err: Outcome, redirects: number): string {
  const got = r?.outcome === 'response';
  const secs = (ms: number) => (ms / 1000).toFixed(6);
  const total = r?.latencyMs ?? 0;
  const vars: Record<string, string> = {
    http_code: String(got ? r!.status : 0).padStart(3, '0'),
    response_code: String(got ? r!.status : 0).padStart(3, '0'),
    time_total: secs(total),
    time_namelookup: secs(Math.min(total, 0.01)),
    time_connect: secs(got ? total * 0.2 : 0),
    time_appconnect: secs(0),
    time_pretransfer: secs(got ? total * 0.2 : 0),
    time_starttransfer: secs(got ? total * 0.95 : 0),
    size_download: String(got ? Buffer.byteLength(r!.body ?? '') : 0),
    size_header: '0',
    url_effective: t?.url.href ?? '',
    url: t?.url.href ?? '',
    remote_ip: got ? (t?.dial ?? '') : '',
    remote_port: got && t ? String(defaultPort(t.url)) : '',
    method,
    exitcode: String(err.code),
    errormsg: err.message ?? '',
    content_type: (got && responseHeaders(r!, undefined)['content-type']) || '',
    num_redirects: String(redirects),
    scheme: t ? t.url.protocol.replace(':', '') : '',
  };
  return unescapeWriteOut(fmt).replace(/%\{([a-z_]+)\}|%%/g, (m, name: string | undefined) => (m === '%%' ? '%' : (vars[name!] ?? '')));
}
