// `meshsim run --html` and `meshsim sweep --html`: one self-contained page each, the result embedded
// as JSON and its viz/ bundle (d3 included) inlined, so it opens from disk with no network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { projectPath } from '../paths';
import type { RunResult } from '../result/types';
import type { SweepResult } from '../sweep';

/** The pages: the run report and the sweep report, each a viz/ entry. */
const ENTRIES = { run: 'main.ts', sweep: 'sweep-main.ts' } as const;
type Page = keyof typeof ENTRIES;
const VIZ_CSS = projectPath('viz', 'src', 'style.css');

/** Must match DATA_ELEMENT_ID in viz/src/data-element.ts. */
const DATA_ELEMENT_ID = 'meshsim-data';

interface Assets {
  script: string;
  css: string;
}

const assets = new Map<Page, Assets>();

/** Bundles a page once per process; esbuild's output is the same for the same sources. */
function loadAssets(page: Page): Assets {
  const cached = assets.get(page);
  if (cached) return cached;
  // Loaded here, not with this module: every command's start would pay for it (~7 ms).
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = buildSync({
    entryPoints: [projectPath('viz', 'src', ENTRIES[page])],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100'],
    minify: true,
    write: false,
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'silent',
  });
  const script = out.outputFiles[0]!.text;
  const built = { script: inlineSafe(script), css: readFileSync(VIZ_CSS, 'utf8') };
  assets.set(page, built);
  return built;
}

/** `</script` can only occur inside JS strings, regexes or comments, where `<\/` means the same. */
function inlineSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

/**
 * JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&` appear only in
 * strings, where their \u escapes parse to the same text; U+2028/2029 are escaped for old parsers.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

function pageHtml(page: Page, title: string, heading: string, data: unknown): string {
  const { script, css } = loadAssets(page);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>meshsim · ${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<header id="top"><h1>${heading}</h1></header>
<main id="app"></main>
<script type="application/json" id="${DATA_ELEMENT_ID}">${embedJson(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** The whole report page for one run, or for every scenario of a folder run. */
export function renderHtml(result: RunResult | RunResult[]): string {
  const list = Array.isArray(result) ? result : [result];
  return pageHtml('run', list.length === 1 ? list[0]!.scenario : `${list.length} scenarios`, 'meshsim report', result);
}

/** The sweep's page: each step's combinations side by side, latency percentiles with their intervals. */
export function renderSweepHtml(result: SweepResult): string {
  return pageHtml('sweep', `sweep ${result.scenario}`, 'meshsim sweep', result);
}
