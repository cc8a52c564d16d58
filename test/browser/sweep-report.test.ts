// The sweep's HTML report in a real browser: each step's combinations side by side, the latency
// percentiles as means with their 95% intervals, pass counts, and markup in names kept as text.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSweepHtml } from '../../src/report/html';
import { parseSet, runSweep, type SweepResult } from '../../src/sweep';
import { echoBehindWaypoint } from '../helpers/manifests';
import { scenarioText } from '../helpers/run-scenario';
import { XSS } from '../viz/fixtures';
import { CHROMIUM, useBrowser } from './harness';

const canRun = existsSync(CHROMIUM) || process.env.CI === 'true';

/** One waypoint worker against eight at 9,000 requests/s: the single worker queues, so its p99 is higher. */
async function workersSweep(): Promise<SweepResult> {
  const text = scenarioText({
    name: 'sweep-report',
    manifests: echoBehindWaypoint(),
    steps: [
      { name: 'load', request: { from: 'client/curl', url: 'http://echo.server.svc.cluster.local/', count: 300, rate: '9000/s' }, expect: { status: 200 } },
      { name: XSS, run: 'kubectl label ns client team=web' },
      { name: 'missing', request: { from: 'client/curl', url: 'http://nothing.server.svc.cluster.local/', count: 3 } },
      { name: 'a script that fails', run: 'echo nope; exit 3' },
    ],
  });
  const set = parseSet('latency.proxies.waypoint.workers=1,8');
  if (!set.ok) throw new Error(set.message);
  const r = await runSweep({ file: 'sweep-report.yaml', text, seeds: [1, 2, 3], params: [set.value], workers: 2 });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.result;
}

describe.skipIf(!canRun)('sweep HTML report in Chromium', { timeout: 180_000 }, () => {
  const browser = useBrowser();

  it('draws each combination’s percentiles with their intervals, and tabulates every step', async () => {
    const result = await workersSweep();
    const p = await browser().open('sweep', renderSweepHtml(result));
    const { page } = p;
    expect(p.errors).toEqual([]);
    expect(p.network).toEqual([]);
    expect(await page.locator('.run-head .muted').textContent()).toBe('3 seed(s) × 2 combination(s) · 0/6 runs passed');
    expect(await page.locator('section.panel').count()).toBe(4);
    expect(await page.locator('[data-step="0"] li.failure').count()).toBe(0);

    const load = page.locator('[data-step="0"]');
    const marks = load.locator('g.ci-mark');
    expect(await marks.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-group')} ${e.getAttribute('data-p')}`))).toEqual(['workers=1 p50', 'workers=8 p50', 'workers=1 p90', 'workers=8 p90', 'workers=1 p99', 'workers=8 p99']);
    expect(await marks.locator('line.whisker').count()).toBe(6);
    // Each mark sits at the sweep's mean, and the queueing worker's p99 is drawn higher.
    const p99 = result.combinations.map((c) => c.steps[0]!.latencyMs!.p99.mean);
    expect(await load.locator('g.ci-mark.p99').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-mean'))))).toEqual(p99);
    const cy = await load.locator('g.ci-mark.p99 circle').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
    expect(p99[0]!).toBeGreaterThan(p99[1]!);
    expect(cy[0]!).toBeLessThan(cy[1]!);
    expect(await load.locator('tbody tr td.combo').allTextContents()).toEqual(['latency.proxies.waypoint.workers=1', 'latency.proxies.waypoint.workers=8']);
    expect(await load.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('200 100.0%');

    // The script: its name shown as text, its pass counts only (it sent no requests).
    const script = page.locator('[data-step="1"]');
    expect(await script.locator('.step-title').textContent()).toBe(XSS);
    expect(await script.locator('thead th').allTextContents()).toEqual(['combination', 'runs passed']);
    expect(await script.locator('tbody td.num').allTextContents()).toEqual(['3/3', '3/3']);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();

    // Requests that failed at name lookup: their outcome in the table, their latency drawn at zero.
    const missing = page.locator('[data-step="2"]');
    expect(await missing.locator('g.ci-mark').evaluateAll((els) => els.map((e) => e.getAttribute('data-mean')))).toEqual(Array(6).fill('0'));
    expect(await missing.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('dns-error 9');
    // A step that failed says in which seeds, and why, per combination.
    const failed = page.locator('[data-step="3"]');
    expect(await failed.locator('tr.fail td.combo').count()).toBe(2);
    expect(await failed.locator('li.failure').allTextContents()).toEqual(
      ['latency.proxies.waypoint.workers=1', 'latency.proxies.waypoint.workers=8'].map((c) => `${c}: failed in seeds 1, 2, 3; seed 1: exit code 3, expected 0; stdout: "nope\\n"; stderr: (nothing)`),
    );
    await p.screenshot();
  });
});
