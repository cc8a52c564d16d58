// The HTML report of the egress scenario in a real browser: a server outside the cluster (a hop of
// kind `external`) is drawn in a box of its own, lit by the requests that reach it, with edges
// from the ztunnel and, once the ServiceEntry is bound, from the egress waypoint.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths';
import { renderHtml } from '../../src/report/html';
import { runScenario } from '../../src/run';
import { loadScenario } from '../../src/scenario';
import { CHROMIUM, useBrowser } from './harness';

const canRun = existsSync(CHROMIUM) || process.env.CI === 'true';

describe.skipIf(!canRun)('HTML report of egress in Chromium', { timeout: 180_000 }, () => {
  const browser = useBrowser();

  it('draws the server outside the cluster and the path to it through the egress waypoint', async () => {
    const scenario = loadScenario(projectPath('scenarios', 'egress-waypoint', 'scenario.yaml')).scenario!;
    const p = await browser().open('egress', renderHtml(await runScenario(scenario)));
    const { page } = p;
    expect(p.errors).toEqual([]);
    const outside = '(outside)/(outside)/httpbin.org';
    // Step 2 (index 3): through the waypoint, 20 requests on each edge to the server outside.
    await page.click('li.step[data-step="3"]');
    const vertex = page.locator(`#topology-panel g.vertex[data-id*="httpbin.org"]`);
    expect(await vertex.count()).toBe(1);
    expect(await vertex.getAttribute('class')).toContain('lit');
    // It answered: no stop mark on the path.
    expect(await page.locator('#topology-panel g.deny-mark').count()).toBe(0);
    expect(await page.locator('#steps-panel, body').first().textContent()).toContain('ztunnel → waypoint');
    expect(await page.locator('table td', { hasText: 'ztunnel → waypoint → external' }).count()).toBe(0);
    const into = page.locator(`#topology-panel g.edge[data-to*="${outside}"]`);
    expect(await into.count()).toBe(1);
    expect(await into.getAttribute('data-from')).toContain('waypoint');
    expect(await into.getAttribute('data-count')).toBe('20');
    await p.screenshot('-waypoint');
    // Step 1 (index 1): straight from the client's ztunnel.
    await page.click('li.step[data-step="1"]');
    expect(await page.locator(`#topology-panel g.edge[data-to*="${outside}"]`).getAttribute('data-from')).toContain('ztunnel');
    expect(p.errors).toEqual([]);
  });
});
