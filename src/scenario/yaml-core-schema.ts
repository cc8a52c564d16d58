// A js-yaml schema that resolves plain scalars exactly as the `yaml` library's YAML 1.2 core
// schema does. js-yaml's own CORE_SCHEMA differs at the edges (it reads `1_000` and `0b1` as
// numbers and `-.5` as a string), and the fast parser must give the values the full one gives.
import { FAILSAFE_SCHEMA, Type } from 'js-yaml';
import type { Schema } from 'js-yaml';

type Rule = readonly [test: RegExp, value: (text: string) => unknown];

/**
 * One tag's plain-scalar rules, tried in order. js-yaml keeps one implicit type per tag, so the
 * `yaml` library's separate octal/decimal/hex (or NaN/exponent/decimal) rules share one type.
 * Every plain scalar is offered to every type, so a scalar whose first character no rule can
 * start with (most strings) is turned away before any pattern runs.
 */
function scalarType(tag: string, firstChars: string, rules: readonly Rule[]): Type {
  const rule = (text: string | null): Rule | undefined => {
    const s = text ?? '';
    if (s !== '' && !firstChars.includes(s[0]!)) return undefined;
    return rules.find(([test]) => test.test(s));
  };
  return new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (text: string | null) => rule(text) !== undefined,
    construct: (text: string | null) => rule(text)![1](text ?? ''),
  });
}

const NUMBER_FIRST = '0123456789+-.';

// The `yaml` library's core tags in the order it tries them; the first whose test matches wins.
const CORE_TYPES: Type[] = [
  scalarType('null', '~nN', [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
  scalarType('bool', 'tTfF', [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T']]),
  scalarType('int', NUMBER_FIRST, [
    [/^0o[0-7]+$/, (s) => parseInt(s.slice(2), 8)],
    [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
    [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.slice(2), 16)],
  ]),
  scalarType('float', NUMBER_FIRST, [
    [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity)],
    [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat],
    [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat],
  ]),
];

export const YAML_CORE_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({ implicit: CORE_TYPES });
