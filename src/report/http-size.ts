// Bytes a request and its response take on the wire, estimated as HTTP/1.1 text: request line,
// headers, blank line and body. The result has no request bodies (counted as empty), and TLS or
// HBONE framing is not counted.
import type { CallRecord } from '../result/types';

/** UTF-8 length without encoding the text (metrics count it for every request of a run). */
function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function headerBytes(h: Record<string, string>): number {
  return Object.entries(h).reduce((t, [k, v]) => t + bytes(`${k}: ${v}\r\n`), 0);
}

export function requestBytes(r: CallRecord): number {
  const headers = r.requestHeaders ?? {};
  const host = Object.keys(headers).some((k) => k.toLowerCase() === 'host') ? 0 : bytes(`host: ${r.to.host}\r\n`);
  return bytes(`${r.method} ${r.path} HTTP/1.1\r\n`) + host + headerBytes(headers) + 2;
}

/** 0 when no response came back. */
export function responseBytes(r: CallRecord): number {
  if (r.outcome !== 'response') return 0;
  const headers = r.responseHeaders ?? {};
  const body = bytes(r.body ?? '');
  const length = Object.keys(headers).some((k) => k.toLowerCase() === 'content-length') ? 0 : bytes(`content-length: ${body}\r\n`);
  return bytes(`HTTP/1.1 ${r.status ?? 0}\r\n`) + headerBytes(headers) + length + 2 + body;
}
