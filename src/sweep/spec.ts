// What a sweep varies: the seeds (`--seeds 1..32`, `1,5,9`, `7`) and `--set PATH=V1,V2` overrides of
// `spec.*`, expanded into parameter combinations (the first --set varies slowest).
import { parse as parseYamlScalar } from 'yaml';
import { PROXY_KINDS } from '../run/latency-config';

export interface SetParam {
  /** As written, e.g. `latency.proxies.waypoint.workers`. */
  path: string;
  /** Keys under `spec` (numbers index lists). */
  keys: (string | number)[];
  values: unknown[];
  /** The values as written, for labels. */
  texts: string[];
}

/** One combination: a value for every --set, in order. */
export interface Combination {
  index: number;
  /** `path=value` for each --set, e.g. ["latency.proxies.waypoint.workers=2"]. */
  label: string[];
  assignments: { keys: (string | number)[]; value: unknown }[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The most seeds one sweep plays. */
export const MAX_SEEDS = 100_000;

export function parseSeeds(text: string): Parsed<number[]> {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$/.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (b < a) return { ok: false, message: `--seeds: range ${part.trim()} is empty (write LOW..HIGH)` };
      if (b - a + 1 + seeds.length > MAX_SEEDS) return { ok: false, message: `--seeds: more than ${MAX_SEEDS} seeds` };
      for (let s = a; s <= b; s++) seeds.push(s);
      continue;
    }
    if (!/^\s*-?\d+\s*$/.test(part)) return { ok: false, message: `--seeds: "${part.trim()}" is not a seed (integers, LOW..HIGH ranges, comma-separated)` };
    seeds.push(Number(part));
  }
  if (new Set(seeds).size !== seeds.length) return { ok: false, message: '--seeds: a seed is listed twice' };
  if (!seeds.every(Number.isSafeInteger)) return { ok: false, message: '--seeds: seeds must be integers' };
  return { ok: true, value: seeds };
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `latency.<proxy>.…` is short for `latency.proxies.<proxy>.…` (the proxies' workers and CPU are what sweeps vary most). */
const PROXIES = new Set<string>(PROXY_KINDS);

/** `PATH=V1,V2,...`; PATH is dot-separated under `spec` (`spec.` may be written); values are YAML scalars. */
export function parseSet(text: string): Parsed<SetParam> {
  const eq = text.indexOf('=');
  if (eq <= 0) return { ok: false, message: `--set ${text}: expected PATH=VALUE[,VALUE...], e.g. latency.waypoint.workers=1,2,4` };
  const path = text.slice(0, eq).trim().replace(/^spec\./, '');
  const keys: (string | number)[] = [];
  for (const k of path.split('.')) {
    if (/^\d+$/.test(k)) keys.push(Number(k));
    else if (KEY.test(k)) keys.push(k);
    else return { ok: false, message: `--set ${text}: "${k}" is not a key of the path (dot-separated names or list indexes under spec)` };
  }
  if (keys[0] === 'latency' && PROXIES.has(String(keys[1]))) keys.splice(1, 0, 'proxies');
  const texts = text.slice(eq + 1).split(',').map((v) => v.trim());
  if (texts.some((v) => v === '')) return { ok: false, message: `--set ${text}: an empty value` };
  const values: unknown[] = [];
  for (const v of texts) {
    try {
      values.push(parseYamlScalar(v));
    } catch {
      values.push(v);
    }
  }
  return { ok: true, value: { path, keys, values, texts } };
}

/** The most replications (seeds × combinations) one sweep plays. */
export const MAX_REPLICATIONS = 100_000;

/** How many combinations the --set values make (1 without any). */
export function combinationCount(params: readonly SetParam[]): number {
  return params.reduce((n, p) => n * p.values.length, 1);
}

/**
 * What is wrong with the sweep as a whole, checked before any combination is built: a path set
 * twice (the later would silently win), a value listed twice for one path, or more replications
 * than a sweep plays.
 */
export function sweepProblems(seedCount: number, params: readonly SetParam[]): string[] {
  const problems: string[] = [];
  const paths = new Map<string, string>();
  for (const p of params) {
    const key = p.keys.join('.');
    const earlier = paths.get(key);
    if (earlier !== undefined) problems.push(`--set ${p.path}: the same path as --set ${earlier}; list every value in one --set`);
    else paths.set(key, p.path);
    if (new Set(p.texts).size !== p.texts.length) problems.push(`--set ${p.path}: a value is listed twice`);
  }
  const combos = combinationCount(params);
  if (seedCount * combos > MAX_REPLICATIONS) {
    problems.push(`${(seedCount * combos).toLocaleString('en-US')} replications (${seedCount} seed(s) × ${combos.toLocaleString('en-US')} combinations); a sweep plays at most ${MAX_REPLICATIONS.toLocaleString('en-US')}`);
  }
  return problems;
}

/** Every combination of the --set values (the cartesian product; one empty combination without --set). */
export function combinations(params: readonly SetParam[]): Combination[] {
  let out: Omit<Combination, 'index'>[] = [{ label: [], assignments: [] }];
  for (const p of params) {
    const next: Omit<Combination, 'index'>[] = [];
    for (const c of out) {
      p.values.forEach((value, i) => {
        next.push({ label: [...c.label, `${p.path}=${p.texts[i]}`], assignments: [...c.assignments, { keys: p.keys, value }] });
      });
    }
    out = next;
  }
  return out.map((c, index) => ({ index, ...c }));
}
