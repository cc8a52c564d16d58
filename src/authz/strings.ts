// Istio's policy string convention (authz.md §3.2): `*` presence, `abc*` prefix, `*abc` suffix, else exact.
// Only a leading or trailing `*` is special; a middle one is literal.

export type StringTest = (value: string) => boolean;

export type StringMatchSpec =
  | { type: 'presence' }
  | { type: 'prefix'; value: string }
  | { type: 'suffix'; value: string }
  | { type: 'exact'; value: string };

export function parseStringMatch(pattern: string): StringMatchSpec {
  if (pattern === '*') return { type: 'presence' };
  if (pattern.startsWith('*')) return { type: 'suffix', value: pattern.slice(1) };
  if (pattern.endsWith('*')) return { type: 'prefix', value: pattern.slice(0, -1) };
  return { type: 'exact', value: pattern };
}

/** Case-sensitive match; presence means a non-empty value (ztunnel `StringMatch`). */
export function stringTest(spec: StringMatchSpec, ignoreCase = false): StringTest {
  const v = spec.type === 'presence' ? '' : ignoreCase ? spec.value.toLowerCase() : spec.value;
  const norm = ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  switch (spec.type) {
    case 'presence':
      return (s) => s.length > 0;
    case 'prefix':
      return (s) => norm(s).startsWith(v);
    case 'suffix':
      return (s) => norm(s).endsWith(v);
    case 'exact':
      return ignoreCase ? (s) => s.toLowerCase() === v : (s) => s === v;
  }
}

export function patternTest(pattern: string, ignoreCase = false): StringTest {
  return stringTest(parseStringMatch(pattern), ignoreCase);
}

/** ANY of the patterns. */
export function anyOf(tests: StringTest[]): StringTest {
  if (tests.length === 1) return tests[0]!;
  return (s) => {
    for (const t of tests) if (t(s)) return true;
    return false;
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Envoy's namespace matcher: a regex in which every `*` is `.*`, anchored (authz.md §3.2). */
export function namespaceRegexTest(pattern: string): StringTest {
  const re = new RegExp('^' + pattern.split('*').map(escapeRegex).join('.*') + '$');
  return (s) => s.length > 0 && re.test(s);
}

const PATH_TEMPLATE = /\{\*\*?\}/;

/**
 * Paths at the waypoint: the URL path without query or fragment, matched with the string convention,
 * or as a URI template where `{*}` is exactly one non-empty segment and `{**}` any rest (authz.md §3.4).
 */
export function pathTest(pattern: string): StringTest {
  if (!PATH_TEMPLATE.test(pattern)) return patternTest(pattern);
  const body = pattern
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) => (part === '{**}' ? '.*' : part === '{*}' ? '[^/]+' : escapeRegex(part)))
    .join('');
  const re = new RegExp('^' + body + '$');
  return (s) => re.test(s);
}

/** The URL path Envoy's RBAC path matcher sees: no query string, no fragment. */
export function urlPath(path: string): string {
  let end = path.length;
  const q = path.indexOf('?');
  if (q >= 0) end = q;
  const h = path.indexOf('#');
  if (h >= 0 && h < end) end = h;
  return end === path.length ? path : path.slice(0, end);
}
