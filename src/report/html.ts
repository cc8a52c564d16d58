// `meshsim run --html`: one self-contained page, the run result embedded as JSON and the viz/
// bundle (d3 included) inlined, so it opens from disk with no network.
import { readFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { projectPath } from '../paths';
import type { RunResult } from '../result/types';

const VIZ_ENTRY = projectPath('viz', 'src', 'main.ts');
const VIZ_CSS = projectPath('viz', 'src', 'style.css');

/** Must match DATA_ELEMENT_ID in viz/src/main.ts. */
const DATA_ELEMENT_ID = 'meshsim-data';

interface Assets {
  script: string;
  css: string;
}

let assets: Assets | undefined;

/** Bundles the page once per process; esbuild's output is the same for the same sources. */
function loadAssets(): Assets {
  if (assets) return assets;
  const out = buildSync({
    entryPoints: [VIZ_ENTRY],
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
  assets = { script: inlineSafe(script), css: readFileSync(VIZ_CSS, 'utf8') };
  return assets;
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

/** The whole report page for one run, or for every scenario of a folder run. */
export function renderHtml(result: RunResult | RunResult[]): string {
  const { script, css } = loadAssets();
  const list = Array.isArray(result) ? result : [result];
  const title = list.length === 1 ? list[0]!.scenario : `${list.length} scenarios`;
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
<header id="top"><h1>meshsim report</h1></header>
<main id="app"></main>
<script type="application/json" id="${DATA_ELEMENT_ID}">${embedJson(result)}</script>
<script>${script}</script>
</body>
</html>
`;
}
