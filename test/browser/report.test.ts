// The HTML report in a real browser: the lab run (waypoint, 90/10 split, 403, ztunnel reset,
// cross-cluster), a 1,000-pod mesh, a 100,000-request step and scenario names full of markup.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html';
import type { RunResult } from '../../src/result/types';
import { bigRun, CURL_ID, labRun, longRun, requestStep, splitRequest, XSS, xssRun } from '../viz/fixtures';
import { CHROMIUM, useBrowser, type OpenedPage } from './harness';

// CI installs Debian's chromium; elsewhere the suite runs when it is there.
const canRun = existsSync(CHROMIUM) || process.env.CI === 'true';

// Timeouts are generous: a browser on a busy 2-core machine; nothing here asserts timing.
describe.skipIf(!canRun)('HTML report in Chromium', { timeout: 180_000 }, () => {
  const browser = useBrowser();

  const clean = (p: OpenedPage) => {
    expect(p.errors).toEqual([]);
    expect(p.dialogs).toEqual([]);
    expect(p.network).toEqual([]);
  };

  it('shows the lab run: steps, paths, the denied hop, distributions and one request hop by hop', async () => {
    const p = await browser().open('lab', renderHtml(labRun()));
    const { page } = p;
    expect(await page.locator('li.step').count()).toBe(7);
    expect(await page.locator('li.step.fail').count()).toBe(2);

    // The failed request step is shown first: the 403 is marked at the waypoint with its policy and rule.
    expect(await page.locator('li.step.selected').getAttribute('data-step')).toBe('3');
    const deny = page.locator('#topology-panel g.deny-mark');
    expect(await deny.count()).toBe(1);
    expect(await deny.getAttribute('data-vertex')).toContain('waypoint-7d9f4-qq2lp');
    const why = await deny.locator('title').textContent();
    expect(why).toContain('accounts/deny-post rule 1');
    expect(why).toContain('403');
    await p.screenshot('-denied');

    // The 90/10 split: edges weighted by request count, histogram and backend shares drawn.
    await page.click('li.step[data-step="2"]');
    const edge = (to: string) => page.locator(`#topology-panel g.edge[data-from*="waypoint-7d9f4-qq2lp"][data-to*="${to}"]`).getAttribute('data-count');
    expect(await edge('ztunnel-c1-node-b')).toBe('90');
    expect(await edge('ztunnel-c1-node-c')).toBe('10');
    expect(await page.locator('#topology-panel g.vertex.lit').count()).toBe(7);
    expect(await page.locator('#topology-panel g.deny-mark').count()).toBe(0);
    expect(await page.locator('#histogram rect.bar').count()).toBeGreaterThan(3);
    expect(await page.locator('#histogram g.pmark').evaluateAll((els) => els.map((e) => e.getAttribute('data-p')))).toEqual(['p50', 'p90', 'p99']);
    expect(await page.locator('#cdf path.cdf-line').count()).toBe(1);
    expect(await page.locator('#timeline rect.bar').count()).toBeGreaterThan(2);
    expect(await page.locator('#backends .share-val').allTextContents()).toEqual(['90 · 90.0%', '10 · 10.0%']);
    await p.screenshot('-split');

    // One request: the sequence, the time at each hop, the identity each proxy saw, the decisions.
    await page.click('tr[data-request="10"]');
    expect(await page.locator('tr[data-request="10"]').getAttribute('class')).toContain('selected');
    expect(await page.locator('#request-panel g.lifeline').count()).toBe(5);
    expect(await page.locator('#request-panel table.hops tbody tr').count()).toBe(5);
    const wpRow = page.locator('#request-panel tr[data-hop="2"]');
    expect(await wpRow.locator('td.identity').textContent()).toBe(CURL_ID);
    expect(await wpRow.locator('td').nth(1).textContent()).toBe('0.300 ms');
    expect(await wpRow.locator('.decision').allTextContents()).toEqual([
      expect.stringContaining('authz ALLOW at waypoint accounts/waypoint by accounts/allow-get rule 0'),
      expect.stringContaining('route accounts-v2'),
    ]);
    expect(await page.locator('#topology-panel g.edge').evaluateAll((els) => els.map((e) => e.getAttribute('data-count')))).toEqual(['1', '1', '1', '1']);
    await p.screenshot('-request');

    // A reset at the destination ztunnel, marked there.
    await page.click('li.step[data-step="4"]');
    const reset = page.locator('#topology-panel g.deny-mark');
    expect(await reset.getAttribute('data-what')).toBe('reset');
    expect(await reset.getAttribute('data-vertex')).toContain('ztunnel-c1-node-c');
    await page.click('tr[data-request="1"]');
    expect(await page.locator('#request-panel tr.stopped').getAttribute('data-hop')).toBe('2');
    expect(await page.locator('#request-panel g.seq-stop title').textContent()).toContain('ledger/ledger-l4');

    // Across clusters through the east-west gateway.
    await page.click('li.step[data-step="5"]');
    expect(await page.locator('#topology-panel g.vertex.lit.role-eastwest-gateway').count()).toBe(1);

    // Run steps read like a terminal.
    await page.click('li.step[data-step="6"]');
    expect(await page.locator('#step-panel .terminal .stderr').textContent()).toContain('Connection reset by peer');
    expect(await page.locator('#step-panel .terminal .exit').textContent()).toBe('exit code 56');
    await page.click('li.step[data-step="0"]');
    expect(await page.locator('#step-panel .terminal .stdout').textContent()).toContain('waypoint accounts/waypoint applied');
    await p.screenshot('-run-step');
    clean(p);
  });

  it('stays readable at 1,000 pods: folded by namespace, unfolds to pods, zooms', async () => {
    const html = renderHtml(bigRun(1000) as unknown as RunResult);
    const p = await browser().open('mesh-1000', html);
    const { page } = p;
    console.log(`1,000-pod report: ${(html.length / 1024).toFixed(0)} KiB, first render ${p.renderMs} ms`);
    expect(await page.locator('#grouping').inputValue()).toBe('namespace');
    expect(await page.locator('#topology-panel g.vertex').count()).toBe(202 + 20);
    expect(await page.locator('#topology-panel g.vertex.lit').count()).toBeGreaterThan(50);
    expect(await page.locator('#topology-panel g.service').count()).toBe(2);
    await p.screenshot();

    const before = await page.locator('#topology-panel g.world').getAttribute('transform');
    const box = (await page.locator('#topology-panel svg.topology').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction((b) => document.querySelector('#topology-panel g.world')?.getAttribute('transform') !== b, before);

    await page.selectOption('#grouping', 'pod');
    expect(await page.locator('#topology-panel g.vertex').count()).toBe(1002 + 20);
    expect(await page.locator('#topology-panel g.edge').count()).toBeGreaterThan(100);
    await p.screenshot('-pods');
    clean(p);
  });

  it('starts a mesh too big to read focused on the step’s paths, and shows the whole mesh when asked', async () => {
    const p = await browser().open('mesh-3000-focus', renderHtml(bigRun(3000, { namespaces: 60, nodes: 30, requests: 20 }) as unknown as RunResult));
    const { page } = p;
    expect(await page.locator('#focus').isChecked()).toBe(true);
    expect(await page.locator('#grouping').inputValue()).toBe('pod');
    // Only what the requests went through is drawn, so every box lights up.
    const drawn = await page.locator('#topology-panel g.vertex').count();
    expect(drawn).toBeGreaterThan(20);
    expect(await page.locator('#topology-panel g.vertex:not(.lit)').count()).toBe(0);
    expect(await page.locator('#topology-panel g.edge').count()).toBeGreaterThan(10);
    await p.screenshot();

    await page.uncheck('#focus');
    expect(await page.locator('#grouping').inputValue()).toBe('namespace');
    expect(await page.locator('#topology-panel g.vertex').count()).toBeGreaterThan(drawn);
    expect(await page.locator('#topology-panel g.vertex:not(.lit)').count()).toBeGreaterThan(0);
    clean(p);
  });

  it('shows a 100,000-request step from its summary and kept requests', async () => {
    const html = renderHtml(longRun(100_000));
    const p = await browser().open('long-100k', html);
    const { page } = p;
    const mib = Buffer.byteLength(html) / 2 ** 20;
    console.log(`100,000-request report: ${mib.toFixed(2)} MiB, first render ${p.renderMs} ms`);
    expect(mib).toBeLessThan(10);
    expect(await page.locator('.stat-val').first().textContent()).toBe('100000');
    expect(await page.locator('#histogram figcaption').textContent()).toContain('from 1000 kept of 100000');
    expect(await page.locator('#histogram rect.bar').count()).toBeGreaterThan(5);
    expect(await page.locator('tr[data-request]').count()).toBe(1000);
    expect(await page.locator('#topology-panel g.deny-mark').count()).toBe(1);
    const t0 = Date.now();
    await page.click('tr[data-request="50"]');
    await page.locator('#request-panel tr.stopped').waitFor();
    console.log(`100,000-request report: request click to render ${Date.now() - t0} ms`);
    await p.screenshot();
    clean(p);
  });

  it('lists what the connection pool did and who denied, beside the charts', async () => {
    const lab = labRun();
    const step = requestStep('burst', [splitRequest(1, 0, false), splitRequest(2, 5, false)]);
    step.summary!.connectionPool = [
      { at: 'waypoint accounts/waypoint', policy: 'accounts/accounts', result: 'overflow', count: 6 },
      { at: 'waypoint accounts/waypoint', policy: 'accounts/accounts', result: 'queued', count: 4 },
    ];
    const deniedStep = lab.steps[3]!;
    const denied = { ...deniedStep, summary: { ...deniedStep.summary!, denies: [{ at: 'waypoint accounts/waypoint', policy: 'accounts/allow-get-only', reason: 'allow policies exist, but none allowed', count: 1 }] } };
    const p = await browser().open('connection-pool', renderHtml({ ...lab, steps: [step, denied] }));
    const { page } = p;
    // The failed step opens first: it has denials and no pool notes.
    expect(await page.locator('#denies li').allTextContents()).toEqual(['1 × at waypoint accounts/waypoint by accounts/allow-get-only: allow policies exist, but none allowed']);
    expect(await page.locator('#connection-pool').count()).toBe(0);
    await page.click('li.step[data-step="0"]');
    expect(await page.locator('#connection-pool li').allTextContents()).toEqual([
      '6 × turned away (503 overflow) at waypoint accounts/waypoint (DestinationRule accounts/accounts)',
      '4 × waited for a pooled connection at waypoint accounts/waypoint (DestinationRule accounts/accounts)',
    ]);
    clean(p);
  });

  it('never runs markup from the scenario', async () => {
    const p = await browser().open('xss', renderHtml(xssRun()));
    const { page } = p;
    const xss = () => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
    expect(await page.locator('li.step').first().locator('.step-name').textContent()).toBe(XSS);
    await page.click('li.step[data-step="1"]');
    await page.click('tr[data-request="1"]');
    await page.click('li.step[data-step="0"]');
    expect(await page.locator('#step-panel .terminal .stdout').textContent()).toBe(XSS);
    expect(await page.locator('#app img').count()).toBe(0);
    expect(await page.locator('#app script').count()).toBe(0);
    expect(await page.title()).toContain('<script>');
    expect(await xss()).toBeUndefined();
    await p.screenshot();
    clean(p);
  });
});
