// Compiled request matchers shared by Gateway API routes and VirtualServices, and their evaluation.
import type { RE2JS } from 're2js';
import type { StringMatch } from '../k8s/types';
import { queryParam } from './query';
import { compileRe2, fullMatch } from './regex';

export type StringMatcher =
  | { kind: 'exact'; value: string; ignoreCase?: boolean }
  | { kind: 'prefix'; value: string; ignoreCase?: boolean }
  | { kind: 'regex'; value: string; re: RE2JS }
  | { kind: 'present' };

/**
 * `segment-prefix` is Envoy's path_separated_prefix (Gateway API PathPrefix): the path equals the
 * prefix or continues with `/`. `prefix` is a plain string prefix (VirtualService uri.prefix).
 */
export type PathMatcher = StringMatcher | { kind: 'segment-prefix'; value: string };

export interface HeaderMatcher {
  name: string;
  m: StringMatcher;
  /** withoutHeaders: the match succeeds when the header does NOT match. */
  invert: boolean;
}

export interface CompiledMatch {
  path: PathMatcher | null;
  headers: HeaderMatcher[];
  query: { name: string; m: StringMatcher }[];
  method: StringMatcher | null;
  scheme: StringMatcher | null;
  authority: StringMatcher | null;
}

/** What a matcher sees of a request. */
export interface MatchContext {
  method: string;
  path: string;
  query: string;
  authority: string;
  scheme: string;
  headers: Record<string, string>;
}

export class InvalidRegexError extends Error {}

export function re2OrThrow(pattern: string): RE2JS {
  const re = compileRe2(pattern);
  if (re instanceof Error) throw new InvalidRegexError(re.message);
  return re;
}

/** A VirtualService StringMatch; `{}` and regex `*` mean "present". */
export function fromStringMatch(sm: StringMatch | undefined, ignoreCase = false): StringMatcher | null {
  if (!sm) return null;
  if (sm.exact !== undefined) return { kind: 'exact', value: ignoreCase ? sm.exact.toLowerCase() : sm.exact, ignoreCase };
  if (sm.prefix !== undefined) return { kind: 'prefix', value: ignoreCase ? sm.prefix.toLowerCase() : sm.prefix, ignoreCase };
  if (sm.regex !== undefined) return sm.regex === '*' ? { kind: 'present' } : { kind: 'regex', value: sm.regex, re: re2OrThrow(sm.regex) };
  return { kind: 'present' };
}

export function matchString(m: StringMatcher, v: string): boolean {
  switch (m.kind) {
    case 'exact':
      return (m.ignoreCase ? v.toLowerCase() : v) === m.value;
    case 'prefix':
      return (m.ignoreCase ? v.toLowerCase() : v).startsWith(m.value);
    case 'regex':
      return fullMatch(m.re, v);
    case 'present':
      return true;
  }
}

export function matchPath(m: PathMatcher, path: string): boolean {
  if (m.kind !== 'segment-prefix') return matchString(m, path);
  const n = m.value.length;
  return path.startsWith(m.value) && (path.length === n || path.charCodeAt(n) === 47 /* / */);
}

function headerValue(ctx: MatchContext, name: string): string | undefined {
  if (name.charCodeAt(0) !== 58 /* : */) return ctx.headers[name];
  switch (name) {
    case ':method':
      return ctx.method;
    case ':authority':
      return ctx.authority;
    case ':path':
      return ctx.path + ctx.query;
    case ':scheme':
      return ctx.scheme;
  }
  return ctx.headers[name];
}

function headerMatches(h: HeaderMatcher, ctx: MatchContext): boolean {
  const v = headerValue(ctx, h.name);
  if (v === undefined) {
    // A missing header fails a positive matcher; negated matchers treat it as the empty string,
    // except presence checks (absent ⇒ "not present" holds).
    return h.invert ? h.m.kind === 'present' || !matchString(h.m, '') : false;
  }
  return matchString(h.m, v) !== h.invert;
}

/** Everything but the path (the index has already checked the path when it offers a candidate). */
export function matchRest(m: CompiledMatch, ctx: MatchContext): boolean {
  if (m.method && !matchString(m.method, ctx.method)) return false;
  for (let i = 0; i < m.headers.length; i++) if (!headerMatches(m.headers[i]!, ctx)) return false;
  for (let i = 0; i < m.query.length; i++) {
    const q = m.query[i]!;
    const v = queryParam(ctx.query, q.name);
    if (v === undefined || !matchString(q.m, v)) return false;
  }
  if (m.scheme && !matchString(m.scheme, ctx.scheme)) return false;
  if (m.authority && !matchString(m.authority, ctx.authority)) return false;
  return true;
}

export function matchAll(m: CompiledMatch, ctx: MatchContext): boolean {
  return (m.path === null || matchPath(m.path, ctx.path)) && matchRest(m, ctx);
}

/** Short human description of a match, for explanations. */
export function describeMatch(m: CompiledMatch): string {
  const parts: string[] = [];
  if (m.path) parts.push(`path ${m.path.kind}${'value' in m.path ? ` ${m.path.value}` : ''}`);
  if (m.method) parts.push(`method ${'value' in m.method ? m.method.value : m.method.kind}`);
  for (const h of m.headers) parts.push(`${h.invert ? 'without ' : ''}header ${h.name} ${h.m.kind}${'value' in h.m ? ` ${h.m.value}` : ''}`);
  for (const q of m.query) parts.push(`query ${q.name} ${q.m.kind}${'value' in q.m ? ` ${q.m.value}` : ''}`);
  if (m.authority) parts.push('authority');
  if (m.scheme) parts.push('scheme');
  return parts.length ? parts.join(', ') : 'any request';
}
