// RE2 semantics for user-written patterns (Envoy's safe_regex): always full-string matches,
// compiled once per distinct pattern. JS RegExp is never used on user input.
import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS | Error>();

/** Compiles an RE2 pattern; returns an Error (not thrown) for an invalid one. */
export function compileRe2(pattern: string): RE2JS | Error {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      re = new Error(`invalid RE2 regex ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
    cache.set(pattern, re);
  }
  return re;
}

export function fullMatch(re: RE2JS, input: string): boolean {
  return re.matches(input);
}

/** Envoy regex_rewrite: substitutions are written `\1`; re2js wants `$1`. */
export function regexReplaceAll(re: RE2JS, input: string, envoySubstitution: string): string {
  const repl = envoySubstitution.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
  return re.matcher(input).replaceAll(repl);
}
