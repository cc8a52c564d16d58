// Path and Location composition for URL rewrites and redirects (Envoy prefix_rewrite,
// regex_rewrite, path_redirect and the Gateway API port rules as Istio configures them).
import type { CompiledMatch } from './match';
import type { RedirectSpec, RewriteSpec } from './model';
import { regexReplaceAll } from './regex';

/** The prefix Envoy considers matched: the configured prefix or exact path; `/` for routes without a path match. */
export function matchedPrefix(match: CompiledMatch | null): string {
  const p = match?.path;
  if (p && (p.kind === 'prefix' || p.kind === 'segment-prefix' || p.kind === 'exact')) return p.value;
  return '/';
}

/** New path (without query) after a URLRewrite / VS rewrite. */
export function rewritePath(path: string, spec: RewriteSpec, match: CompiledMatch | null): string {
  if (spec.fullPath !== undefined) return spec.fullPath;
  if (spec.regex) return regexReplaceAll(spec.regex.re, path, spec.regex.substitution);
  const prefix = matchedPrefix(match);
  if (!path.startsWith(prefix)) return path;
  const rest = path.slice(prefix.length);
  if (spec.stripPrefix) return `/${rest.startsWith('/') ? rest.slice(1) : rest}`;
  if (spec.prefix !== undefined) return spec.prefix + rest;
  return path;
}

function stripPort(authority: string): string {
  // IPv6 literals keep their brackets.
  const close = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  return colon > close ? authority.slice(0, colon) : authority;
}

function withPort(host: string, scheme: string, port: number): string {
  return (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443) ? host : `${host}:${port}`;
}

/** The Location header of a redirect. */
export function redirectLocation(
  spec: RedirectSpec,
  req: { scheme: string; authority: string; path: string; query: string },
  requestPort: number,
  match: CompiledMatch | null,
): string {
  const scheme = spec.scheme ?? req.scheme;
  const authority = spec.host ?? req.authority;
  let host: string;
  if (spec.port === undefined) host = authority;
  else if (spec.port === 'protocol') host = stripPort(authority);
  else host = withPort(stripPort(authority), scheme, spec.port === 'request' ? requestPort : spec.port);
  let path = req.path;
  if (spec.fullPath !== undefined) path = spec.fullPath;
  else if (spec.prefix !== undefined && spec.prefix !== '') {
    const prefix = matchedPrefix(match);
    if (path.startsWith(prefix)) path = spec.prefix + path.slice(prefix.length);
  }
  // A query in the new path replaces the request's; otherwise the request's query is kept.
  const query = path.includes('?') ? '' : req.query;
  return `${scheme}://${host}${path}${query}`;
}
