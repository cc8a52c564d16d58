// Opens generated reports in Debian's headless Chromium (never a downloaded browser) from disk,
// collecting console errors and page errors, and saves screenshots under test-artifacts/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = resolve('test-artifacts');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  open(name: string, html: string): Promise<OpenedPage>;
  close(): Promise<void>;
}

export interface OpenedPage {
  page: Page;
  /** Console errors, page errors and dialogs seen so far. */
  errors: string[];
  dialogs: string[];
  /** Requests the page tried to make to anything but its own file. */
  network: string[];
  /** ms from navigation to the report's first render. */
  renderMs: number;
  screenshot(suffix?: string): Promise<string>;
}

export async function launch(): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'meshsim-chromium-'));
  const ctx: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1440, height: 1000 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-report-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    async open(name, html) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, html);
      const page = await ctx.newPage();
      const errors: string[] = [];
      const dialogs: string[] = [];
      const network: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (r.url() !== pathToFileURL(file).href) network.push(r.url());
      });
      const t0 = Date.now();
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-ready="true"], .fatal', { timeout: 30_000 });
      const renderMs = Date.now() - t0;
      return {
        page, errors, dialogs, network, renderMs,
        async screenshot(suffix = '') {
          const out = join(ARTIFACTS, `${name}${suffix}.png`);
          await page.screenshot({ path: out, fullPage: true });
          return out;
        },
      };
    },
    async close() {
      await ctx.close();
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches the browser before a suite's tests and closes it after them; call inside `describe`. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);
  return () => {
    if (!browser) throw new Error('the browser did not start');
    return browser;
  };
}
