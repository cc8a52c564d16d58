// Istio's policy string convention (authz.md §3.2): `*` presence, `abc*` prefix, `*abc` suffix, else exact.
// Only a leading or trailing `*` is special; a middle one is literal.

export type StringTest = (value: string) => boolean;

export type StringMatchSpec =
  | { type: 'presence' }
  | { type: 'prefix'; value: string }
  | { type: 'suffix'; value: string }
  | { type: 'exact'; value: string };

/**
 * A sequential copy of `s`. V8 keeps slices and concatenations as views onto other strings, and
 * comparing, hashing or searching a view costs several times what a flat string does; values that
 * are compared per request are flattened once, when they are compiled or memoised.
 */
export function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/**
 * `s` as the engine's own copy of it (an object key is), so comparing it with another such string, or
 * with a string literal, is a pointer compare. Integer-like strings are not interned this way.
 */
export function intern(s: string): string {
  const k = Object.keys({ [s]: 0 })[0]!;
  return k === s ? k : flat(s);
}

export function parseStringMatch(pattern: string): StringMatchSpec {
  if (pattern === '*') return { type: 'presence' };
  if (pattern.startsWith('*')) return { type: 'suffix', value: flat(pattern.slice(1)) };
  if (pattern.endsWith('*')) return { type: 'prefix', value: flat(pattern.slice(0, -1)) };
  return { type: 'exact', value: flat(pattern) };
}

/** Case-sensitive match (unless `ignoreCase`); presence means a non-empty value (ztunnel `StringMatch`). */
export function stringTest(spec: StringMatchSpec, ignoreCase = false): StringTest {
  if (spec.type === 'presence') return (s) => s.length > 0;
  const v = ignoreCase ? flat(spec.value.toLowerCase()) : spec.value;
  switch (spec.type) {
    case 'prefix':
      return ignoreCase ? (s) => s.toLowerCase().startsWith(v) : (s) => s.startsWith(v);
    case 'suffix':
      return ignoreCase ? (s) => s.toLowerCase().endsWith(v) : (s) => s.endsWith(v);
    case 'exact':
      return ignoreCase ? (s) => s.toLowerCase() === v : (s) => s === v;
  }
}

/**
 * `s.startsWith(p)`, compared from the end of `p`: values compared per request share their leading
 * part (trust domain, `/api/`) and differ near its end, and a char loop that stops there is several
 * times cheaper than the builtin, which is not inlined.
 */
export function hasPrefix(s: string, p: string): boolean {
  const n = p.length;
  if (s.length < n) return false;
  for (let i = n - 1; i >= 0; i--) if (s.charCodeAt(i) !== p.charCodeAt(i)) return false;
  return true;
}

/** `s.endsWith(p)`, compared from the start of `p` (suffixes share their trailing part: domains). */
export function hasSuffix(s: string, p: string): boolean {
  const n = p.length;
  const at = s.length - n;
  if (at < 0) return false;
  for (let i = 0; i < n; i++) if (s.charCodeAt(at + i) !== p.charCodeAt(i)) return false;
  return true;
}

/** `stringTest` without a closure, for matchers kept as data (case-sensitive). */
export function specMatches(spec: StringMatchSpec, s: string): boolean {
  switch (spec.type) {
    case 'presence':
      return s.length > 0;
    case 'prefix':
      return hasPrefix(s, spec.value);
    case 'suffix':
      return hasSuffix(s, spec.value);
    case 'exact':
      return s === spec.value;
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

/** Envoy's namespace matcher as a regex in which every `*` is `.*`, anchored; null without a `*` (then it is equality). */
export function namespaceRegex(pattern: string): RegExp | null {
  if (!pattern.includes('*')) return null;
  return new RegExp('^' + pattern.split('*').map(escapeRegex).join('.*') + '$');
}

/** Envoy's namespace matcher (authz.md §3.2); it never matches an empty namespace. */
export function namespaceRegexTest(pattern: string): StringTest {
  const re = namespaceRegex(pattern);
  if (re === null) {
    const v = flat(pattern);
    return (s) => s.length > 0 && s === v;
  }
  return (s) => s.length > 0 && re.test(s);
}

const PATH_TEMPLATE = /\{\*\*?\}/;

/** A path pattern with `{*}` (exactly one non-empty segment) or `{**}` (any rest) as an anchored regex; null for a plain pattern. */
export function pathTemplateRegex(pattern: string): RegExp | null {
  if (!PATH_TEMPLATE.test(pattern)) return null;
  const body = pattern
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) => (part === '{**}' ? '.*' : part === '{*}' ? '[^/]+' : escapeRegex(part)))
    .join('');
  return new RegExp('^' + body + '$');
}

/**
 * Paths at the waypoint: the URL path without query or fragment, matched with the string convention,
 * or as a URI template (authz.md §3.4).
 */
export function pathTest(pattern: string): StringTest {
  const re = pathTemplateRegex(pattern);
  return re === null ? patternTest(pattern) : (s) => re.test(s);
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
