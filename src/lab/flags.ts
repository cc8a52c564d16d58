// A pflag-style command line parser: `--name=value`, `--name value`, `-n value`, `-nvalue`,
// bundled booleans (`-it`), `--` ending the flags, and pflag's error texts for unknown flags.

export interface FlagSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** Whether the flag takes a value (string flags); booleans accept `--x=false`. */
  value?: boolean;
  /** Repeatable value flags collect every occurrence. */
  repeat?: boolean;
}

export interface ParsedArgs {
  /** Positional arguments (before `--`). */
  args: string[];
  /** Everything after `--`, or undefined when there was no `--`. */
  rest?: string[];
  /** Value flags: their last value; booleans: 'true'/'false'. */
  flags: Map<string, string>;
  /** Every value of repeatable flags. */
  multi: Map<string, string[]>;
}

export class FlagError extends Error {}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const out: ParsedArgs = { args: [], flags: new Map(), multi: new Map() };
  const set = (spec: FlagSpec, v: string) => {
    out.flags.set(spec.name, v);
    if (spec.repeat) out.multi.set(spec.name, [...(out.multi.get(spec.name) ?? []), v]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = byLong.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (spec.value) {
        if (eq >= 0) set(spec, a.slice(eq + 1));
        else if (i + 1 < argv.length) set(spec, argv[++i]!);
        else throw new FlagError(`flag needs an argument: --${name}`);
      } else set(spec, eq >= 0 ? a.slice(eq + 1) : 'true');
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (spec.value) {
          let v = a.slice(j + 1);
          if (v.startsWith('=')) v = v.slice(1);
          if (v === '') {
            if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
            v = argv[++i]!;
          }
          set(spec, v);
          break;
        }
        set(spec, 'true');
      }
    } else out.args.push(a);
  }
  return out;
}

export function boolFlag(p: ParsedArgs, name: string): boolean {
  const v = p.flags.get(name);
  return v !== undefined && v !== 'false';
}
