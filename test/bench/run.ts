/**
 * Runs every `test/bench/*.bench.ts` suite (in file-name order), prints one aligned table and
 * writes `test-artifacts/bench.json`. Usage: `node --import tsx test/bench/run.ts [filter]`, where the
 * optional filter keeps suites whose file or suite name contains it (case-insensitive).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedBundle } from '../../src/cli/bundle-cache.js';
import { runCachedScript } from '../../src/cli/cached-script.js';
import { PROJECT_ROOT } from '../../src/paths';
import type { BenchRow, BenchSuite } from './suite';

interface ResultRow extends BenchRow {
  suite: string;
  ratio?: number;
}

const benchDir = dirname(fileURLToPath(import.meta.url));
const outFile = resolve(benchDir, '../../test-artifacts/bench.json');

function isSuite(x: unknown): x is BenchSuite {
  return typeof x === 'object' && x !== null && typeof (x as BenchSuite).name === 'string' && typeof (x as BenchSuite).run === 'function';
}

/** 3 significant digits with k/M/G suffixes for large values. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  for (const [limit, suffix] of [[1e9, ' G'], [1e6, ' M'], [1e3, ' k']] as const) {
    if (abs >= limit) return `${Number((x / limit).toPrecision(3))}${suffix}`;
  }
  return String(Number(x.toPrecision(3)));
}

function table(rows: readonly ResultRow[]): string {
  const header = ['suite', 'name', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [
    r.suite,
    r.name,
    formatValue(r.value),
    r.unit,
    r.baseline ? formatValue(r.baseline.value) : '',
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const numeric = new Set([2, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]): string =>
    c.map((s, i) => (numeric.has(i) ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/**
 * A suite's module, from an esbuild bundle run through node:vm: the code the CLI and the sweep's
 * workers run (module boundaries and the TypeScript loader's output cost time the shipped code does
 * not pay). From the TypeScript source when esbuild cannot bundle it.
 */
async function loadSuite(file: string): Promise<unknown> {
  const entry = join(benchDir, file);
  // Bundles live outside the project: they find its files through MESHSIM_ROOT.
  process.env.MESHSIM_ROOT ??= PROJECT_ROOT;
  try {
    const bundle = await cachedBundle({ root: PROJECT_ROOT, entry, name: `bench-${file.replace(/\.bench\.ts$/, '')}-cjs`, also: [join(PROJECT_ROOT, 'test')] });
    return (runCachedScript(bundle).exports as { default?: unknown }).default;
  } catch {
    const mod: { default?: unknown } = await import(pathToFileURL(entry).href);
    return mod.default;
  }
}

async function main(): Promise<number> {
  const filter = process.argv[2]?.toLowerCase();
  const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort();
  const rows: ResultRow[] = [];
  let failed = false;
  for (const file of files) {
    const suite = await loadSuite(file);
    if (!isSuite(suite)) {
      console.error(`${file}: default export is not a BenchSuite`);
      failed = true;
      continue;
    }
    if (filter && !file.toLowerCase().includes(filter) && !suite.name.toLowerCase().includes(filter)) continue;
    console.error(`running ${suite.name} (${file}) ...`);
    try {
      for (const row of await suite.run()) {
        const ratio = row.baseline && row.baseline.value !== 0 ? row.value / row.baseline.value : undefined;
        rows.push({ suite: suite.name, ...row, ratio });
      }
    } catch (e) {
      console.error(`${file}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      failed = true;
    }
  }
  console.log(table(rows));
  for (const r of rows.filter((r) => r.baseline || r.note)) {
    const parts = [r.baseline ? `baseline: ${r.baseline.name}` : '', r.note ?? ''].filter(Boolean);
    console.log(`  ${r.suite} / ${r.name}: ${parts.join('; ')}`);
  }
  const cpus = os.cpus();
  mkdirSync(dirname(outFile), { recursive: true });
  const report = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    filter: filter ?? null,
    rows,
  };
  writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
  console.error(`wrote ${outFile}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
