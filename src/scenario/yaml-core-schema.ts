// A js-yaml schema that resolves plain scalars exactly as the `yaml` library's YAML 1.2 core
// schema does. js-yaml's own CORE_SCHEMA differs at the edges (it reads `1_000` and `0b1` as
// numbers and `-.5` as a string), and the fast parser must give the values the full one gives.
import { FAILSAFE_SCHEMA, Type } from 'js-yaml';
import type { Schema } from 'js-yaml';

type Rule = readonly [test: RegExp, value: (text: string) => unknown];

/** One tag's plain-scalar rules, tried in order, and the characters any of them can start with. */
interface TagRules {
  tag: string;
  firstChars: string;
  rules: readonly Rule[];
}

/** The rule of `tag` that reads `s`, if any; a scalar whose first character no rule can start with (most strings) is turned away before any pattern runs. */
function ruleFor({ firstChars, rules }: TagRules, s: string): Rule | undefined {
  if (s !== '' && !firstChars.includes(s[0]!)) return undefined;
  return rules.find(([test]) => test.test(s));
}

/**
 * One tag's rules as a js-yaml type. js-yaml keeps one implicit type per tag, so the `yaml`
 * library's separate octal/decimal/hex (or NaN/exponent/decimal) rules share one type.
 */
function scalarType(tag: TagRules): Type {
  return new Type(`tag:yaml.org,2002:${tag.tag}`, {
    kind: 'scalar',
    resolve: (text: string | null) => ruleFor(tag, text ?? '') !== undefined,
    construct: (text: string | null) => ruleFor(tag, text ?? '')![1](text ?? ''),
  });
}

const NUMBER_FIRST = '0123456789+-.';

// The `yaml` library's core tags in the order it tries them; the first whose test matches wins.
const CORE_TAGS: TagRules[] = [
  { tag: 'null', firstChars: '~nN', rules: [[/^(?:~|[Nn]ull|NULL)?$/, () => null]] },
  { tag: 'bool', firstChars: 'tTfF', rules: [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T']] },
  {
    tag: 'int',
    firstChars: NUMBER_FIRST,
    rules: [
      [/^0o[0-7]+$/, (s) => parseInt(s.slice(2), 8)],
      [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
      [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.slice(2), 16)],
    ],
  },
  {
    tag: 'float',
    firstChars: NUMBER_FIRST,
    rules: [
      [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity)],
      [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat],
      [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat],
    ],
  },
];

export const YAML_CORE_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({ implicit: CORE_TAGS.map(scalarType) });

/** The value of a plain scalar in the core schema: null, a boolean, a number, or the text itself. */
export function resolvePlain(text: string): unknown {
  for (const tag of CORE_TAGS) {
    const rule = ruleFor(tag, text);
    if (rule !== undefined) return rule[1](text);
  }
  return text;
}
