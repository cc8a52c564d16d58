// The consistent-hash key a waypoint route hash policy extracts from a request.
import { queryParam } from './query';
import type { LbPolicy } from './types';

export function hashKeyOf(lb: LbPolicy, headers: Record<string, string>, query: string, srcIp: string | undefined): string | undefined {
  const on = lb.hashOn;
  if (!on) return undefined;
  if ('header' in on) return headers[on.header];
  if ('sourceIp' in on) return srcIp;
  if ('queryParam' in on) return queryParam(query, on.queryParam);
  return cookie(headers['cookie'], on.cookie);
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
